/**
 * @module checkpoint
 * Checkpoints (c2sp.org/tlog-checkpoint): the body of a signed note that names a log (origin), a
 * tree size and its RFC 9162 root hash, plus optional extension lines. Parsing is strict: one text
 * per checkpoint, so a signature over it means one thing.
 */
import { decodeBase64, encodeBase64, hasControlCharacter, hasLoneSurrogate, isList } from './bytes.js';
import { LedgerError } from './errors.js';
import { isHash, type Hash } from './hash.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Hash;
  readonly extensions: readonly string[];
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

function invalid(message: string, line: number, field: string): LedgerError {
  return new LedgerError('LEDGER_CHECKPOINT_INVALID', message, { details: { line, field } });
}

/** A line of a checkpoint: no newline, no control character, valid UTF-8. */
function checkText(text: unknown, line: number, field: string): string {
  if (typeof text !== 'string' || text === '') throw invalid(`the ${field} line must not be empty`, line, field);
  if (text.includes('\n') || hasControlCharacter(text) || hasLoneSurrogate(text)) {
    throw invalid(`the ${field} line has a newline, a control character or invalid UTF-8`, line, field);
  }
  return text;
}

/** The note body: origin, size, base64 root hash and any extension lines, each ending in "\n". */
export function formatCheckpoint(c: Checkpoint): string {
  const origin = checkText(c.origin, 1, 'origin');
  if (typeof c.size !== 'number' || !Number.isSafeInteger(c.size) || c.size < 0) {
    throw invalid('the size must be a non-negative safe integer', 2, 'size');
  }
  if (!isHash(c.rootHash)) throw invalid('the root hash must be 32 bytes', 3, 'rootHash');
  if (!isList(c.extensions)) throw invalid('extensions must be an array of lines', 4, 'extensions');
  const extensions = c.extensions.map((e: unknown, i) => checkText(e, 4 + i, 'extension'));
  return [origin, String(c.size), encodeBase64(c.rootHash), ...extensions].map((l) => `${l}\n`).join('');
}

/**
 * Parses a checkpoint body (the note text, ending in "\n", without signatures). Throws
 * `LEDGER_CHECKPOINT_INVALID` naming the 1-based line at fault.
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string' || !body.endsWith('\n')) {
    throw invalid('a checkpoint body must end with a newline', 0, 'body');
  }
  const lines = body.slice(0, -1).split('\n');
  const [originLine, sizeLine, rootLine, ...extensionLines] = lines;
  const origin = checkText(originLine, 1, 'origin');
  if (sizeLine === undefined || !DECIMAL.test(sizeLine)) {
    throw invalid('the size line must be a decimal number without leading zeroes', 2, 'size');
  }
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw invalid('the size is larger than 2^53 - 1', 2, 'size');
  const rootHash = rootLine === undefined ? undefined : decodeBase64(rootLine);
  if (rootHash === undefined || !isHash(rootHash)) {
    throw invalid('the root hash line must be the base64 of 32 bytes', 3, 'rootHash');
  }
  const extensions = extensionLines.map((e, i) => checkText(e, 4 + i, 'extension'));
  return { origin, size, rootHash, extensions };
}
