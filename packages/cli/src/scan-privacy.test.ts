/**
 * The privacy guarantee of passive discovery, checked end to end: every capture in
 * ../shared/data/pcap (and a dcmtk DICOM exchange of real test images) goes through
 * `ward scan --save`; no patient name, id or birth date carried in those captures may appear in
 * the database files or in anything ward printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLITE_FILE } from '@ward/store';
import { afterAll, describe, expect, it } from 'vitest';
import { capturesUnder } from '../../../test/support/captures.js';
import { dicomSiteUnavailable, recordDicomSite } from '../../../test/support/dicom-site.js';
import { pydicomTestFiles } from '../../../test/support/dcmtk-capture.js';
import { haveSharedData, haveTool, pcapDir } from '../../../test/support/tshark.js';
import { ward } from './test-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ward-privacy-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** PID-3 (id), PID-5 (name components), PID-7 (birth date) of every PID segment in `text`. */
function pidValues(text: string): string[] {
  const out: string[] = [];
  for (const segment of text.split(/[\r\n]+/)) {
    if (!segment.startsWith('PID|')) continue;
    const fields = segment.split('|');
    for (const index of [3, 5, 7]) {
      for (const component of (fields[index] ?? '').split(/[\^~&]/))
        if (component.trim().length >= 3) out.push(component.trim());
    }
  }
  return out;
}

/** Patient values in the HL7 payloads of `pcap`, as tshark extracts the TCP payloads. */
function hl7PatientValues(pcap: string): string[] {
  const hex = execFileSync('tshark', ['-r', pcap, '-n', '-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.payload'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const text = hex
    .split('\n')
    .map((line) => Buffer.from(line.replaceAll(':', ''), 'hex').toString('latin1'))
    .join('\r');
  return pidValues(text);
}

/** PatientName components, PatientID and PatientBirthDate of DICOM files, read with dcmdump. */
function dicomPatientValues(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const dump = execFileSync('dcmdump', ['+P', 'PatientName', '+P', 'PatientID', '+P', 'PatientBirthDate', file], {
      encoding: 'utf8',
    });
    for (const m of dump.matchAll(/\[([^\]]*)\]/g))
      for (const part of (m[1] ?? '').split('^')) if (part.trim().length >= 3) out.push(part.trim());
  }
  return out;
}

const skip = !haveSharedData ? '../shared/data absent' : !haveTool('tshark') ? 'tshark not installed' : undefined;
if (skip !== undefined) console.warn(`skipping the privacy test: ${skip}`);

describe.skipIf(skip !== undefined)('privacy of ward scan --save', () => {
  it('stores and prints no patient name, id or birth date from any capture', async () => {
    const captures = capturesUnder(pcapDir);
    const secrets = new Set<string>();
    for (const pcap of captures) {
      // Only captures that carry a PID segment at all need tshark's extraction.
      if (readFileSync(pcap).includes('PID|')) for (const v of hl7PatientValues(pcap)) secrets.add(v);
    }
    expect(secrets.has('MOUSE')).toBe(true); // hl7.pcap's patient, found by the extraction above

    const files = [...captures];
    const dicomFiles = pydicomTestFiles();
    if (dicomSiteUnavailable() === undefined && dicomFiles !== undefined) {
      const sent = [join(dicomFiles, 'CT_small.dcm'), join(dicomFiles, 'MR_small.dcm')];
      const site = await recordDicomSite(root, 'PRIV_PACS', [{ aeTitle: 'PRIV_CT', files: sent }]);
      files.push(site.pcap);
      for (const v of dicomPatientValues(sent)) secrets.add(v);
      expect(secrets.has('CompressedSamples')).toBe(true);
      // The names really were on the wire: the test would catch a decoder that kept them.
      expect(readFileSync(site.pcap).includes('CompressedSamples')).toBe(true);
    } else console.warn('privacy test: no dcmtk capture (needs root, dcmtk, pydicom); HL7 captures only');

    const dataDir = join(root, 'data');
    const human = await ward(['scan', ...files, '--save', '--data-dir', dataDir]);
    const json = await ward(['scan', ...files, '--save', '--data-dir', dataDir, '--json']);
    expect(human.code).toBe(0);
    expect(json.code).toBe(0);
    expect(json.json<{ devices: unknown[] }>().devices.length).toBeGreaterThan(10);

    const database = [SQLITE_FILE, `${SQLITE_FILE}-wal`]
      .map((f) => join(dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(database.length).toBeGreaterThan(0);
    expect(database).toContain('SENDING_APPLICATION'); // the metadata is there…
    const printed = [human.stdout, human.stderr, json.stdout, json.stderr].join('\n');
    for (const secret of secrets) {
      // …and no patient value, in any case. Values of five characters or more are looked for
      // anywhere; a shorter one only where it stands as a token of its own: SQLite packs index keys
      // back to back (type `ct` then address `10.77…` reads `ct10.77`), so a short name part such
      // as `CT1` would otherwise be "found" inside unrelated bytes.
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const token = new RegExp(secret.length >= 5 ? escaped : `(?<![a-z0-9])${escaped}(?![a-z0-9])`, 'i');
      expect(token.test(database), `database contains ${secret}`).toBe(false);
      expect(token.test(printed), `output contains ${secret}`).toBe(false);
    }
  }, 300_000);
});
