import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blankDiscoveredDevice } from '@ward/core';
import { generateSignerKey, signerFromKey, type ChangeEntry } from '@ward/ledger';
import { openSqliteStore, type Store } from '@ward/store';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../test/support/tshark.js';
import { digestOf } from './audit.js';
import { DomainEvents, cliActor, jobActor, type Actor, type DomainEvent } from './events.js';
import { WardServices } from './services.js';
import { feedsSyncJob } from './builtin-jobs.js';

const root = mkdtempSync(join(tmpdir(), 'ward-services-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
let n = 0;

const CSV = [
  'Asset Tag,Serial No,Vendor,Model,Software Version,IP Address,Department,Device Type,Criticality',
  'BME-1,SN-1,BD,Alaris PC 8015,12.1.2,10.20.1.17,ICU,infusion pump,life-sustaining',
  'BME-2,SN-2,Philips,IntelliVue MX800,M.00.03,10.20.2.40,ICU,patient monitor,life-supporting',
].join('\n');

const ENGINEER: Actor = { id: 'usr_engineer', role: 'clinical-engineer', via: 'api' };

function keys() {
  const { signerKey, verifierKey } = generateSignerKey('ward.test/services');
  return { signer: signerFromKey(signerKey), verifierKeys: [verifierKey], pseudonymKey: randomBytes(32) };
}

async function changes(services: WardServices): Promise<ChangeEntry[]> {
  const size = await services.store.ledger.size();
  const entries = await services.ledger.entries(0, size);
  return entries.map((e) => e.entry).filter((e): e is ChangeEntry => e.kind === 'change');
}

describe('WardServices', () => {
  let store: Store;
  let services: WardServices;
  const failures: unknown[] = [];
  beforeEach(async () => {
    store = openSqliteStore({ dataDir: join(root, `s${String((n += 1))}`) });
    await store.migrate();
    failures.length = 0;
    services = new WardServices({
      store,
      ledgerKeys: keys(),
      ledgerBatchDelayMs: 0,
      onError: (error) => failures.push(error),
    });
  });
  afterEach(async () => {
    await services.close();
    await store.close();
  });

  it('registers the built-in sessions.prune job on its runner, without starting it', async () => {
    expect(services.jobs.names()).toEqual(['sessions.prune']);
    expect(await services.jobs.tick()).toEqual([
      { name: 'sessions.prune', outcome: 'ok', summary: { deleted: 0 }, error: null },
    ]);
    expect(await services.jobs.get('sessions.prune')).toMatchObject({ everySeconds: 600, runs: 1, lastOutcome: 'ok' });
  });

  it('puts every committed device change in the ledger as a change entry naming the actor and committing to what was stored', async () => {
    const inventory = services.inventory(ENGINEER);
    const report = await inventory.import(CSV, { file: 'cmms.csv', format: 'csv' });
    expect(report.created).toBe(2);
    const [first] = (await inventory.list({ limit: 10 })).items;
    if (first === undefined) throw new Error('no device');
    await inventory.edit(first.id, { 'location.room': 'ICU-4' }, ENGINEER.id);
    await services.ledger.flush();

    const entries = await changes(services);
    expect(entries.map((e) => e.action).sort()).toEqual(['device.created', 'device.created', 'device.updated']);
    for (const e of entries) {
      expect(e).toMatchObject({ actor: 'usr_engineer', role: 'clinical-engineer', via: 'api' });
      // The digest is of the device's stored history row: anyone holding the store can check it.
      const history = await inventory.history(e.object ?? '');
      const row = history.find(
        (h) => digestOf({ deviceId: e.object, version: h.version, source: h.source, changes: h.changes }) === e.digest,
      );
      expect(row, `${e.action} ${String(e.object)}`).toBeDefined();
      expect(e.at).toBe(row?.at);
    }
    expect(failures).toEqual([]);
  });

  it('audits a saved column mapping as mapping.saved, committing to the mapping', async () => {
    const mapping = { columns: { 'Asset Tag': 'assetTag', 'Serial No': 'serialNumber' } };
    const saved = await services.inventory(ENGINEER).saveMapping('cmms-east', mapping);
    await services.ledger.flush();
    const [entry] = await changes(services);
    expect(entry).toMatchObject({ action: 'mapping.saved', object: 'cmms-east', actor: 'usr_engineer' });
    expect(entry?.digest).toBe(digestOf(saved));
  });

  it('writes nothing, and audits nothing, for a rejected import or a dry run', async () => {
    const inventory = services.inventory(ENGINEER);
    const bad = await inventory.import(`${CSV}\nBME-9,SN-9,BD,X,1,999.1.1.1,ICU,toaster,diagnostic`, {
      file: 'bad.csv',
      format: 'csv',
      atomic: true,
    });
    expect(bad.problems.length).toBeGreaterThan(0);
    await inventory.import(CSV, { file: 'cmms.csv', format: 'csv', dryRun: true });
    await services.ledger.flush();
    expect((await inventory.list({ limit: 10 })).items).toEqual([]);
    expect(await changes(services)).toEqual([]);
  });

  it('binds each inventory to its actor: two actors at once are each audited as themselves', async () => {
    const job = jobActor('discovery');
    await Promise.all([
      services.inventory(ENGINEER).import(CSV.split('\n').slice(0, 2).join('\n'), { file: 'a.csv', format: 'csv' }),
      services.inventory(job).applyDiscovery([
        {
          ...blankDiscoveredDevice('mac:00:1e:c0:aa:00:99'),
          macs: ['00:1e:c0:aa:00:99'],
          ips: ['10.20.1.99'],
          firstSeen: '2026-12-01T10:00:00.000Z',
          lastSeen: '2026-12-01T10:05:00.000Z',
        },
      ]),
    ]);
    await services.ledger.flush();
    const entries = await changes(services);
    expect(entries).toHaveLength(2);
    expect(new Set(entries.map((e) => `${e.actor}/${e.via}`))).toEqual(
      new Set(['usr_engineer/api', 'job:discovery/job']),
    );
  });
});

const CSAF = join(sharedDataDir, 'vulnerability/cisa-csaf-icsma/2019');

describe.skipIf(!existsSync(CSAF))('WardServices: feeds', () => {
  it('announces a newly stored feed document once: re-importing the same bytes changes and audits nothing', async () => {
    const store = openSqliteStore({ dataDir: join(root, `f${String((n += 1))}`) });
    await store.migrate();
    const services = new WardServices({ store, ledgerKeys: keys(), ledgerBatchDelayMs: 0 });
    try {
      const file =
        readdirSync(CSAF)
          .filter((f) => f.endsWith('.json'))
          .sort()[0] ?? '';
      const bytes = readFileSync(join(CSAF, file));
      const feeds = services.feeds(jobActor('feeds.sync'));
      const first = await feeds.importDocument(bytes, file);
      const again = await feeds.importDocument(bytes, file);
      expect([first.kind, again.kind]).toEqual(['imported', 'already']);
      await services.ledger.flush();
      const entries = await changes(services);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'feed.imported',
        object: first.sha256,
        via: 'job',
        actor: 'job:feeds.sync',
      });
      expect(entries[0]?.digest).toBe(
        digestOf({ fileName: file, format: first.format, sha256: first.sha256, records: first.records }),
      );
    } finally {
      await services.close();
      await store.close();
    }
  });
});

