import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWardError } from '@ward/core';
import { csvCell } from './csv-export.js';
import { detectDelimiter, readCsv } from './csv-import.js';
import { parseMapping } from './mapping.js';

const read = (text: string) => readCsv(text, { file: 't.csv', sourceLabel: 't.csv' });

describe('readCsv', () => {
  it('recognises common CMMS headers without a mapping', () => {
    const r = read(
      'Equipment No,Control Number,S/N,Mfr,Model No.,SW Version,IPv4 Address,HW Address,Dept,Equipment Type,Clinical Criticality,EOS Date\n' +
        'E1,CN-1,123,GE Healthcare,CARESCAPE B650,2.0.1,10.1.1.1,0009.fb12.3456,ICU,Patient Monitor,Life Supporting,2027-06-30\n',
    );
    expect(r.columns.map((c) => c.target)).toEqual([
      'id',
      'assetTag',
      'serialNumber',
      'manufacturer',
      'model',
      'firmwareVersion',
      'ips',
      'macs',
      'department',
      'type',
      'criticality',
      'endOfSupport',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.observations[0]).toMatchObject({
      fields: {
        macs: ['00:09:fb:12:34:56'],
        type: 'patient-monitor',
        criticality: 'life-supporting',
        endOfSupport: '2027-06-30',
      },
      nativeKeys: [{ kind: 'csv', value: 't.csv:E1' }],
      ref: 'row 2',
    });
  });

  it('detects tab and semicolon delimiters', () => {
    expect(detectDelimiter('a\tb\tc\n1,2\t3')).toBe('\t');
    expect(detectDelimiter('a;b;"c,d"\n')).toBe(';');
    expect(detectDelimiter('a,b;c\n')).toBe(',');
    expect(read('serial\tmodel\nS1\tX\n').observations[0]?.fields).toMatchObject({ serialNumber: 'S1', model: 'X' });
  });

  it('names the line a record starts on, after multi-line cells and blank lines', () => {
    const r = read('serial,name,criticality\nS1,"two\nlines",diagnostic\n\nS2,x,bogus\n');
    const message = expect.stringContaining('bogus') as string;
    expect(r.problems).toEqual([
      {
        code: 'INVENTORY_CSV_INVALID',
        severity: 'error',
        file: 't.csv',
        record: 'row 5',
        field: 'criticality',
        message,
        row: 5,
        ref: 'row 5',
        reason: message,
      },
    ]);
  });

  it('refuses a file it cannot read, and a mapping that sends two columns to one field', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isWardError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => read('a,"b\n'))).toBe('INVENTORY_CSV_INVALID');
    expect(code(() => read(''))).toBe('INVENTORY_CSV_INVALID');
    expect(code(() => read('colour,smell\nred,bad\n'))).toBe('INVENTORY_CSV_INVALID');
    expect(code(() => read('model,model no\nA,B\n'))).toBe('INVENTORY_MAPPING_INVALID');
    expect(code(() => parseMapping({ columns: { a: 'serialNumber' }, delimiter: '|' }))).toBe(
      'INVENTORY_MAPPING_INVALID',
    );
  });

  it('reads back every value written with CSV quoting (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', ' ', ',', '"', '\n', 'é', '-', '=', ';'), maxLength: 12 });
    const mac = fc
      .uint8Array({ minLength: 6, maxLength: 6 })
      .map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')));
    const row = fc.record({
      asset: fc.stringMatching(/^[A-Z0-9-]{1,12}$/),
      name: text.filter((s) => s.trim() !== '' && s.trim().length <= 200),
      mac: mac.filter((m) => (parseInt(m[0] ?? '0', 16) & 1) === 0),
      sep: fc.constantFrom(':', '-'),
      ip: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.')),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (rows) => {
        const csv =
          'Asset Tag,Name,MAC,IP\r\n' +
          rows.map((r) => [r.asset, r.name, r.mac.join(r.sep).toUpperCase(), r.ip].map(csvCell).join(',')).join('\r\n');
        const result = read(csv);
        expect(result.problems).toEqual([]);
        expect(result.observations.map((o) => o.fields)).toEqual(
          rows.map((r) => ({ assetTag: r.asset, name: r.name.trim(), macs: [r.mac.join(':')], ips: [r.ip] })),
        );
      }),
    );
  });

  it('never throws anything but a coded error on hostile text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `serial,ip,mac,udi,type\n${s}`),
        ),
        (s) => {
          try {
            const r = read(s);
            expect(r.observations.length + r.problems.length).toBeLessThanOrEqual(r.rows);
          } catch (error) {
            expect(isWardError(error) && error.code.startsWith('INVENTORY_')).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
