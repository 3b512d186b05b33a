// Keeps docs/errors.md and the error codes in the code in step: same set, same HTTP status, same
// exit code.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_ERROR_CODES } from '@ward/cli';
import { CORE_ERROR_CODES } from '@ward/core';
import { INVENTORY_ERROR_CODES } from '@ward/inventory';
import { LAB_ERROR_CODES } from '@ward/lab';
import { INTEL_ERROR_CODES, INTEL_MATCH_ERROR_CODES } from '@ward/intel';
import { LEDGER_ERROR_CODES } from '@ward/ledger';
import { AUTH_ERROR_CODES, JOBS_ERROR_CODES, SERVER_ERROR_CODES } from '@ward/services';
import { statusOf } from '@ward/server';
import { SENSOR_ERROR_CODES } from '@ward/sensor';
import { STORE_ERROR_CODES } from '@ward/store';
import { WIRE_ERROR_CODES } from '@ward/wire';
import { WIRE_APP_ERROR_CODES } from '@ward/wire';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../packages/cli/src/errors.js';

const catalogue = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../docs/errors.md'), 'utf8');

interface Row {
  readonly code: string;
  readonly http: string;
  readonly exit: string;
}

const rows: Row[] = [...catalogue.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => ({
  code: m[1] ?? '',
  http: (m[2] ?? '').trim(),
  exit: (m[3] ?? '').trim(),
}));

const codes = [
  ...CORE_ERROR_CODES,
  ...STORE_ERROR_CODES,
  ...SERVER_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  ...JOBS_ERROR_CODES,
  ...CLI_ERROR_CODES,
  ...LEDGER_ERROR_CODES,
  ...WIRE_ERROR_CODES,
  ...WIRE_APP_ERROR_CODES,
  ...SENSOR_ERROR_CODES,
  ...INVENTORY_ERROR_CODES,
  ...LAB_ERROR_CODES,
  ...INTEL_MATCH_ERROR_CODES,
  ...INTEL_ERROR_CODES,
];

describe('docs/errors.md', () => {
  it('lists every code once, and no code that does not exist', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    expect(rows.map((r) => r.code).sort()).toEqual([...codes].sort());
  });

  it('gives each code the HTTP status and exit code the code uses', () => {
    for (const row of rows) {
      if (!row.code.startsWith('CLI_'))
        expect(`${row.code} ${row.http}`).toBe(`${row.code} ${String(statusOf(row.code))}`);
      expect(`${row.code} ${row.exit}`).toBe(`${row.code} ${String(exitCodeOf(row.code))}`);
    }
  });
});
