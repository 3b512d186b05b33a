import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSignerKey, signerFromKey, type ChangeEntry } from '@ward/ledger';
import { openSqliteStore, type Store } from '@ward/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RV340_FIRMWARE_CPE, RV340_SBOM } from '../../../test/support/rv340.js';
import { sharedDataDir } from '../../../test/support/tshark.js';
import type { Actor } from './events.js';
import { WardServices } from './services.js';

const NVD = join(sharedDataDir, 'vulnerability/nvd-api2-json-nvdlib-fixtures');
const KEV = join(sharedDataDir, 'vulnerability/cisa-kev/known_exploited_vulnerabilities.json');
const FW = RV340_FIRMWARE_CPE;
const RV340 = Buffer.from(RV340_SBOM);
const ANALYST: Actor = { id: 'usr_analyst', role: 'security-analyst', via: 'api' };
const attachment = { manufacturer: 'Cisco', model: 'RV340', firmware: '1.0.03.22' };

describe.skipIf(!existsSync(NVD) || !existsSync(KEV))('stored findings', () => {
  let root: string;
  let store: Store;
  let services: WardServices;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ward-findings-'));
    store = openSqliteStore({ dataDir: root });
    await store.migrate();
    const { signerKey, verifierKey } = generateSignerKey('ward.test/findings');
    services = new WardServices({
      store,
      ledgerKeys: { signer: signerFromKey(signerKey), verifierKeys: [verifierKey], pseudonymKey: randomBytes(32) },
      ledgerBatchDelayMs: 0,
    });
  });
  afterEach(async () => {
    await services.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  const changes = async (): Promise<ChangeEntry[]> => {
    await services.ledger.flush();
    const entries = await services.ledger.entries(0, await store.ledger.size());
    return entries.map((e) => e.entry).filter((e): e is ChangeEntry => e.kind === 'change');
  };
  const importNvd = async () => {
    const feeds = services.feeds(ANALYST);
    for (const f of readdirSync(NVD).sort()) await feeds.importDocument(readFileSync(join(NVD, f)), f);
  };
  const open = async () => (await services.findings(ANALYST).list({ limit: 500 })).items;

  it('stores findings with ids as inputs arrive, changes nothing on re-import, and a new document touches only its findings', async () => {
    await services.software(ANALYST).importSbom({ bytes: RV340, file: 'rv340.cdx.json', attachment });
    expect(await open()).toEqual([]);
    await importNvd();
    const found = await open();
    const target = found.find((f) => f.finding.vulnerability === 'CVE-2022-20699');
    expect(target).toMatchObject({
      status: 'open',
      firmware: '1.0.03.22',
      finding: { kev: false, matchedBy: 'cpe-hw-fw-pair' },
    });
    expect(target?.id).toMatch(/^f-[0-9a-f]{32}$/);
    expect(target?.id).toBe(target?.finding.id);
    const opened = (await changes()).filter((e) => e.action === 'finding.opened');
    expect(opened.map((e) => e.object).sort()).toEqual(found.map((f) => f.id).sort());

    // The same inputs again: nothing stored, nothing audited.
    const size = await store.ledger.size();
    await importNvd();
    await services.software(ANALYST).importSbom({ bytes: RV340, file: 'rv340.cdx.json', attachment });
    expect(await services.findings(ANALYST).refresh()).toMatchObject({ opened: 0, updated: 0, closed: 0 });
    await services.ledger.flush();
    expect(await store.ledger.size()).toBe(size);
    expect(await open()).toEqual(found);

    // KEV lists CVE-2022-20699: that finding is updated, and no other.
    await services.feeds(ANALYST).importDocument(readFileSync(KEV), 'known_exploited_vulnerabilities.json');
    const after = await open();
    const updated = after.filter((f) => f.updatedAt !== found.find((g) => g.id === f.id)?.updatedAt);
    expect(updated.map((f) => f.finding.vulnerability)).toContain('CVE-2022-20699');
    for (const f of updated) expect(f.finding.kev).toBe(true);
    expect(after.filter((f) => !f.finding.kev).map((f) => f.updatedAt)).toEqual(
      found.filter((f) => !after.find((g) => g.id === f.id)?.finding.kev).map((f) => f.updatedAt),
    );
    expect((await changes()).filter((e) => e.action === 'finding.updated')).toHaveLength(updated.length);
  });

  it('closes a finding a VEX decision resolves? no: it records the decision on the finding, and closes what a newer SBOM no longer has', async () => {
    await importNvd();
    await services.software(ANALYST).importSbom({ bytes: RV340, file: 'rv340.cdx.json', attachment });
    const before = await open();
    expect(before.length).toBeGreaterThan(0);
    await services.software(ANALYST).decide(
      { manufacturer: 'Cisco', model: 'RV340' },
      {
        vulnerability: 'CVE-2022-20699',
        component: FW,
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        origin: 'test',
      },
      'ce@example.org',
    );
    const decided = (await open()).find((f) => f.finding.vulnerability === 'CVE-2022-20699');
    expect(decided?.finding).toMatchObject({
      vexStatus: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    expect(decided?.id).toBe(before.find((f) => f.finding.vulnerability === 'CVE-2022-20699')?.id);

    // A recompute of the SBOM's scope that finds nothing (as for an SBOM whose component went) closes them.
    await store.findings.reconcile({ sbomIds: [before[0]?.sbomId ?? ''] }, [], '2026-12-03T12:00:00.000Z');
    const closed = await services.findings(ANALYST).list({ limit: 500, status: 'closed' });
    expect(closed.items.map((f) => f.id).sort()).toEqual(before.map((f) => f.id).sort());
    expect(await open()).toEqual([]);
    // Recomputing reopens them: the SBOM still has the component.
    expect(await services.findings(ANALYST).refresh()).toMatchObject({ opened: before.length, closed: 0 });
  });

  it('pages through findings with an opaque cursor and refuses a forged one', async () => {
    await importNvd();
    await services.software(ANALYST).importSbom({ bytes: RV340, file: 'rv340.cdx.json', attachment });
    const all = await open();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await services.findings(ANALYST).list({ limit: 1, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(all.map((f) => f.id));
    await expect(services.findings(ANALYST).list({ limit: 1, cursor: 'bm9wZQ' })).rejects.toMatchObject({
      code: 'STORE_INVALID_CURSOR',
    });
  });
});
