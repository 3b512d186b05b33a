import type { ProvenanceSource } from '@ward/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json } from './fields.js';
import { applyClaims, resolveClaims, type ClaimSet, type ObservedFields } from './merge.js';

const person: ProvenanceSource = { kind: 'person', userId: 'u1' };
const cmms: ProvenanceSource = { kind: 'csv', file: 'cmms.csv', mapping: 'cmms' };
const fhir: ProvenanceSource = { kind: 'fhir', file: 'bundle.json' };
const sensor: ProvenanceSource = { kind: 'sensor', sensor: 'icu' };

const apply = (claims: ClaimSet, fields: ObservedFields, source: ProvenanceSource, at = 't1'): ClaimSet =>
  applyClaims(claims, fields, source, at).claims;

describe('merge rules', () => {
  it('keeps the most trusted source and shows the conflict with both values and sources', () => {
    let c: ClaimSet = {};
    c = apply(c, { model: 'Alaris 8015', department: 'ICU' }, sensor);
    c = apply(c, { model: 'Alaris PC 8015' }, cmms);
    c = apply(c, { model: 'Alaris System' }, fhir);
    const r = resolveClaims(c);
    expect(r.values.model).toMatchObject({ value: 'Alaris PC 8015', source: cmms });
    expect(r.values.department).toMatchObject({ value: 'ICU', source: sensor });
    expect(r.conflicts).toEqual([
      {
        field: 'model',
        kept: { value: 'Alaris PC 8015', source: cmms, at: 't1' },
        others: [
          { value: 'Alaris System', source: fhir, at: 't1' },
          { value: 'Alaris 8015', source: sensor, at: 't1' },
        ],
      },
    ]);
    c = apply(c, { model: 'Alaris 8015' }, person, 't2');
    expect(resolveClaims(c).values.model).toMatchObject({ value: 'Alaris 8015', source: person });
  });

  it('follows a configured ranking', () => {
    let c: ClaimSet = {};
    c = apply(c, { firmwareVersion: '9.33' }, sensor);
    c = apply(c, { firmwareVersion: '9.19' }, cmms);
    expect(resolveClaims(c).values.firmwareVersion?.value).toBe('9.19');
    expect(resolveClaims(c, ['sensor', 'person', 'csv', 'fhir']).values.firmwareVersion?.value).toBe('9.33');
  });

  it('changes nothing when a source repeats itself, and withdraws its claim on null', () => {
    const once = applyClaims({}, { serialNumber: 'SN1', macs: ['00:09:fb:00:00:01'] }, cmms, 't1');
    const twice = applyClaims(once.claims, { serialNumber: 'SN1', macs: ['00:09:fb:00:00:01'] }, cmms, 't2');
    expect(twice.changes).toEqual([]);
    expect(twice.claims).toBe(once.claims);
    const withdrawn = applyClaims(twice.claims, { serialNumber: null }, cmms, 't3');
    expect(withdrawn.changes).toEqual([{ field: 'serialNumber', before: 'SN1', after: null }]);
    expect(resolveClaims(withdrawn.claims).values.serialNumber).toBeUndefined();
  });

  it('unions addresses across sources, accumulates what the sensor saw, keeps first and last seen', () => {
    let c: ClaimSet = {};
    c = apply(c, { ips: ['10.0.0.2'], 'network.firstSeen': '2026-01-02', 'network.lastSeen': '2026-01-02' }, sensor);
    c = apply(c, { ips: ['10.0.0.3'], 'network.firstSeen': '2026-01-05', 'network.lastSeen': '2026-01-05' }, sensor);
    c = apply(c, { ips: ['10.0.0.1'] }, cmms);
    const r = resolveClaims(c);
    expect(r.values.ips?.value).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(r.values['network.firstSeen']?.value).toBe('2026-01-02');
    expect(r.values['network.lastSeen']?.value).toBe('2026-01-05');
    // An import's list replaces that import's earlier list.
    c = apply(c, { ips: ['10.0.0.9'] }, cmms);
    expect(resolveClaims(c).values.ips?.value).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.9']);
  });

  const sourceArb = fc.oneof(
    fc.constantFrom('a', 'b').map((userId): ProvenanceSource => ({ kind: 'person', userId })),
    fc.constantFrom('x.csv', 'y.csv').map((file): ProvenanceSource => ({ kind: 'csv', file, mapping: null })),
    fc.constantFrom('b.json', 'c.xml').map((file): ProvenanceSource => ({ kind: 'fhir', file })),
    fc.constantFrom('s1', 's2').map((s): ProvenanceSource => ({ kind: 'sensor', sensor: s })),
  );
  const value = fc.constantFrom('A', 'B', 'C', null);
  const fieldsArb = fc.record(
    {
      model: value,
      department: value,
      criticality: fc.constantFrom('diagnostic', 'life-sustaining'),
      ips: fc.subarray(['10.0.0.1', '10.0.0.2', '10.0.0.3']).map((a): Json => a),
      'network.lastSeen': fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
    },
    { requiredKeys: [] },
  );
  const observations = fc.uniqueArray(
    fc.record({ source: sourceArb, fields: fieldsArb, at: fc.constantFrom('t1', 't2', 't3') }),
    { selector: (o) => JSON.stringify(o.source), maxLength: 8 },
  );

  it('gives the same record whatever order different sources arrive in (property)', () => {
    fc.assert(
      fc.property(observations, fc.integer(), (obs, seed) => {
        const shuffled = [...obs].sort(
          (a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7),
        );
        const run = (list: typeof obs) => list.reduce<ClaimSet>((c, o) => apply(c, o.fields, o.source, o.at), {});
        const forward = resolveClaims(run(obs));
        const backward = resolveClaims(run([...obs].reverse()));
        const mixed = resolveClaims(run(shuffled));
        expect(backward).toEqual(forward);
        expect(mixed).toEqual(forward);
      }),
    );
  });

  it('is idempotent: applying everything again changes nothing (property)', () => {
    fc.assert(
      fc.property(observations, (obs) => {
        const first = obs.reduce<ClaimSet>((c, o) => apply(c, o.fields, o.source, o.at), {});
        let again = first;
        for (const o of obs) {
          const step = applyClaims(again, o.fields, o.source, 'later');
          again = step.claims;
        }
        // Re-applying each source's last word in the same order is a no-op.
        expect(resolveClaims(again)).toEqual(resolveClaims(first));
      }),
    );
  });
});
