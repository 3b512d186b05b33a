import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '@ward/core';
import { INTEL_MATCH_ERROR_CODES } from '../match-errors.js';
import { describeRange, rangeContains } from './range.js';
import { formatVers, parseVers, versContains } from './vers.js';

describe('vers: ranges', () => {
  it('evaluates the spec’s interval examples', () => {
    const r = parseVers('vers:npm/>=1.0.0|<2.0.0');
    expect(['1.0.0', '1.5.0', '1.9.9-beta'].map((v) => versContains(r, v))).toEqual([true, true, true]);
    expect(['0.9.9', '2.0.0', '2.0.1'].map((v) => versContains(r, v))).toEqual([false, false, false]);
  });
  it('handles equalities, exclusions, open ends and *', () => {
    const r = parseVers('vers:pypi/<0.9|>=1.0|!=1.5|<2.0|=3.0');
    expect(['0.8', '1.0', '1.4', '3.0'].map((v) => versContains(r, v))).toEqual([true, true, true, true]);
    expect(['0.9', '1.5', '2.0', '2.5'].map((v) => versContains(r, v))).toEqual([false, false, false, false]);
    expect(versContains(parseVers('vers:all/*'), 'anything')).toBe(true);
    expect(versContains(parseVers('vers:deb/>=1:1.0'), '2.0')).toBe(false);
    expect(versContains(parseVers('vers:deb/>=1:1.0'), '1:2.0')).toBe(true);
    expect(versContains(parseVers('vers:npm/!=1.0.0'), '1.0.1')).toBe(true);
  });
  it('sorts unsorted constraints in the scheme’s order and formats back', () => {
    expect(formatVers(parseVers('vers:maven/<2.0|>=1.0-alpha'))).toBe('vers:maven/>=1.0-alpha|<2.0');
  });
  it('rejects what is not a vers string with INTEL_VERS_INVALID', () => {
    for (const bad of ['npm/>=1', 'vers:npm/', 'vers:npm/>=', 'vers:npm/1.0|<', 'vers:npm/%zz']) {
      let caught: unknown;
      try {
        parseVers(bad);
      } catch (error) {
        caught = error;
      }
      expect(hasErrorCode(caught, ['INTEL_VERS_INVALID'])).toBe(true);
    }
  });
  it('never fails otherwise on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          parseVers(`vers:npm/${s}`);
        } catch (error) {
          expect(hasErrorCode(error, INTEL_MATCH_ERROR_CODES)).toBe(true);
        }
      }),
    );
  });
  it('agrees with an interval test for generated two-sided ranges', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(60), (lo, hi, v) => {
        fc.pre(lo < hi);
        const r = parseVers(`vers:semver/>=${String(lo)}.0.0|<${String(hi)}.0.0`);
        expect(versContains(r, `${String(v)}.0.0`)).toBe(v >= lo && v < hi);
      }),
    );
  });
});

describe('VersionRange', () => {
  it('evaluates OSV events and NVD bounds', () => {
    const osv = { scheme: 'semver', introduced: '2.1.1-0', fixed: '3.0.0' };
    expect(['2.1.1', '2.2.4', '3.0.0', '1.12.4'].map((v) => rangeContains(osv, v))).toEqual([true, true, false, false]);
    const last = { scheme: 'ecosystem:PyPI', introduced: '0', lastAffected: '2.31.0' };
    expect(['0.1', '2.31.0', '2.31.0.post1', '2.32.0'].map((v) => rangeContains(last, v))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const nvd = { scheme: 'generic', startIncluding: '15.0', endExcluding: '15.02.0792.010' };
    expect(['15.00.1497.002', '15.02.0792.010', '14.3'].map((v) => rangeContains(nvd, v))).toEqual([
      true,
      false,
      false,
    ]);
    expect(rangeContains({ scheme: 'maven', versions: ['1.0', '2.0'] }, '2')).toBe(true);
    expect(rangeContains({ scheme: 'npm' }, '1.0.0')).toBe(false);
    expect(describeRange(osv)).toBe('>= 2.1.1-0, < 3.0.0 (semver)');
  });
});
