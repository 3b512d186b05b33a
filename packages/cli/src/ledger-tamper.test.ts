// Tamper evidence: change one stored byte of a leaf, a node or a checkpoint at random, 1,000 times;
// `ward ledger verify` must fail every time and name what is inconsistent.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ward } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-tamper-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

type Target =
  | { table: 'ledger_leaves'; column: 'entry' | 'leaf_hash'; key: { idx: number } }
  | { table: 'ledger_nodes'; column: 'hash'; key: { level: number; idx: number } }
  | { table: 'ledger_checkpoints'; column: 'note'; key: { size: number } };

describe('tamper evidence', () => {
  let db: BetterSqlite3.Database;
  let targets: Target[];

  beforeAll(async () => {
    expect((await ward(['ledger', 'init', '--dir', dir, '--origin', 'hospital-a.example/ledger'])).code).toBe(0);
    // Several appends, so that several checkpoints exist.
    for (let batch = 0; batch < 4; batch += 1) {
      const lines = Array.from({ length: 25 }, (_, i) =>
        JSON.stringify({
          kind: 'access',
          at: '2026-11-28T10:00:00.000Z',
          actor: `user-${String(i % 7)}`,
          role: 'clinical-engineer',
          action: 'GET /api/v1/devices/:id',
          object: `dev-${String(batch * 25 + i)}`,
          outcome: 'allowed',
          status: 200,
        }),
      ).join('\n');
      expect((await ward(['ledger', 'append', '--dir', dir], { stdin: lines })).code).toBe(0);
    }
    expect((await ward(['ledger', 'verify', '--dir', dir])).code).toBe(0);
    db = new BetterSqlite3(join(dir, 'ward.db'));
    targets = [
      ...(db.prepare('select idx from ledger_leaves').all() as { idx: number }[]).flatMap((r) => [
        { table: 'ledger_leaves' as const, column: 'entry' as const, key: { idx: r.idx } },
        { table: 'ledger_leaves' as const, column: 'leaf_hash' as const, key: { idx: r.idx } },
      ]),
      ...(db.prepare('select level, idx from ledger_nodes').all() as { level: number; idx: number }[]).map((r) => ({
        table: 'ledger_nodes' as const,
        column: 'hash' as const,
        key: r,
      })),
      ...(db.prepare('select size from ledger_checkpoints').all() as { size: number }[]).map((r) => ({
        table: 'ledger_checkpoints' as const,
        column: 'note' as const,
        key: r,
      })),
    ];
  });

  afterAll(() => {
    db.close();
  });

  function where(target: Target): { clause: string; values: number[] } {
    const keys = Object.entries(target.key);
    return { clause: keys.map(([k]) => `${k} = ?`).join(' and '), values: keys.map(([, v]) => v) };
  }

  it('fails verification for every one of 1,000 random single-byte changes and names the place', async () => {
    expect(targets.length).toBeGreaterThan(300);
    let trials = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: targets.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 1, max: 255 }),
        async (which, position, delta) => {
          trials += 1;
          const target = targets[which];
          if (target === undefined) throw new Error('no target');
          const { clause, values } = where(target);
          const original = (
            db.prepare(`select ${target.column} as v from ${target.table} where ${clause}`).get(...values) as {
              v: string;
            }
          ).v;
          const bytes = Buffer.from(original, 'utf8');
          const at = Math.floor(position * bytes.length);
          bytes[at] = ((bytes[at] ?? 0) + delta) % 256;
          const changed = bytes.toString('utf8');
          if (changed === original) return; // the byte changed into the same text (invalid UTF-8 repaired): nothing to detect
          db.prepare(`update ${target.table} set ${target.column} = ? where ${clause}`).run(changed, ...values);
          try {
            const result = await ward(['ledger', 'verify', '--dir', dir, '--json']);
            expect(
              result.code,
              `${target.table}.${target.column} ${JSON.stringify(target.key)} byte ${String(at)}`,
            ).toBe(1);
            const report = result.json<{ ok: boolean; problems: { where: string }[] }>();
            expect(report.ok).toBe(false);
            const named = report.problems.map((p) => p.where);
            if (target.table === 'ledger_leaves')
              expect(named.some((w) => w.includes(String(target.key.idx)))).toBe(true);
            if (target.table === 'ledger_nodes') {
              expect(
                named.some((w) => w.startsWith('node (') || w.startsWith('checkpoint') || w.startsWith('leaf')),
              ).toBe(true);
            }
            if (target.table === 'ledger_checkpoints') expect(named).toContain(`checkpoint ${String(target.key.size)}`);
          } finally {
            db.prepare(`update ${target.table} set ${target.column} = ? where ${clause}`).run(original, ...values);
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(trials).toBe(1000);
    expect((await ward(['ledger', 'verify', '--dir', dir])).code).toBe(0);
  }, 300_000);

  it('catches a truncated history by the checkpoints signed before it', async () => {
    const copy = `${dir}-truncated`;
    cpSync(dir, copy, { recursive: true });
    const truncated = new BetterSqlite3(join(copy, 'ward.db'));
    try {
      truncated.exec(
        'delete from ledger_leaves where idx >= 90; delete from ledger_nodes where level = 0 and idx >= 90; update ledger_state set size = 90',
      );
    } finally {
      truncated.close();
    }
    try {
      const result = await ward(['ledger', 'verify', '--dir', copy, '--json']);
      expect(result.code).toBe(1);
      const problems = result.json<{ problems: { where: string; message: string }[] }>().problems;
      expect(problems.some((p) => p.where === 'checkpoint 100' && p.message.includes('larger than the log'))).toBe(
        true,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
