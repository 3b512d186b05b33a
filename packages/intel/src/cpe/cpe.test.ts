import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '@ward/core';
import type { CpeNode } from '@ward/core';
import { formatCpe23, parseCpe, parseCpe22Uri, parseCpe23 } from './cpe.js';
import { CpeSubjects, evaluateConfigurations } from './cpe-config.js';
import { compareCpeValues, cpeRelation } from './cpe-match.js';

describe('CPE 2.3 formatted strings (NISTIR 7695)', () => {
  it('parses escapes and binds back to the same string', () => {
    for (const fs of [
      'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*',
      'cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:*:*:*:*',
      'cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp\\?:*:*:*:*:*:*',
      'cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:-:*:*:*:*:*',
      'cpe:2.3:a:the_legion_of_the_bouncy_castle_inc.:bouncycastle:1.8.1:*:*:*:*:*:*:*',
      'cpe:2.3:a:hp:insight\\:diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*',
    ]) {
      expect(formatCpe23(parseCpe23(fs))).toBe(fs);
    }
    const cpe = parseCpe23('cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:*:*:*:*');
    expect(cpe.vendor).toEqual({ kind: 'value', text: 'foo\\bar', before: '', after: '' });
    expect(cpe.update).toEqual({ kind: 'any' });
  });

  it('converts the CPE 2.2 URIs of NISTIR 7695’s examples', () => {
    const cases: [string, string][] = [
      [
        'cpe:/a:microsoft:internet_explorer:8.0.6001:beta',
        'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*',
      ],
      [
        'cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f',
        'cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp\\?:*:*:*:*:*:*',
      ],
      ['cpe:/a:microsoft:internet_explorer:8.%02:sp%01', 'cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*'],
      [
        'cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~',
        'cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*',
      ],
      [
        'cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~',
        'cpe:2.3:a:hp:openview_network_manager:7.51:-:*:*:*:linux:*:*',
      ],
      ['cpe:/a:foo%5cbar:big%24money_manager_2010', 'cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:*:*:*:*'],
    ];
    for (const [uri, fs] of cases) expect(formatCpe23(parseCpe22Uri(uri))).toBe(fs);
  });

  it('rejects malformed names with INTEL_CPE_INVALID', () => {
    for (const bad of [
      'cpe:2.3:a:vendor',
      'cpe:2.3:x:vendor:product:*:*:*:*:*:*:*:*',
      'cpe:2.3:a:ven*dor:product:*:*:*:*:*:*:*:*',
      'cpe:2.3:a::product:*:*:*:*:*:*:*:*',
      'cpe:2.3:a:vendor:product:1\\',
      'cpe:/a:vendor:prod%zz',
      'cpe:/a:a:b:c:d:e:f:g',
      'not a cpe',
    ]) {
      let caught: unknown;
      try {
        parseCpe(bad);
      } catch (error) {
        caught = error;
      }
      expect(hasErrorCode(caught, ['INTEL_CPE_INVALID'])).toBe(true);
    }
  });

  it('never throws anything but INTEL_CPE_INVALID, and round-trips what it accepts', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { minLength: 11, maxLength: 11 }), (parts) => {
        const text = `cpe:2.3:${parts.join(':')}`;
        try {
          const cpe = parseCpe23(text);
          expect(formatCpe23(parseCpe23(formatCpe23(cpe)))).toBe(formatCpe23(cpe));
        } catch (error) {
          expect(hasErrorCode(error, ['INTEL_CPE_INVALID'])).toBe(true);
        }
      }),
    );
  });
});

