import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openSqliteStore } from '@ward/store';
import { afterAll, describe, expect, it } from 'vitest';
import { haveTool } from '../../../test/support/tshark.js';
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
