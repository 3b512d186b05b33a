// The ledger is pure: it imports @ward/core, node:crypto and node:buffer and nothing else — no file
// system, no network, no database. (The root ESLint config can enforce the same; this test keeps
// the rule next to the package until it does.)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const ALLOWED = new Set(['@ward/core', 'node:crypto', 'node:buffer']);

describe('@ward/ledger purity', () => {
  it('imports nothing but @ward/core, node:crypto, node:buffer and its own modules', () => {
    const sources = readdirSync(here).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'test-helpers.ts',
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(join(here, file), 'utf8');
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
        (m) => m[1] ?? '',
      );
      expect(/\bimport\s*\(/.test(text) || /\brequire\s*\(/.test(text)).toBe(false);
      for (const specifier of specifiers) {
        expect({ file, specifier, allowed: specifier.startsWith('./') || ALLOWED.has(specifier) }).toEqual({
          file,
          specifier,
          allowed: true,
        });
      }
    }
  });
});