describe('CPE name matching (NISTIR 7696)', () => {
  const v = (s: string) => parseCpe23(`cpe:2.3:a:v:${s}:*:*:*:*:*:*:*:*`).product;
  const any = { kind: 'any' } as const;
  const na = { kind: 'na' } as const;
  it('follows the attribute comparison table', () => {
    expect(compareCpeValues(any, any)).toBe('EQUAL');
    expect(compareCpeValues(any, na)).toBe('SUPERSET');
    expect(compareCpeValues(any, v('i'))).toBe('SUPERSET');
    expect(compareCpeValues(na, any)).toBe('SUBSET');
    expect(compareCpeValues(na, na)).toBe('EQUAL');
    expect(compareCpeValues(na, v('i'))).toBe('DISJOINT');
    expect(compareCpeValues(v('i'), any)).toBe('SUBSET');
    expect(compareCpeValues(v('i'), na)).toBe('DISJOINT');
    expect(compareCpeValues(v('i'), v('I'))).toBe('EQUAL');
    expect(compareCpeValues(v('i'), v('k'))).toBe('DISJOINT');
    expect(compareCpeValues(v('i'), v('m*'))).toBe('UNDEFINED');
    expect(compareCpeValues(v('reader*'), v('reader_x'))).toBe('SUPERSET');
    expect(compareCpeValues(v('sp?'), v('sp1'))).toBe('SUPERSET');
    expect(compareCpeValues(v('sp?'), v('sp12'))).toBe('DISJOINT');
    expect(compareCpeValues(v('*reader'), v('acrobat'))).toBe('DISJOINT');
  });
  it('relates whole names', () => {
    const ie = parseCpe23('cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*');
    const ie8 = parseCpe23('cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp1:-:*:*:*:*:*');
    expect(cpeRelation(ie, ie8)).toBe('SUPERSET');
    expect(cpeRelation(ie8, ie)).toBe('UNDEFINED');
    expect(cpeRelation(ie8, ie8)).toBe('EQUAL');
    expect(cpeRelation(parseCpe23('cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*'), ie8)).toBe('SUPERSET');
    expect(cpeRelation(ie8, parseCpe23('cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*'))).toBe('SUBSET');
    expect(cpeRelation(ie8, parseCpe23('cpe:2.3:a:mozilla:firefox:*:*:*:*:*:*:*:*'))).toBe('DISJOINT');
  });
});

describe('NVD configuration trees', () => {
  // CVE-2022-20699's tree (NVD API 2.0): the RV340 firmware up to 1.0.03.24, on RV340 hardware.
  const fwPair: CpeNode = {
    operator: 'AND',
    negate: false,
    matches: [],
    children: [
      {
        operator: 'OR',
        negate: false,
        children: [],
        matches: [
          {
            vulnerable: true,
            criteria: 'cpe:2.3:o:cisco:rv340_firmware:*:*:*:*:*:*:*:*',
            range: { scheme: 'generic', endIncluding: '1.0.03.24' },
          },
        ],
      },
      {
        operator: 'OR',
        negate: false,
        children: [],
        matches: [{ vulnerable: false, criteria: 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*' }],
      },
    ],
  };
  const subjects = (...cpes: string[]) => {
    const s = new CpeSubjects<string>();
    for (const c of cpes) {
      const cpe = parseCpe23(c);
      s.add({ cpe, version: cpe.version.kind === 'value' ? cpe.version.text : null, ref: c });
    }
    return s;
  };
  it('matches firmware only together with its hardware, and reports only the firmware', () => {
    const both = evaluateConfigurations(
      [fwPair],
      subjects('cpe:2.3:o:cisco:rv340_firmware:1.0.03.20:*:*:*:*:*:*:*', 'cpe:2.3:h:cisco:rv340:*:*:*:*:*:*:*:*'),
    );
    expect(both).toHaveLength(1);
    expect(both[0]?.pairedWithHardware).toBe(true);
    expect(both[0]?.hits.map((h) => h.subject.ref)).toEqual(['cpe:2.3:o:cisco:rv340_firmware:1.0.03.20:*:*:*:*:*:*:*']);
    expect(
      evaluateConfigurations([fwPair], subjects('cpe:2.3:o:cisco:rv340_firmware:1.0.03.20:*:*:*:*:*:*:*')),
    ).toEqual([]);
    expect(
      evaluateConfigurations(
        [fwPair],
        subjects('cpe:2.3:o:cisco:rv340_firmware:1.0.03.26:*:*:*:*:*:*:*', 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*'),
      ),
    ).toEqual([]);
    expect(
      evaluateConfigurations(
        [fwPair],
        subjects('cpe:2.3:o:cisco:rv340_firmware:1.0.03.20:*:*:*:*:*:*:*', 'cpe:2.3:h:cisco:rv345:-:*:*:*:*:*:*:*'),
      ),
    ).toEqual([]);
  });
  it('honours negate and OR', () => {
    const negated: CpeNode = {
      ...fwPair,
      operator: 'AND',
      children: [fwPair.children[0] as CpeNode, { ...(fwPair.children[1] as CpeNode), negate: true }],
    };
    expect(
      evaluateConfigurations([negated], subjects('cpe:2.3:o:cisco:rv340_firmware:1.0.03.20:*:*:*:*:*:*:*')),
    ).toHaveLength(1);
    expect(
      evaluateConfigurations(
        [negated],
        subjects('cpe:2.3:o:cisco:rv340_firmware:1.0.03.20:*:*:*:*:*:*:*', 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*'),
      ),
    ).toEqual([]);
  });
});
