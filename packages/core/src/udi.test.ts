import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, hibccCheckCharacter, parseUdi, type Udi } from './udi.js';

const ok = (text: string): Udi => {
  const r = parseUdi(text, { referenceYear: 2026 });
  if (!r.ok) throw new Error(`${text}: ${r.problems[0]?.message ?? ''} at ${String(r.problems[0]?.offset)}`);
  return r.value;
};

describe('parseUdi: GS1', () => {
  it("reads the FDA's GS1 example (UDI Formats by FDA-Accredited Issuing Agency)", () => {
    const udi = ok('(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234');
    expect(udi).toMatchObject({
      kind: 'gs1',
      deviceIdentifier: '51022222233336',
      manufacturingDate: '2014-12-31',
      expirationDate: '2015-07-07',
      lot: 'A213B1',
      serial: '1234',
    });
  });

  it('reads the same UDI as scanned: element string with FNC1 separators and a symbology identifier', () => {
    const scanned = ok(']d20151022222233336111412311715070710A213B1\u001d211234');
    const plain = ok('0151022222233336111412311715070710A213B1\u001d211234');
    const hrf = ok('(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234');
    for (const u of [scanned, plain]) {
      expect({ ...u, carrier: '' }).toEqual({ ...hrf, carrier: '' });
    }
  });

  it('reads the US Core Device example carrier', () => {
    expect(ok('(01)09504000059118(17)141120(10)7654321D(21)10987654d321')).toMatchObject({
      deviceIdentifier: '09504000059118',
      expirationDate: '2014-11-20',
      lot: '7654321D',
      serial: '10987654d321',
    });
  });

  it('reads day 00 as a month without a day', () => {
    expect(ok('(01)51022222233336(17)150700').expirationDate).toBe('2015-07');
  });

  it('refuses a wrong GTIN check digit, a missing DI, a bad date, an unknown AI, a duplicate AI', () => {
    for (const bad of [
      '(01)51022222233337(21)1',
      '(21)1234',
      '(01)51022222233336(17)151332',
      '(01)51022222233336(99)x',
      '(01)51022222233336(21)1(21)2',
      '(01)5102222223333',
      '',
      'hello',
    ]) {
      expect(parseUdi(bad, { referenceYear: 2026 }).ok).toBe(false);
    }
  });

  it('computes GS1 check digits as published (GTIN-13 4006381333931)', () => {
    expect(gs1CheckDigit('4006381333931')).toBe(1);
    expect(gs1CheckDigit('51022222233336')).toBe(6);
  });

  it('round-trips generated carriers in both spellings', () => {
    const alnum = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/);
    const yymmdd = fc
      .record({
        y: fc.integer({ min: 0, max: 99 }),
        m: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
      })
      .map(({ y, m, d }) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), alnum, alnum, yymmdd, (di13, lot, serial, exp) => {
        const gtin = di13 + String(gs1CheckDigit(di13 + '0'));
        const hrf = ok(`(01)${gtin}(17)${exp}(10)${lot}(21)${serial}`);
        const raw = ok(`01${gtin}17${exp}10${lot}\u001d21${serial}`);
        expect(hrf).toMatchObject({ deviceIdentifier: gtin, lot, serial });
        expect({ ...raw, carrier: '' }).toEqual({ ...hrf, carrier: '' });
      }),
    );
  });
});

describe('parseUdi: HIBCC', () => {
  it('reads a primary data structure and validates its mod-43 check character', () => {
    expect(ok('+A123BJC5D6E71G')).toMatchObject({
      kind: 'hibcc',
      deviceIdentifier: 'A123BJC5D6E71',
      labeler: 'A123',
      product: 'BJC5D6E7',
      unitOfMeasure: 1,
    });
    expect(parseUdi('+A123BJC5D6E71H').ok).toBe(false);
  });

  it('reads a concatenated primary and secondary with a Julian expiry date and lot', () => {
    expect(ok('+A123BJC5D6E71/$$52001510X3C')).toMatchObject({
      deviceIdentifier: 'A123BJC5D6E71',
      expirationDate: '2020-01-15',
      lot: '10X3',
    });
  });

  it("reads the structure of the FDA's HIBCC example: expiry with hour, lot, serial and manufacturing date", () => {
    const body = '+H123PARTNO1234567890120/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202';
    expect(ok(body + (hibccCheckCharacter(body) ?? ''))).toMatchObject({
      deviceIdentifier: 'H123PARTNO1234567890120',
      labeler: 'H123',
      product: 'PARTNO123456789012',
      unitOfMeasure: 0,
      expirationDate: '2020-02-02',
      lot: 'LOT123456789012345',
      serial: 'XYZ456789012345678',
      manufacturingDate: '2013-02-02',
    });
  });

  it('reads a serial-number secondary ($+) and a Code 39 human-readable form with asterisks', () => {
    const body = '+A123BJC5D6E71/$+SN0042';
    expect(ok(`*${body}${hibccCheckCharacter(body) ?? ''}*`)).toMatchObject({ serial: 'SN0042', lot: null });
  });

  it('refuses a secondary without its primary', () => {
    const body = '+$$52001510X3';
    expect(parseUdi(body + (hibccCheckCharacter(body) ?? '')).ok).toBe(false);
  });

  it('round-trips generated labels', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][A-Z0-9]{3}$/),
        fc.stringMatching(/^[A-Z0-9]{1,18}$/),
        fc.integer({ min: 0, max: 9 }),
        fc.stringMatching(/^[A-Z0-9]{1,18}$/),
        (lic, pcn, uom, lot) => {
          const body = `+${lic}${pcn}${String(uom)}/$$7${lot}`;
          const udi = ok(body + (hibccCheckCharacter(body) ?? ''));
          expect(udi).toMatchObject({ labeler: lic, product: pcn, unitOfMeasure: uom, lot });
        },
      ),
    );
  });
});

describe('parseUdi: hostile input', () => {
  it('never throws and always answers a UDI or a problem with an offset inside the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `+${s}`),
          fc.string().map((s) => `(01)${s}`),
        ),
        (s) => {
          const r = parseUdi(s);
          if (r.ok) expect(r.value.deviceIdentifier.length).toBeGreaterThan(0);
          else {
            expect(r.problems).toHaveLength(1);
            expect(r.problems[0]).toMatchObject({ code: 'CORE_INVALID_ARGUMENT', severity: 'error', field: 'carrier' });
            expect(r.problems[0]?.offset).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
