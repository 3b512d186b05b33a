/**
 * @module ledger-keys
 * The ledger's signing key on disk. `ledger.key` holds the current signer key (mode 0600; its name
 * is the log's origin); `ledger.pub` lists every verifier key the log has used, newest first, so a
 * checkpoint signed before a rotation still verifies. Rotation writes a new signer, prepends its
 * verifier key and destroys the old private key.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateSignerKey, signerFromKey, verifierFromKey, type NoteSigner } from '@ward/ledger';
import { ServerError } from './errors.js';
import type { LedgerKeys } from './services/ledger.js';

export const LEDGER_KEY_FILE = 'ledger.key';

export function publicKeyFileOf(keyFile: string): string {
  return keyFile.replace(/\.key$/, '') + '.pub';
}

function writeAtomically(file: string, text: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp-${String(process.pid)}`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
}

/** Reads the ledger's keys. @throws SERVER_CONFIG_INVALID when they are missing or malformed. */
export function loadLedgerKeys(keyFile: string): LedgerKeys {
  let signer: NoteSigner;
  let verifierKeys: string[];
  try {
    signer = signerFromKey(readFileSync(keyFile, 'utf8').trim());
    verifierKeys = readFileSync(publicKeyFileOf(keyFile), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    verifierKeys.forEach((k) => verifierFromKey(k));
  } catch (error) {
    throw new ServerError('SERVER_CONFIG_INVALID', `cannot read the ledger key ${keyFile}`, {
      cause: error,
      details: { key: 'ledgerKeyFile', file: keyFile },
    });
  }
  return { signer, verifierKeys };
}

/** Reads the ledger's keys, creating them for `origin` the first time. */
export function loadOrCreateLedgerKeys(keyFile: string, origin: string): LedgerKeys {
  if (!existsSync(keyFile)) {
    const { signerKey, verifierKey } = generateSignerKey(origin);
    writeAtomically(publicKeyFileOf(keyFile), `${verifierKey}\n`, 0o644);
    writeAtomically(keyFile, `${signerKey}\n`, 0o600);
  }
  return loadLedgerKeys(keyFile);
}

/** Replaces the signing key (same origin); the old verifier key stays published. */
export function rotateLedgerKey(keyFile: string): LedgerKeys {
  const current = loadLedgerKeys(keyFile);
  const { signerKey, verifierKey } = generateSignerKey(current.signer.name);
  writeAtomically(publicKeyFileOf(keyFile), [verifierKey, ...current.verifierKeys].join('\n') + '\n', 0o644);
  writeAtomically(keyFile, `${signerKey}\n`, 0o600);
  return loadLedgerKeys(keyFile);
}

export function defaultLedgerKeyFile(dataDir: string): string {
  return join(dataDir, LEDGER_KEY_FILE);
}
