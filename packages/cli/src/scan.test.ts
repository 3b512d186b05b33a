import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScanJson } from './commands/scan.js';
import { capturesUnder } from '../../../test/support/captures.js';
import { dicomSiteUnavailable, recordDicomSite } from '../../../test/support/dicom-site.js';
import { pydicomTestFiles } from '../../../test/support/dcmtk-capture.js';
import { haveSharedData, pcapDir } from '../../../test/support/tshark.js';
import { ward } from './test-helpers.js';

interface Device {
  readonly id: string;
  readonly macs: string[];
  readonly ips: string[];
  readonly type: string;
  readonly typeConfidence: number;
  readonly evidence: { rule: string; detail: string; weight: number }[];
  readonly dicom: { aeTitles: string[]; roles: string[]; sopClasses: string[] };
  readonly hl7: { applications: string[]; facilities: string[]; messageTypes: string[]; roles: string[] };
}
interface ScanJson {
  readonly devices: Device[];
  readonly stats: { packets: number; bytes: number; flows: number; decodeErrors: number; truncated: boolean };
}

const root = mkdtempSync(join(tmpdir(), 'ward-scan-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

if (!haveSharedData) console.warn('skipping ward scan tests on real captures: ../shared/data absent');

describe.skipIf(!haveSharedData)('ward scan on real captures', () => {
  const hl7 = join(pcapDir, 'ndpi-tests/pcap/hl7.pcap');

  it('shows the two HL7 endpoints of hl7.pcap with applications, facilities, roles and ADT^A01', async () => {
    const result = await ward(['scan', hl7, '--json']);
    expect(result.code).toBe(0);
    const { devices, stats } = result.json<ScanJson>();
    const sender = devices.find((d) => d.ips.includes('10.0.0.155'));
    const receiver = devices.find((d) => d.ips.includes('10.0.0.126'));
    expect(sender?.hl7).toEqual({
      applications: ['SENDING_APPLICATION'],
      facilities: ['SENDING_FACILITY'],
      messageTypes: ['ACK', 'ADT^A01'],
      roles: ['sender'],
    });
    expect(receiver?.hl7).toEqual({
      applications: ['RECEIVING_APPLICATION'],
      facilities: ['RECEIVING_FACILITY'],
      messageTypes: ['ACK', 'ADT^A01'],
      roles: ['receiver'],
    });
    expect(sender?.macs).toEqual(['00:0c:29:b5:b6:48']);
    expect(stats).toMatchObject({ packets: 9, flows: 1, decodeErrors: 0, truncated: false });

    const human = await ward(['scan', hl7]);
    expect(human.stdout).toMatch(/10\.0\.0\.155 .*SENDING_APPLICATION@SENDING_FACILITY \(sender; ACK,ADT\^A01\)/);
  });

  it('reads a gzip-compressed capture the same as the plain one', async () => {
    const gz = join(root, 'hl7.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(hl7)));
    const plain = (await ward(['scan', hl7, '--json'])).json<ScanJson>();
    const zipped = (await ward(['scan', gz, '--json'])).json<ScanJson>();
    expect(zipped).toEqual(plain);
  });

  it('saves observations idempotently: the same capture again adds nothing', async () => {
    const dataDir = join(root, 'idem');
    const first = await ward(['scan', hl7, '--save', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/saved [1-9]\d* new observations \(0 already known\)/);
    const again = await ward(['scan', hl7, '--save', '--data-dir', dataDir]);
    expect(again.stderr).toMatch(/saved 0 new observations \([1-9]\d* already known\)/);
  });

  it('puts the discovered devices into the inventory with sensor provenance, once', async () => {
    const dataDir = join(root, 'inventory');
    const first = await ward(['scan', hl7, '--save', '--json', '--data-dir', dataDir]);
    const scanned = first.json<ScanJson>().devices;
    const listed = await ward(['devices', 'list', '--json', '--data-dir', dataDir]);
    interface Listed {
      items: { id: string; identifiers?: unknown; provenance?: Record<string, { source: { kind: string } }> }[];
    }
    const page = listed.json<Listed>();
    expect(page.items).toHaveLength(scanned.length);
    const again = await ward(['scan', hl7, '--save', '--data-dir', dataDir]);
    expect(again.stderr).toMatch(/inventory: 0 devices created, 0 updated, [1-9]\d* unchanged/);
    const shown = await ward(['devices', 'show', page.items[0]?.id ?? '', '--json', '--data-dir', dataDir]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('"sensor"');
  });

  it('reads every capture in ../shared/data/pcap without an uncaught error', async () => {
    const files = capturesUnder(pcapDir);
    expect(files.length).toBeGreaterThan(400);
    for (const file of files) {
      const result = await ward(['scan', file, '--json']);
      expect(`${file}: ${String(result.code)} ${result.stderr}`).toBe(`${file}: 0 `);
      const { stats } = result.json<ScanJson>();
      expect(stats.packets + stats.decodeErrors).toBeGreaterThan(0);
    }
  }, 300_000);
});

describe('ward scan input errors', () => {
  it('names a capture it cannot read with SENSOR_CAPTURE_UNREADABLE', async () => {
    const result = await ward(['scan', join(root, 'missing.pcap'), '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: { code: 'SENSOR_CAPTURE_UNREADABLE', details: { file: join(root, 'missing.pcap') } },
    });
  });

  it('reports bytes that are not a capture as decode errors, not as a crash', async () => {
    const junk = join(root, 'junk.pcap');
    writeFileSync(junk, 'this is not a capture file at all, just text\n'.repeat(20));
    const result = await ward(['scan', junk, '--json']);
    expect(result.code).toBe(0);
    expect(result.json<ScanJson>().stats.decodeErrors).toBeGreaterThan(0);
    // A gzip stream cut short keeps what came before and says so.
    const cut = join(root, 'cut.pcap.gz');
    const whole = gzipSync(readFileSync(junk));
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    const cutResult = await ward(['scan', cut, '--json']);
    expect(cutResult.code).toBe(0);
    expect(cutResult.json<ScanJson>().stats.truncated).toBe(true);
  });
});

const siteSkip =
  dicomSiteUnavailable() ?? (pydicomTestFiles() === undefined ? 'python3-pydicom test files absent' : undefined);
if (siteSkip !== undefined) console.warn(`skipping the dcmtk imaging-department test: ${siteSkip}`);

describe.skipIf(siteSkip !== undefined)('ward scan on a dcmtk imaging department', () => {
  it('shows the CT and MR modalities as SCUs and the archive as the PACS, with their AE titles', async () => {
    const files = pydicomTestFiles() ?? '';
    const site = await recordDicomSite(root, 'PACS_MAIN', [
      { aeTitle: 'CT_SCANNER_1', files: [join(files, 'CT_small.dcm')] },
      { aeTitle: 'MR_SCANNER_1', files: [join(files, 'MR_small.dcm')] },
    ]);
    expect(site.received).toBe(2);
    const result = await ward(['scan', site.pcap, '--json']);
    expect(result.code).toBe(0);
    const { devices } = result.json<ScanJson>();
    const at = (ip: string) => devices.find((d) => d.ips.includes(ip));
    const [ctIp = '', mrIp = ''] = site.modalityIps;
    const ct = at(ctIp);
    const mr = at(mrIp);
    const pacs = at(site.pacsIp);
    expect(ct).toMatchObject({ type: 'ct', dicom: { aeTitles: ['CT_SCANNER_1'], roles: ['SCU'] } });
    expect(ct?.dicom.sopClasses).toContain('1.2.840.10008.5.1.4.1.1.2');
    expect(ct?.evidence[0]?.rule).toBe('dicom.ct-store-scu');
    expect(mr).toMatchObject({ type: 'mr', dicom: { aeTitles: ['MR_SCANNER_1'], roles: ['SCU'] } });
    expect(mr?.dicom.sopClasses).toContain('1.2.840.10008.5.1.4.1.1.4');
    expect(pacs).toMatchObject({ type: 'pacs', dicom: { aeTitles: ['PACS_MAIN'], roles: ['SCP'] } });
    expect(pacs?.evidence.map((e) => e.rule)).toContain('dicom.pacs-store-scp-many-peers');
    // Each host on the bridge is keyed by its own MAC.
    for (const d of [ct, mr, pacs]) expect(d?.macs).toHaveLength(1);
    expect(new Set([ct?.id, mr?.id, pacs?.id]).size).toBe(3);
    // tshark sees the same calling (modality) and called (PACS) AE titles on the wire, from the same IPs.
    const rows = execFileSync(
      'tshark',
      [
        '-r',
        site.pcap,
        '-n',
        '-Y',
        'dicom.pdu.type == 1',
        '-T',
        'fields',
        '-e',
        'ip.src',
        '-e',
        'dicom.assoc.ae.calling',
        '-e',
        'dicom.assoc.ae.called',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t').map((c) => c.trim()));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const [ip = '', calling = '', called = ''] of rows) {
      expect(at(ip)?.dicom.aeTitles).toEqual([calling]);
      expect(pacs?.dicom.aeTitles).toEqual([called]);
    }
  }, 60_000);
});

describe('ward scan --json writer', () => {
  it('prints exactly what JSON.stringify(…, null, 2) prints, a slice at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 8 }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (devices, stats) => {
          let out = '';
          const io = { stdout: (t: string) => (out += t) } as unknown as Parameters<typeof writeScanJson>[0];
          const result = { devices, stats } as unknown as Parameters<typeof writeScanJson>[1];
          writeScanJson(io, result);
          expect(out).toBe(`${JSON.stringify({ devices, stats }, null, 2)}\n`);
        },
      ),
    );
  });
});
