/**
 * @module ledger-keys
 * The ledger's signing key on disk. `ledger.key` holds the current signer key (mode 0600; its name
 * is the log's origin); `ledger.pub` lists every verifier key the log has used, newest first, so a
 * checkpoint signed before a rotation still verifies. Rotation writes a new signer, prepends its
 * verifier key and destroys the old private key.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { generateSignerKey, signerFromKey, verifierFromKey, type NoteSigner } from '@ward/ledger';
import { ServerError } from './errors.js';
import type { LedgerKeys } from './ledger.js';

export const LEDGER_KEY_FILE = 'ledger.key';

export function publicKeyFileOf(keyFile: string): string {
  return keyFile.replace(/\.key$/, '') + '.pub';
}

/** The secret that turns record ids into pseudonyms; never published. Back it up with the key. */
export function pseudonymKeyFileOf(keyFile: string): string {
  return keyFile.replace(/\.key$/, '') + '.pseudonym-key';
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
  let pseudonymKey: Uint8Array;
  try {
    signer = signerFromKey(readFileSync(keyFile, 'utf8').trim());
    pseudonymKey = Buffer.from(readFileSync(pseudonymKeyFileOf(keyFile), 'utf8').trim(), 'hex');
    if (pseudonymKey.length !== 32) throw new Error('the pseudonym key must be 32 bytes of hex');
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
  return { signer, verifierKeys, pseudonymKey };
}

/**
 * Reads the ledger's keys, creating them for `origin` the first time. Without an origin, a unique
 * one is made up, so two hospitals that kept the defaults never share a log name (witnesses tell
 * logs apart by it).
 */
export function loadOrCreateLedgerKeys(keyFile: string, origin?: string): LedgerKeys {
  if (!existsSync(keyFile)) {
    const { signerKey, verifierKey } = generateSignerKey(
      origin ?? `ward.local/ledger-${randomBytes(4).toString('hex')}`,
    );
    writeAtomically(pseudonymKeyFileOf(keyFile), `${randomBytes(32).toString('hex')}\n`, 0o600);
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
