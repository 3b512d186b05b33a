import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IEEE_DATA_DIR, loadOuiRegistry, splitCsvLine } from './oui.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-oui-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('OUI registry', () => {
  it('splits quoted CSV cells as the IEEE files quote them', () => {
    expect(splitCsvLine('MA-S,70B3D5F2F,TELEPLATFORMS,"Polbina st., 3/1 Moscow  RU 109388 "')).toEqual([
      'MA-S',
      '70B3D5F2F',
      'TELEPLATFORMS',
      'Polbina st., 3/1 Moscow  RU 109388 ',
    ]);
    expect(splitCsvLine('a,"say ""hi""",c')).toEqual(['a', 'say "hi"', 'c']);
  });

  it('looks up MA-L, MA-M and MA-S blocks, longest prefix first', () => {
    writeFileSync(
      join(dir, 'oui.csv'),
      'Registry,Assignment,Organization Name,Organization Address\nMA-L,70B3D5,IEEE Registration Authority,x\nMA-L,0000F3,"Sysmex Corporation",y\n',
    );
    writeFileSync(
      join(dir, 'mam.csv'),
      'Registry,Assignment,Organization Name,Organization Address\nMA-M,741AE09,Private,\nMA-M,208593B,IOG Products LLC,z\n',
    );
    writeFileSync(
      join(dir, 'oui36.csv'),
      'Registry,Assignment,Organization Name,Organization Address\nMA-S,70B3D5F2F,TELEPLATFORMS,"a, b"\n',
    );
    const registry = loadOuiRegistry(dir);
    expect(registry.lookup('00:00:F3:01:02:03')).toBe('Sysmex Corporation');
    expect(registry.lookup('20-85-93-b1-02-03')).toBe('IOG Products LLC');
    expect(registry.lookup('70:b3:d5:f2:ff:01')).toBe('TELEPLATFORMS');
    expect(registry.lookup('70:b3:d5:00:00:01')).toBe('IEEE Registration Authority');
    expect(registry.lookup('74:1a:e0:90:00:01')).toBeNull(); // "Private"
    expect(registry.lookup('02:00:f3:01:02:03')).toBeNull(); // locally administered
    expect(registry.lookup('nonsense')).toBeNull();
  });

  it('is empty, and says so once, when the registry is absent', () => {
    const warnings: string[] = [];
    const registry = loadOuiRegistry(join(dir, 'missing'), (d) => warnings.push(d));
    expect(registry.lookup('00:00:f3:01:02:03')).toBeNull();
    expect(warnings).toHaveLength(1);
  });

  it('never throws on any registry text or MAC', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, mac) => {
        writeFileSync(join(dir, 'oui.csv'), text);
        expect(() => loadOuiRegistry(dir).lookup(mac)).not.toThrow();
      }),
      { numRuns: 50 },
    );
  });

  const have = existsSync(join(DEFAULT_IEEE_DATA_DIR, 'oui.csv'));
  if (!have) console.warn(`skipping the Debian ieee-data test: ${DEFAULT_IEEE_DATA_DIR}/oui.csv absent`);
  it.skipIf(!have)('reads Debian ieee-data: a real MA-L, MA-M and MA-S entry', () => {
    const registry = loadOuiRegistry();
    expect(registry.size).toBeGreaterThan(40000);
    expect(registry.lookup('00:d0:ef:00:00:01')).toBe('IGT');
    expect(registry.lookup('20:85:93:b0:00:01')).toBe('IOG Products LLC');
    expect(registry.lookup('70:b3:d5:f2:f0:01')).toBe('TELEPLATFORMS');
  });
});
