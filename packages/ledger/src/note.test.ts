import { describe, expect, it } from 'vitest';
import { toHex } from './hash.js';
import {
  MAX_NOTE_SIGNATURES,
  generateSignerKey,
  parseNote,
  signNote,
  signerFromKey,
  verifierFromKey,
  verifyNote,
} from './note.js';
import { codeOf } from './test-helpers.js';

// The example key and note of golang.org/x/mod/sumdb/note (package documentation, ExampleSign and
// ExampleOpen). Ed25519 is deterministic, so signing the same text must give the same bytes.
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

// The example of c2sp.org/signed-note v1.1.0 ("Verifier keys").
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const BODY = 'ward.example/hospital-1\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

describe('signed notes: published vectors', () => {
  it('reproduces the Go note example byte for byte', () => {
    const signer = signerFromKey(GO_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(toHex(signer.keyId)).toBe('c74f20a3');
    expect(signNote(GO_TEXT, [signer])).toBe(GO_NOTE);
  });

  it('verifies the Go note example and the C2SP example', () => {
    const peter = verifierFromKey(GO_VKEY);
    expect(verifyNote(GO_NOTE, [peter])).toEqual({ body: GO_TEXT, verified: [peter] });
    const foo = verifierFromKey(SPEC_VKEY);
    expect(verifyNote(SPEC_NOTE, [foo]).body).toBe('This is an example message.\n');
  });
});

describe('signed notes', () => {
  const log = generateSignerKey('ward.example/hospital-1');
  const other = generateSignerKey('ward.example/hospital-2');

  it('generates keys in the Go text forms and round-trips a note', () => {
    expect(log.signerKey).toMatch(/^PRIVATE\+KEY\+ward\.example\/hospital-1\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/);
    expect(log.verifierKey).toMatch(/^ward\.example\/hospital-1\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/);
    const note = signNote(BODY, [signerFromKey(log.signerKey)]);
    const { body, verified } = verifyNote(note, [verifierFromKey(log.verifierKey)]);
    expect(body).toBe(BODY);
    expect(verified.map((v) => v.name)).toEqual(['ward.example/hospital-1']);
    const parsed = parseNote(note);
    expect(parsed.body).toBe(BODY);
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]?.signature).toHaveLength(64);
  });

  it('ignores signatures by unknown keys, including a known name with another key id', () => {
    const impostor = generateSignerKey('ward.example/hospital-1'); // same name, different key
    const note = signNote(BODY, [
      signerFromKey(other.signerKey),
      signerFromKey(impostor.signerKey),
      signerFromKey(log.signerKey),
    ]);
    const { verified } = verifyNote(note, [verifierFromKey(log.verifierKey)]);
    expect(verified).toHaveLength(1);
  });

  it('rejects a note that no known key signed', () => {
    const note = signNote(BODY, [signerFromKey(other.signerKey)]);
    expect(codeOf(() => verifyNote(note, [verifierFromKey(log.verifierKey)]))).toBe('LEDGER_SIGNATURE_INVALID');
    expect(codeOf(() => verifyNote(note, []))).toBe('LEDGER_SIGNATURE_INVALID');
  });

  it('rejects a tampered body or signature', () => {
    const note = signNote(BODY, [signerFromKey(log.signerKey)]);
    const verifier = verifierFromKey(log.verifierKey);
    expect(codeOf(() => verifyNote(note.replace('\n42\n', '\n43\n'), [verifier]))).toBe('LEDGER_SIGNATURE_INVALID');
    const sigStart = note.lastIndexOf(' ') + 10;
    const c = note[sigStart] === 'A' ? 'B' : 'A';
    const tampered = note.slice(0, sigStart) + c + note.slice(sigStart + 1);
    expect(codeOf(() => verifyNote(tampered, [verifier]))).toBe('LEDGER_SIGNATURE_INVALID');
  });

  it('rejects the whole note when one known signature fails even if another verifies', () => {
    const good = signNote(BODY, [signerFromKey(log.signerKey), signerFromKey(other.signerKey)]);
    const lines = good.split('\n');
    const otherLine = lines.at(-2) ?? '';
    const broken = [
      ...lines.slice(0, -2),
      otherLine.slice(0, -6) + (otherLine.endsWith('AAAAA=') ? 'ABCDA=' : 'AAAAA='),
      '',
    ].join('\n');
    const verifiers = [verifierFromKey(log.verifierKey), verifierFromKey(other.verifierKey)];
    expect(verifyNote(good, verifiers).verified).toHaveLength(2);
    expect(codeOf(() => verifyNote(broken, verifiers))).toBe('LEDGER_SIGNATURE_INVALID');
  });

  it('refuses malformed notes', () => {
    const note = signNote(BODY, [signerFromKey(log.signerKey)]);
    const sigLine = note.slice(BODY.length + 1);
    for (const bad of [
      BODY, // no signatures
      note.slice(0, -1), // no final newline
      `${BODY}\n`, // blank line but no signature
      BODY + '\n' + sigLine.replace('— ', '- '), // not an em dash
      BODY + '\n' + sigLine.replace('— ', '—'), // no space
      BODY + '\n' + sigLine.replace(/ [^ ]+\n$/, ' AAAA\n'), // under 5 bytes
      BODY + '\n' + sigLine.replace(/=\n$/, '\n'), // bad padding
      `${BODY.replace('42', '4\u00012')}\n${sigLine}`, // control character
      `${BODY}\n${sigLine}\n`, // trailing blank line
      `${BODY}\n${sigLine.repeat(MAX_NOTE_SIGNATURES + 1)}`,
    ]) {
      expect(codeOf(() => parseNote(bad))).toBe('LEDGER_NOTE_INVALID');
    }
    expect(parseNote(`${BODY}\n${sigLine.repeat(MAX_NOTE_SIGNATURES)}`).signatures).toHaveLength(MAX_NOTE_SIGNATURES);
  });

  it('separates the body at the last blank line, so bodies may contain blank lines', () => {
    const body = 'first\n\nsecond\n';
    const note = signNote(body, [signerFromKey(log.signerKey)]);
    expect(verifyNote(note, [verifierFromKey(log.verifierKey)]).body).toBe(body);
  });

  it('refuses to sign a body without a final newline or with control characters', () => {
    const signer = signerFromKey(log.signerKey);
    expect(codeOf(() => signNote('no newline', [signer]))).toBe('LEDGER_NOTE_INVALID');
    expect(codeOf(() => signNote('tab\there\n', [signer]))).toBe('LEDGER_NOTE_INVALID');
    expect(codeOf(() => signNote('ok\n', []))).toBe('LEDGER_INPUT_INVALID');
  });

  it('refuses malformed keys', () => {
    const [, , , hex, key] = GO_SKEY.split('+', 5);
    for (const bad of [
      'PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', // wrong key id
      'PRIVATE+KEY+PeterNeumann+C74F20A3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', // upper-case hex
      'PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', // space in name
      'PRIVATE+KEY+PeterNeumann+c74f20a3+BIEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', // type 0x04
      'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXH', // short
      `PRIVATE+KEY++${String(hex)}+${String(key)}`,
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    ]) {
      expect(codeOf(() => signerFromKey(bad))).toBe('LEDGER_KEY_INVALID');
    }
    for (const bad of [
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T',
      'PeterNeumann+c74f20a3',
      'Peter+Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      GO_SKEY,
    ]) {
      expect(codeOf(() => verifierFromKey(bad))).toBe('LEDGER_KEY_INVALID');
    }
    expect(codeOf(() => generateSignerKey('has space'))).toBe('LEDGER_KEY_INVALID');
    expect(codeOf(() => generateSignerKey('a+b'))).toBe('LEDGER_KEY_INVALID');
    expect(codeOf(() => generateSignerKey(''))).toBe('LEDGER_KEY_INVALID');
  });

  it('refuses two verifiers with the same name and key id', () => {
    const v = verifierFromKey(log.verifierKey);
    const note = signNote(BODY, [signerFromKey(log.signerKey)]);
    expect(codeOf(() => verifyNote(note, [v, { ...v }]))).toBe('LEDGER_KEY_INVALID');
  });

  it('never leaks the private key into an error', () => {
    const secret = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
    try {
      signerFromKey(`PRIVATE+KEY+PeterNeumann+00000000+${secret}`);
    } catch (error) {
      expect(
        JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details }),
      ).not.toContain(secret.slice(0, 10));
    }
  });
});
