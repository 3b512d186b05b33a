/**
 * @module software.suite
 * Conformance tests of the software repository (SBOMs and VEX decisions), run on every backend
 * from `sqlite.test.ts` and `postgres.int.test.ts`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSbom, SoftwareComponentRow, VexDecision } from './software-repo.js';
import type { Store } from './store.js';

const T0 = '2026-02-01T10:00:00.000Z';
const T1 = '2026-02-02T10:00:00.000Z';

function component(n: number, overrides: Partial<SoftwareComponentRow> = {}): SoftwareComponentRow {
  return {
    ref: `ref-${String(n)}`,
    name: `lib${String(n)}`,
    version: `1.${String(n)}.0`,
    group: null,
    supplier: n % 2 === 0 ? 'Acme' : null,
    purl: `pkg:generic/lib${String(n)}@1.${String(n)}.0`,
    cpe: n % 3 === 0 ? `cpe:2.3:a:acme:lib${String(n)}:1.${String(n)}.0:*:*:*:*:*:*:*` : null,
    kind: 'library',
    hashes: n % 2 === 0 ? [{ alg: 'SHA-256', content: 'ab'.repeat(32) }] : [],
    parent: n > 1 && n % 5 === 0 ? 'ref-1' : null,
    endOfSupport: n === 1 ? '2030-12-31' : null,
    levelOfSupport: n === 1 ? 'Actively maintained' : null,
    identity: `pkg:generic/lib${String(n)}`,
    ...overrides,
  };
}

function sbom(id: string, firmware: string, overrides: Partial<NewSbom> = {}): NewSbom {
  const components = Array.from({ length: 12 }, (_, i) => component(i + 1));
  return {
    id,
    format: 'cyclonedx-json',
    specVersion: '1.4',
    serial: `urn:uuid:${id}`,
    docVersion: 1,
    subject: { name: 'InfuseRight', version: firmware, manufacturer: 'Acme Medical' },
    fileName: `${id}.cdx.json`,
    sha256: id.padEnd(64, '0'),
    importedAt: T0,
    attachment: { manufacturer: 'Acme Medical', model: 'InfuseRight 3000', firmware },
    components,
    dependencies: [
      { from: 'ref-1', to: 'ref-2' },
      { from: 'ref-1', to: 'ref-3' },
      { from: 'ref-2', to: 'ref-3' },
    ],
    ...overrides,
  };
}

function decision(n: number, overrides: Partial<VexDecision> = {}): VexDecision {
  return {
    id: `dec-${String(n)}`,
    manufacturer: 'Acme Medical',
    model: 'InfuseRight 3000',
    vulnerability: 'CVE-2024-0001',
    componentIdentity: 'pkg:generic/lib1',
    component: 'pkg:generic/lib1@1.1.0',
    componentName: 'lib1',
    componentVersion: '1.1.0',
    versionRange: null,
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    sourceJustification: null,
    impactStatement: null,
    actionStatement: null,
    author: 'Jane Engineer',
    decidedAt: T0,
    origin: 'cli',
    ...overrides,
  };
}

export function describeSoftwareConformance(label: string, open: () => Promise<Store>): void {
  describe(`Software repository conformance: ${label}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    it('stores an SBOM attached to a model and firmware and reads it back whole', async () => {
      const input = sbom('sbom-a', '4.2.1');
      const { sbom: stored, created } = await store.software.importSbom(input);
      expect(created).toBe(true);
      expect(stored).toMatchObject({ id: 'sbom-a', componentCount: 12, attachments: [input.attachment] });
      const detail = await store.software.getSbom('sbom-a');
      expect(detail?.components).toEqual(input.components);
      expect(detail?.dependencies).toEqual(input.dependencies);
      expect(detail?.subject).toEqual(input.subject);
      expect(await store.software.getSbom('nope')).toBeUndefined();
    });

    it('importing the same document for the same firmware again writes nothing', async () => {
      await store.software.importSbom(sbom('sbom-a', '4.2.1'));
      const again = await store.software.importSbom({ ...sbom('sbom-b', '4.2.1'), sha256: 'sbom-a'.padEnd(64, '0') });
      expect(again.created).toBe(false);
      expect(again.sbom.id).toBe('sbom-a');
      expect(await store.software.listSboms()).toHaveLength(1);
    });

    it('lists by manufacturer, model and firmware, ignoring case and extra spaces in names', async () => {
      await store.software.importSbom(sbom('sbom-a', '4.2.1'));
      await store.software.importSbom({ ...sbom('sbom-b', '4.3.0'), importedAt: T1 });
      await store.software.importSbom({
        ...sbom('sbom-c', '1.0'),
        attachment: { manufacturer: 'Other', model: 'X', firmware: '1.0' },
      });
      // newest first; equal times by id, descending
      expect((await store.software.listSboms()).map((s) => s.id)).toEqual(['sbom-b', 'sbom-c', 'sbom-a']);
      const mine = await store.software.listSboms({ manufacturer: ' acme  medical ', model: 'INFUSERIGHT 3000' });
      expect(mine.map((s) => s.id)).toEqual(['sbom-b', 'sbom-a']);
      expect(
        (await store.software.listSboms({ manufacturer: 'Acme Medical', firmware: '4.2.1' })).map((s) => s.id),
      ).toEqual(['sbom-a']);
    });

    it('stores nothing of an SBOM whose import fails midway', async () => {
      const bad = sbom('sbom-bad', '9.9', {
        components: [...sbom('x', '1').components, component(1)], // ref-1 twice: the primary key refuses it
      });
      await expect(store.software.importSbom(bad)).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await store.software.listSboms()).toEqual([]);
      expect(await store.software.getSbom('sbom-bad')).toBeUndefined();
    });

    it('stores an SBOM and the VEX decisions it carries in one write, and neither when either fails', async () => {
      const model = { manufacturer: 'Acme Medical', model: 'InfuseRight 3000' };
      const first = await store.software.importSbom({ ...sbom('sbom-v', '5.0'), vex: [decision(1), decision(2)] });
      expect(first.created).toBe(true);
      expect((await store.software.vexHistory(model)).map((d) => d.id)).toEqual(['dec-1', 'dec-2']);
      // The same document again: no SBOM and no decision written twice.
      const again = await store.software.importSbom({
        ...sbom('sbom-w', '5.0'),
        sha256: first.sbom.sha256,
        vex: [decision(3)],
      });
      expect(again.created).toBe(false);
      expect(await store.software.vexHistory(model)).toHaveLength(2);
      // A decision the store refuses (its id is taken) takes the SBOM with it.
      await expect(
        store.software.importSbom({ ...sbom('sbom-x', '6.0'), vex: [decision(4), decision(1)] }),
      ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await store.software.getSbom('sbom-x')).toBeUndefined();
      expect(await store.software.vexHistory(model)).toHaveLength(2);
    });

    it('keeps every VEX decision and answers with the latest per key', async () => {
      await store.software.recordVexDecisions([
        decision(1),
        decision(2, {
          vulnerability: 'CVE-2024-0002',
          status: 'affected',
          justification: null,
          actionStatement: 'update',
        }),
        decision(3, { componentVersion: null, versionRange: 'vers:generic/>=1.0.0|<2.0.0' }),
      ]);
      await store.software.recordVexDecisions([
        decision(4, {
          status: 'affected',
          justification: null,
          actionStatement: 'patch',
          author: 'John',
          decidedAt: T1,
        }),
      ]);
      const current = await store.software.vexDecisions({ manufacturer: 'ACME MEDICAL', model: 'infuseright 3000' });
      expect(current.map((d) => d.id).sort()).toEqual(['dec-2', 'dec-3', 'dec-4']);
      expect(current.find((d) => d.id === 'dec-4')).toEqual(
        decision(4, {
          status: 'affected',
          justification: null,
          actionStatement: 'patch',
          author: 'John',
          decidedAt: T1,
        }),
      );
      const history = await store.software.vexHistory({ manufacturer: 'Acme Medical', model: 'InfuseRight 3000' });
      expect(history.map((d) => d.id)).toEqual(['dec-1', 'dec-2', 'dec-3', 'dec-4']);
      expect(await store.software.vexDecisions({ manufacturer: 'Other', model: 'InfuseRight 3000' })).toEqual([]);
    });

    it('records a batch of decisions all or nothing', async () => {
      await expect(store.software.recordVexDecisions([decision(1), decision(1)])).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect(await store.software.vexHistory({ manufacturer: 'Acme Medical', model: 'InfuseRight 3000' })).toEqual([]);
    });
  });
}
