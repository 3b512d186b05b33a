import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { oracleVerifiesConsistency, oracleVerifiesInclusion } from '../../../test/rfc9162-oracle.js';
import { ward } from './test-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ward-ledger-cli-'));
let n = 0;
const fresh = (): string => join(root, `d${String((n += 1))}`);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const hex = (i: number): string => i.toString(16).padStart(64, '0');
function recordLines(from: number, count: number, prefix = 'ehr'): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      kind: 'record',
      at: '2026-11-28T10:00:00.000Z',
      recordId: `${prefix}-${String(from + i)}`,
      version: 1,
      sha256: hex(from + i),
    }),
  ).join('\n');
}

async function initLog(dir: string, count: number): Promise<string> {
  expect((await ward(['ledger', 'init', '--dir', dir, '--origin', 'hospital-a.example/ledger'])).code).toBe(0);
  if (count > 0)
    expect((await ward(['ledger', 'append', '--dir', dir], { stdin: recordLines(0, count) })).code).toBe(0);
  return readFileSync(join(dir, 'ledger.pub'), 'utf8').trim();
}

describe('ward ledger', () => {
  it('prints inclusion and consistency proofs in the documented JSON shape, and an independent verifier accepts them', async () => {
    const dir = fresh();
    await initLog(dir, 13);
    const inclusion = await ward([
      'ledger',
      'prove',
      'inclusion',
      '--dir',
      dir,
      '--index',
      '5',
      '--size',
      '13',
      '--json',
    ]);
    expect(inclusion.code).toBe(0);
    const ip = inclusion.json<{
      leafIndex: number;
      treeSize: number;
      leafHash: string;
      hashes: string[];
      rootHash: string;
    }>();
    expect(Object.keys(ip).sort()).toEqual(['hashes', 'leafHash', 'leafIndex', 'rootHash', 'treeSize']);
    expect(ip).toMatchObject({ leafIndex: 5, treeSize: 13 });
    expect(await oracleVerifiesInclusion(ip)).toBe(true);

    const consistency = await ward([
      'ledger',
      'prove',
      'consistency',
      '--dir',
      dir,
      '--first',
      '6',
      '--second',
      '13',
      '--json',
    ]);
    const cp = consistency.json<{
      first: number;
      second: number;
      hashes: string[];
      firstRoot: string;
      secondRoot: string;
    }>();
    expect(Object.keys(cp).sort()).toEqual(['first', 'firstRoot', 'hashes', 'second', 'secondRoot']);
    expect(cp.secondRoot).toBe(ip.rootHash);
    expect(await oracleVerifiesConsistency(cp)).toBe(true);

    const badIndex = await ward(['ledger', 'prove', 'inclusion', '--dir', dir, '--index', '13', '--size', '13']);
    expect(badIndex.code).toBe(1);
    expect(badIndex.stderr).toContain('LEDGER_INPUT_INVALID');
    expect((await ward(['ledger', 'prove', 'inclusion', '--dir', dir, '--index', 'x', '--size', '13'])).code).toBe(2);
  });

  it('verifies a checkpoint signature, and proofs against it, offline', async () => {
    const dir = fresh();
    const key = await initLog(dir, 9);
    const files = {
      checkpoint: join(dir, 'cp.txt'),
      inclusion: join(dir, 'inc.json'),
      consistency: join(dir, 'con.json'),
    };
    writeFileSync(files.checkpoint, (await ward(['ledger', 'checkpoint', '--dir', dir])).stdout);
    writeFileSync(
      files.inclusion,
      (await ward(['ledger', 'prove', 'inclusion', '--dir', dir, '--index', '2', '--size', '9', '--json'])).stdout,
    );
    writeFileSync(
      files.consistency,
      (await ward(['ledger', 'prove', 'consistency', '--dir', dir, '--first', '3', '--second', '9', '--json'])).stdout,
    );
    const ok = await ward([
      'ledger',
      'verify',
      '--checkpoint',
      files.checkpoint,
      '--key',
      key,
      '--inclusion',
      files.inclusion,
      '--consistency',
      files.consistency,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.match(/^OK:/gm)).toHaveLength(3);

    const other = await ward(['ledger', 'init', '--dir', fresh(), '--origin', 'hospital-b.example/ledger', '--json']);
    const wrongKey = await ward([
      'ledger',
      'verify',
      '--checkpoint',
      files.checkpoint,
      '--key',
      String(other.json().verifierKey),
    ]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('LEDGER_SIGNATURE_INVALID');

    // A proof for another size than the checkpoint's is refused even if it is internally consistent.
    const smaller = join(dir, 'small.json');
    writeFileSync(
      smaller,
      (await ward(['ledger', 'prove', 'inclusion', '--dir', dir, '--index', '0', '--size', '4', '--json'])).stdout,
    );
    const wrongSize = await ward([
      'ledger',
      'verify',
      '--checkpoint',
      files.checkpoint,
      '--key',
      key,
      '--inclusion',
      smaller,
    ]);
    expect(wrongSize.code).toBe(1);
    expect(wrongSize.stderr).toContain('the proof is for tree size 4');
    // A consistency proof must start from the earlier signed checkpoint given.
    const otherDir = fresh();
    await initLog(otherDir, 3);
    const older = join(dir, 'old.txt');
    writeFileSync(older, (await ward(['ledger', 'checkpoint', '--dir', otherDir])).stdout);
    const foreignOld = await ward([
      'ledger',
      'verify',
      '--checkpoint',
      files.checkpoint,
      '--old-checkpoint',
      older,
      '--key',
      key,
      '--consistency',
      files.consistency,
    ]);
    expect(foreignOld.code).toBe(1);

    const proof = JSON.parse(readFileSync(files.inclusion, 'utf8')) as { hashes: string[] };
    proof.hashes[0] = hex(42);
    writeFileSync(files.inclusion, JSON.stringify(proof));
    const tampered = await ward([
      'ledger',
      'verify',
      '--checkpoint',
      files.checkpoint,
      '--key',
      key,
      '--inclusion',
      files.inclusion,
    ]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('does not verify');
  });

  it('appends nothing when any line is bad, and names the line and field', async () => {
    const dir = fresh();
    await initLog(dir, 3);
    const lines = [
      recordLines(10, 1),
      '{"kind":"record","at":"2026-11-28T10:00:00.000Z","recordId":"ehr-1","version":1,"sha256":"' +
        hex(1) +
        '","patientName":"Jane Doe"}',
      'not json',
    ].join('\n');
    const res = await ward(['ledger', 'append', '--dir', dir], { stdin: lines });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('line 2 (patientName)');
    expect(res.stderr).toContain('line 3');
    const cp = await ward(['ledger', 'checkpoint', '--dir', dir, '--json']);
    expect(cp.json()).toMatchObject({ size: 3 });
  });

  it('keeps old checkpoints verifiable after a key rotation', async () => {
    const dir = fresh();
    const oldKey = await initLog(dir, 4);
    const rotated = await ward(['ledger', 'rotate-key', '--dir', dir, '--json']);
    const keys = rotated.json<{ verifierKeys: string[] }>().verifierKeys;
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(oldKey);
    expect((await ward(['ledger', 'append', '--dir', dir], { stdin: recordLines(4, 3) })).code).toBe(0);
    const verify = await ward(['ledger', 'verify', '--dir', dir, '--json']);
    expect(verify.code).toBe(0);
    expect(verify.json()).toMatchObject({ ok: true, size: 7, checkpoints: 2 });
    const cpFile = join(dir, 'cp.txt');
    writeFileSync(cpFile, (await ward(['ledger', 'checkpoint', '--dir', dir])).stdout);
    expect((await ward(['ledger', 'verify', '--checkpoint', cpFile, '--key', oldKey])).code).toBe(1);
    expect((await ward(['ledger', 'verify', '--checkpoint', cpFile, '--key', keys[0] ?? ''])).code).toBe(0);
  });

  it('refuses to initialise a folder twice, and to work on one never initialised', async () => {
    const dir = fresh();
    await initLog(dir, 0);
    expect((await ward(['ledger', 'init', '--dir', dir])).code).toBe(2);
    const none = await ward(['ledger', 'checkpoint', '--dir', fresh()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ward ledger init');
  });
});

describe('ward witness', () => {
  it('cosigns a log that grows consistently and refuses a fork, recording an alert', async () => {
    const log = fresh();
    const key = await initLog(log, 10);
    const w = fresh();
    const init = await ward([
      'witness',
      'init',
      '--witness-dir',
      w,
      '--name',
      'st-elsewhere.example/witness',
      '--json',
    ]);
    expect(init.code).toBe(0);

    const first = await ward(['witness', 'add', '--witness-dir', w, '--log', log, '--log-key', key, '--json']);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ size: 10, previousSize: null });
    expect(String(first.json().cosigned)).toMatch(/^— st-elsewhere\.example\/witness /m);

    await ward(['ledger', 'append', '--dir', log], { stdin: recordLines(10, 5) });
    const second = await ward(['witness', 'add', '--witness-dir', w, '--log', log, '--log-key', key, '--json']);
    expect(second.code).toBe(0);
    expect(second.json()).toMatchObject({ size: 15, previousSize: 10 });

    // The same log key, a rewritten history: a fork.
    const fork = fresh();
    await ward(['ledger', 'init', '--dir', fork, '--origin', 'hospital-a.example/ledger']);
    for (const file of ['ledger.key', 'ledger.pub']) writeFileSync(join(fork, file), readFileSync(join(log, file)));
    await ward(['ledger', 'append', '--dir', fork], { stdin: recordLines(0, 20, 'rewritten') });
    const refused = await ward(['witness', 'add', '--witness-dir', w, '--log', fork, '--log-key', key]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SERVER_WITNESS_FORK');
    expect(refused.stderr).toContain('not consistent');

    // A truncated history (smaller than what was cosigned) is refused too.
    const short = fresh();
    await ward(['ledger', 'init', '--dir', short, '--origin', 'hospital-a.example/ledger']);
    for (const file of ['ledger.key', 'ledger.pub']) writeFileSync(join(short, file), readFileSync(join(log, file)));
    await ward(['ledger', 'append', '--dir', short], { stdin: recordLines(0, 12) });
    const truncated = await ward(['witness', 'add', '--witness-dir', w, '--log', short, '--log-key', key]);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain('smaller than');

    const alerts = await ward(['witness', 'alerts', '--witness-dir', w, '--json']);
    expect(alerts.json<{ items: { offeredSize: number; cosignedSize: number }[] }>().items).toMatchObject([
      { offeredSize: 20, cosignedSize: 15 },
      { offeredSize: 12, cosignedSize: 15 },
    ]);
    // A checkpoint whose origin is not the key's name is refused.
    const renamed = fresh();
    await ward(['ledger', 'init', '--dir', renamed, '--origin', 'hospital-z.example/ledger']);
    await ward(['ledger', 'append', '--dir', renamed], { stdin: recordLines(0, 30) });
    const otherKey = readFileSync(join(renamed, 'ledger.pub'), 'utf8').trim();
    expect((await ward(['witness', 'add', '--witness-dir', w, '--log', renamed, '--log-key', key])).code).toBe(1);
    expect((await ward(['witness', 'add', '--witness-dir', w, '--log', renamed, '--log-key', otherKey])).code).toBe(0);

    // After refusing, it still cosigns the real log.
    await ward(['ledger', 'append', '--dir', log], { stdin: recordLines(15, 1) });
    expect((await ward(['witness', 'add', '--witness-dir', w, '--log', log, '--log-key', key])).code).toBe(0);
  });
});
