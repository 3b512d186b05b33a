import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeEntry } from '@ward/ledger';
import { InventoryService } from '@ward/inventory';
import { openSqliteStore } from '@ward/store';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWhen, unmet } from '../../../test/support/requirements.js';
import { haveSharedData, haveTool, pcapDir } from '../../../test/support/tshark.js';
import { ward } from './test-helpers.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'ward-sensor-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const skip =
  process.getuid?.() !== 0
    ? 'not root (tcpdump needs capture privilege)'
    : !haveTool('tcpdump')
      ? 'tcpdump not installed'
      : !haveTool('storescp') || !haveTool('echoscu')
        ? 'dcmtk not installed'
        : undefined;
if (skip !== undefined) console.warn(`skipping ward sensor live tests: ${skip}`);

describe.skipIf(skip !== undefined)('ward sensor (live, on loopback)', () => {
  it('captures a real dcmtk echoscu → storescp exchange through tcpdump and stores its observations', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const storescp = spawn('storescp', ['-aet', 'LIVE_PACS', String(port)], { stdio: 'ignore' });
    const dataDir = join(root, 'live');
    try {
      const sensing = ward([
        'sensor',
        '--interface',
        'lo',
        '--filter',
        `tcp port ${String(port)}`,
        '--duration',
        '4',
        '--data-dir',
        dataDir,
        '--json',
      ]);
      // Real C-ECHOs for the whole capture window (tcpdump and storescp need a moment to start).
      const deadline = Date.now() + 3500;
      let answered = 0;
      while (Date.now() < deadline) {
        try {
          await run('echoscu', ['-aet', 'LIVE_MODALITY', '-aec', 'LIVE_PACS', '127.0.0.2', String(port)]);
          answered++;
        } catch {
          // storescp not listening yet
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      const result = await sensing;
      expect(result.code).toBe(0);
      const summary = result.json<{ stats: { packets: number }; inserted: number; tcpdump: { exitCode: number } }>();
      expect(summary.tcpdump.exitCode).toBe(0);
      expect(summary.stats.packets).toBeGreaterThan(0);
      expect(summary.inserted).toBeGreaterThan(0);
      expect(answered).toBeGreaterThan(3);

      const store = openSqliteStore({ dataDir });
      try {
        const values = async (deviceKey: string, kind: string) =>
          (await store.observations.list({ deviceKey, kind })).map((o) => JSON.parse(o.value) as unknown);
        expect(await values('ip:127.0.0.1', 'dicom-ae')).toEqual([{ aeTitle: 'LIVE_MODALITY', role: 'SCU' }]);
        expect(await values('ip:127.0.0.2', 'dicom-ae')).toEqual([{ aeTitle: 'LIVE_PACS', role: 'SCP' }]);
        expect(await values('ip:127.0.0.2', 'dicom-sop')).toContainEqual({
          sopClass: '1.2.840.10008.1.1',
          role: 'SCP',
          command: 'C-ECHO',
        });
        const [ae] = await store.observations.list({ deviceKey: 'ip:127.0.0.1', kind: 'dicom-ae' });
        expect(ae?.source).toBe('sensor:lo');
        expect(ae !== undefined && ae.firstSeen < ae.lastSeen).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      storescp.kill('SIGTERM');
    }
  }, 30_000);

  it('reports a tcpdump that cannot capture as SENSOR_CAPTURE_FAILED with its exit code', async () => {
    const result = await ward([
      'sensor',
      '--interface',
      'ward-no-such-if0',
      '--duration',
      '5',
      '--data-dir',
      join(root, 'bad'),
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: { code: 'SENSOR_CAPTURE_FAILED', details: { interface: 'ward-no-such-if0', exitCode: 1 } },
    });
  });

  it('refuses a --duration that is not a positive number', async () => {
    const result = await ward(['sensor', '--interface', 'lo', '--duration', '-3', '--data-dir', join(root, 'x')]);
    expect(result.code).toBe(2);
  });
});

const HL7_PCAP = join(pcapDir, 'ndpi-tests/pcap/hl7.pcap');
const liveSkip = unmet([
  [process.platform === 'linux', 'not Linux (network namespaces)'],
  [process.getuid?.() === 0, 'not root (a network namespace, a veth pair and tcpdump need it)'],
  [haveTool('tcpdump'), 'tcpdump not installed'],
  [haveTool('tcpreplay'), 'tcpreplay not installed'],
  [haveTool('ip'), 'iproute2 (ip) not installed'],
  [haveSharedData, '../shared/data absent'],
]);

describeWhen(liveSkip, 'ward sensor on a live interface (a veth pair into a network namespace)', () => {
  it('creates inventory devices from real HL7 traffic replayed with tcpreplay, audited in the ledger', async () => {
    const tag = randomBytes(3).toString('hex');
    const ns = `ward-${tag}`;
    const host = `wvh${tag}`;
    const peer = `wvp${tag}`;
    const dataDir = join(root, `veth-${tag}`);
    await run('ip', ['netns', 'add', ns]);
    try {
      await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer, 'netns', ns]);
      await run('ip', ['link', 'set', host, 'up']);
      await run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up']);
      // The veth ends speak IPv6 neighbour discovery of their own; only the replayed traffic counts.
      const sensing = ward([
        'sensor',
        '--interface',
        host,
        '--filter',
        'not ip6',
        '--duration',
        '6',
        '--data-dir',
        dataDir,
        '--json',
      ]);
      // tcpdump needs a moment to attach; replay a few times across the window.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        await run('ip', ['netns', 'exec', ns, 'tcpreplay', '--topspeed', '-q', '-i', peer, HL7_PCAP]);
      }
      const result = await sensing;
      expect(result.code, result.stderr).toBe(0);
      const summary = result.json<{ stats: { packets: number }; inventory: { created: number; updated: number } }>();
      expect(summary.stats.packets).toBeGreaterThanOrEqual(9);
      expect(summary.inventory.created).toBe(2);

      const store = openSqliteStore({ dataDir });
      try {
        const devices = (await new InventoryService(store).list({ limit: 10 })).items;
        expect(devices.map((d) => d.ips).sort()).toEqual([['10.0.0.126'], ['10.0.0.155']]);
        for (const d of devices) {
          expect(d.provenance['ips']?.source).toEqual({ kind: 'sensor', sensor: host });
        }
        const leaves = await store.ledger.leaves(0, await store.ledger.size());
        const changes = leaves.map((l) => decodeEntry(Buffer.from(l.entry, 'utf8'))).filter((e) => e.kind === 'change');
        expect(changes.filter((e) => e.action === 'device.created')).toHaveLength(2);
        expect(changes.every((e) => e.via === 'cli')).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await run('ip', ['netns', 'del', ns]).catch(() => undefined);
      await run('ip', ['link', 'del', host]).catch(() => undefined);
    }
  }, 60_000);
});
