import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blankDiscoveredDevice } from '@ward/core';
import { generateSignerKey, signerFromKey, type ChangeEntry } from '@ward/ledger';
import { openSqliteStore, type Store } from '@ward/store';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from './audit.js';
import { DomainEvents, cliActor, jobActor, type Actor, type DomainEvent } from './events.js';
import { WardServices } from './services.js';

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
