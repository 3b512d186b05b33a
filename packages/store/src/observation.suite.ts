/**
 * @module observation.suite
 * Conformance of the observation repository, run on every backend from its test file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObservationRow } from './observation-repo.js';
import type { Store } from './store.js';

function row(n: number, overrides: Partial<ObservationRow> = {}): ObservationRow {
  return {
    id: n.toString(16).padStart(64, '0'),
    deviceKey: `ip:10.0.0.${String(n % 5)}`,
    kind: n % 2 === 0 ? 'hl7-app' : 'dicom-ae',
    value: JSON.stringify({ n }),
    firstSeen: '2026-01-01T00:00:10.000Z',
    lastSeen: '2026-01-01T00:00:20.000Z',
    source: 'scan:a.pcap',
    ...overrides,
  };
}

export function describeObservationConformance(label: string, open: () => Promise<Store>): void {
  describe(`Observation repository: ${label}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    it('stores each observation once however often it is recorded', async () => {
      const batch = Array.from({ length: 1200 }, (_, i) => row(i + 1));
      expect(await store.observations.record(batch)).toEqual({ inserted: 1200, known: 0 });
      expect(await store.observations.record(batch)).toEqual({ inserted: 0, known: 1200 });
      expect(await store.observations.count()).toBe(1200);
      const listed = await store.observations.list({ deviceKey: 'ip:10.0.0.1', kind: 'dicom-ae' });
      expect(listed).toHaveLength(120);
      expect(listed[0]).toEqual(row(1));
    });

    it('widens first and last seen, keeping the first source and content', async () => {
      await store.observations.record([row(7)]);
      const result = await store.observations.record([
        row(7, { firstSeen: '2026-01-01T00:00:15.000Z', lastSeen: '2026-01-01T00:00:30.000Z', source: 'scan:b.pcap' }),
        row(7, { firstSeen: '2026-01-01T00:00:05.000Z', lastSeen: '2026-01-01T00:00:12.000Z', source: 'scan:b.pcap' }),
        row(8),
      ]);
      expect(result).toEqual({ inserted: 1, known: 1 });
      const [stored] = await store.observations.list({ kind: 'dicom-ae' });
      expect(stored).toEqual(row(7, { firstSeen: '2026-01-01T00:00:05.000Z', lastSeen: '2026-01-01T00:00:30.000Z' }));
      // An older sighting never moves last seen back.
      await store.observations.record([row(7, { lastSeen: '2026-01-01T00:00:11.000Z' })]);
      expect((await store.observations.list({ kind: 'dicom-ae' }))[0]?.lastSeen).toBe('2026-01-01T00:00:30.000Z');
    });

    it('records an empty batch as nothing', async () => {
      expect(await store.observations.record([])).toEqual({ inserted: 0, known: 0 });
      expect(await store.observations.count()).toBe(0);
    });
  });
}