const KEV = join(sharedDataDir, 'vulnerability/cisa-kev/known_exploited_vulnerabilities.json');

describe.skipIf(!existsSync(KEV))('the feeds.sync job', () => {
  it('syncs a source over HTTP as job:feeds.sync, records its summary, and a second run fetches nothing new', async () => {
    const body = readFileSync(KEV);
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      if (req.headers['if-none-match'] === '"kev-1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: '"kev-1"' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/kev.json`;
    const store = openSqliteStore({ dataDir: join(root, `j${String((n += 1))}`) });
    await store.migrate();
    const services = new WardServices({ store, ledgerKeys: keys(), ledgerBatchDelayMs: 0 });
    try {
      services.jobs.register(
        feedsSyncJob((actor) => services.feeds(actor), [{ kind: 'kev', name: 'kev', url }], 24, { retries: 0 }),
      );
      const first = await (await services.jobs.runNow('feeds.sync')).done;
      expect(first).toMatchObject({ outcome: 'ok', summary: { sources: [{ source: 'kev', imported: 1, failed: 0 }] } });
      const second = await (await services.jobs.runNow('feeds.sync')).done;
      expect(second).toMatchObject({
        outcome: 'ok',
        summary: { sources: [{ source: 'kev', notModified: 1, imported: 0 }] },
      });
      expect(requests).toBe(2);
      const job = await services.jobs.get('feeds.sync');
      expect(job).toMatchObject({ runs: 2, lastOutcome: 'ok', everySeconds: 86_400 });
      await services.ledger.flush();
      const entries = await changes(services);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'feed.imported',
        actor: 'job:feeds.sync',
        role: 'system',
        via: 'job',
      });
    } finally {
      await services.close();
      await store.close();
      server.close();
    }
  });
});

describe('DomainEvents', () => {
  const event: DomainEvent = {
    type: 'device.updated',
    at: '2026-12-01T10:00:00.000Z',
    actor: ENGINEER,
    object: 'd1',
    stored: {},
  };

  it('delivers to every listener even when one throws, and reports the failure', () => {
    const errors: string[] = [];
    const events = new DomainEvents({ onListenerError: (error, e) => errors.push(`${String(error)} @ ${e.type}`) });
    const seen: string[] = [];
    events.subscribe(() => {
      throw new Error('boom');
    });
    const off = events.subscribe((e) => seen.push(e.type));
    events.publish(event);
    off();
    events.publish(event);
    expect(seen).toEqual(['device.updated']);
    expect(errors).toEqual(['Error: boom @ device.updated', 'Error: boom @ device.updated']);
  });
});

describe('actors', () => {
  it('names the operating-system user of a CLI command as an opaque id the ledger accepts', () => {
    expect(cliActor('biomed')).toEqual({ id: 'cli:biomed', role: 'local-admin', via: 'cli' });
    expect(cliActor('DOMAIN\\Jane Doe').id).toBe('cli:DOMAIN_Jane_Doe');
    expect(cliActor('').id).toBe('cli:unknown');
    expect(cliActor('x'.repeat(300)).id.length).toBeLessThanOrEqual(128);
  });
});
