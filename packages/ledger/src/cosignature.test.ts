import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  cosignCheckpoint,
  cosignVerifierFromKey,
  cosignerFromKey,
  generateCosignerKey,
  verifyCosignature,
} from './cosignature.js';
import { toHex } from './hash.js';
import { generateSignerKey, parseNote, signNote, signerFromKey, verifierFromKey, verifyNote } from './note.js';
import { codeOf } from './test-helpers.js';

// The example checkpoint and cosigned note of c2sp.org/tlog-cosignature.
const C2SP_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const C2SP_NOTE = `${C2SP_BODY}
— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==
`;
// A published Ed25519 cosignature/v1 (type 0x04) verifier key, from transparency-dev/formats
// note/note_cosigv1_test.go (TestCoSigV1NewVerifier).
const REMORA_VKEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';

const BODY = 'ward.example/hospital-1\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const WHEN = 1_750_000_000;

function rawPublicKey(verifierKey: string): Uint8Array {
  const b64 = verifierKey.split('+').slice(2).join('+');
  return new Uint8Array(Buffer.from(b64, 'base64')).subarray(1);
}

describe('cosignatures', () => {
  const witness = generateCosignerKey('peer-hospital.example/w1');

  it('derives key ids with type 0x04, as the published remora key shows', () => {
    const v = cosignVerifierFromKey(REMORA_VKEY);
    expect(toHex(v.keyId)).toBe('da77ade7');
    const pub = rawPublicKey(witness.verifierKey);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('peer-hospital.example/w1\n'), Buffer.from([0x04]), pub]))
      .digest()
      .subarray(0, 4);
    expect(toHex(cosignVerifierFromKey(witness.verifierKey).keyId)).toBe(toHex(expected));
    expect(toHex(cosignerFromKey(witness.signerKey).keyId)).toBe(toHex(expected));
  });

  it('round-trips and returns the timestamp', () => {
    const line = cosignCheckpoint(BODY, cosignerFromKey(witness.signerKey), WHEN);
    expect(line).toMatch(/^— peer-hospital\.example\/w1 [A-Za-z0-9+/]{102}==\n$/);
    const v = cosignVerifierFromKey(witness.verifierKey);
    expect(verifyCosignature(BODY, line, v)).toEqual({ timestampSeconds: WHEN });
    expect(verifyCosignature(BODY, line.slice(0, -1), v)).toEqual({ timestampSeconds: WHEN });
  });

  it('signs exactly "cosignature/v1\\ntime <t>\\n" + body, with key id || u64 timestamp || signature', () => {
    const line = cosignCheckpoint(BODY, cosignerFromKey(witness.signerKey), WHEN);
    const bytes = Buffer.from(line.trim().split(' ')[2] ?? '', 'base64');
    expect(bytes).toHaveLength(4 + 8 + 64);
    expect(bytes.readBigUInt64BE(4)).toBe(BigInt(WHEN));
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), rawPublicKey(witness.verifierKey)]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const message = Buffer.from(`cosignature/v1\ntime ${String(WHEN)}\n${BODY}`);
    expect(verify(null, message, key, bytes.subarray(12))).toBe(true);
  });

  it('works inside a note: the log signature and the cosignature verify together', () => {
    const log = generateSignerKey('ward.example/hospital-1');
    const note =
      signNote(BODY, [signerFromKey(log.signerKey)]) + cosignCheckpoint(BODY, cosignerFromKey(witness.signerKey), WHEN);
    const cosigner = cosignVerifierFromKey(witness.verifierKey);
    const { verified } = verifyNote(note, [verifierFromKey(log.verifierKey), cosigner]);
    expect(verified).toHaveLength(2);
    expect(verified).toContain(cosigner);
  });

  it('rejects a tampered body, timestamp or signature, and a line from another key', () => {
    const line = cosignCheckpoint(BODY, cosignerFromKey(witness.signerKey), WHEN);
    const v = cosignVerifierFromKey(witness.verifierKey);
    expect(codeOf(() => verifyCosignature(BODY.replace('\n42\n', '\n43\n'), line, v))).toBe('LEDGER_SIGNATURE_INVALID');
    const bytes = Buffer.from(line.trim().split(' ')[2] ?? '', 'base64');
    const name = 'peer-hospital.example/w1';
    const withBytes = (b: Buffer): string => `— ${name} ${b.toString('base64')}\n`;
    const laterTime = Buffer.from(bytes);
    laterTime.writeBigUInt64BE(BigInt(WHEN + 1), 4);
    expect(codeOf(() => verifyCosignature(BODY, withBytes(laterTime), v))).toBe('LEDGER_SIGNATURE_INVALID');
    const flipped = Buffer.from(bytes);
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    expect(codeOf(() => verifyCosignature(BODY, withBytes(flipped), v))).toBe('LEDGER_SIGNATURE_INVALID');
    expect(codeOf(() => verifyCosignature(BODY, withBytes(bytes.subarray(0, 70)), v))).toBe('LEDGER_SIGNATURE_INVALID');
    const other = generateCosignerKey(name);
    expect(codeOf(() => verifyCosignature(BODY, line, cosignVerifierFromKey(other.verifierKey)))).toBe(
      'LEDGER_SIGNATURE_INVALID',
    );
    expect(codeOf(() => verifyCosignature(BODY, 'not a line', v))).toBe('LEDGER_SIGNATURE_INVALID');
    expect(codeOf(() => verifyCosignature(BODY, `${line}${line}`, v))).toBe('LEDGER_SIGNATURE_INVALID');
  });

  it('does not accept a plain note signature from the same Ed25519 key as a cosignature', () => {
    // Same seed, type 0x01: a plain note signer. Its signature is over the body alone.
    const seedB64 = witness.signerKey.split('+').slice(4).join('+');
    const seed = Buffer.from(seedB64, 'base64');
    seed[0] = 0x01;
    const plainSigner = signerFromKey(
      `PRIVATE+KEY+peer-hospital.example/w1+${toHex(
        createHash('sha256')
          .update(
            Buffer.concat([
              Buffer.from('peer-hospital.example/w1\n'),
              Buffer.from([0x01]),
              rawPublicKey(witness.verifierKey),
            ]),
          )
          .digest()
          .subarray(0, 4),
      )}+${seed.toString('base64')}`,
    );
    const note = signNote(BODY, [plainSigner]);
    // Different key id (type byte differs), so the cosigner ignores it and nothing verifies.
    expect(codeOf(() => verifyNote(note, [cosignVerifierFromKey(witness.verifierKey)]))).toBe(
      'LEDGER_SIGNATURE_INVALID',
    );
  });

  it('reads the C2SP example: the witness line carries key id 8d66cf3f and time 1679315147', () => {
    const { signatures } = parseNote(C2SP_NOTE);
    const w = signatures.find((s) => s.name === 'witness.example.com/w1');
    expect(w === undefined ? undefined : toHex(w.keyId)).toBe('8d66cf3f');
    expect(w?.signature).toHaveLength(72);
    expect(w === undefined ? undefined : Buffer.from(w.signature).readBigUInt64BE(0)).toBe(1679315147n);
  });

  it('refuses keys of the wrong type, bodies that are not checkpoints and bad timestamps', () => {
    const plain = generateSignerKey('log.example');
    expect(codeOf(() => cosignVerifierFromKey(plain.verifierKey))).toBe('LEDGER_KEY_INVALID');
    expect(codeOf(() => cosignerFromKey(plain.signerKey))).toBe('LEDGER_KEY_INVALID');
    expect(codeOf(() => verifierFromKey(witness.verifierKey))).toBe('LEDGER_KEY_INVALID');
    const signer = cosignerFromKey(witness.signerKey);
    expect(codeOf(() => cosignCheckpoint('not a checkpoint\n', signer, WHEN))).toBe('LEDGER_CHECKPOINT_INVALID');
    expect(codeOf(() => cosignCheckpoint(BODY, signer, -1))).toBe('LEDGER_INPUT_INVALID');
    expect(codeOf(() => cosignCheckpoint(BODY, signer, 1.5))).toBe('LEDGER_INPUT_INVALID');
  });
});
