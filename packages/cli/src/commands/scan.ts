/**
 * @module commands/scan
 * `ward scan FILE... [--save] [--json]`: passive discovery from capture files (pcap, pcapng,
 * gzip-compressed or not). Prints the devices seen — as one JSON document with --json (the public
 * contract of issue 3), else as a table — and with --save writes every observation to the store.
 */
import type { Command } from 'commander';
import { scan, type ScanResult, type SensorDevice } from '@ward/sensor';
import { storeOptions, withServices, type StoreFlags } from '../context.js';
import { table, type CliIo } from '../io.js';

interface ScanFlags extends StoreFlags {
  readonly save?: boolean;
}

function clinical(d: SensorDevice): string {
  const parts: string[] = [];
  if (d.dicom.aeTitles.length > 0) parts.push(`DICOM ${d.dicom.aeTitles.join(',')} (${d.dicom.roles.join('/')})`);
  if (d.hl7.applications.length > 0)
    parts.push(
      `HL7 ${d.hl7.applications.join(',')}@${d.hl7.facilities.join(',')} (${d.hl7.roles.join('/')}; ${d.hl7.messageTypes.join(',')})`,
    );
  return parts.join('; ');
}

export function renderScan(result: Pick<ScanResult, 'devices' | 'stats'>): string {
  const rows = result.devices.map((d) => [
    d.ips.join(',') || '-',
    d.macs.join(',') || '-',
    d.vendor ?? '-',
    d.type === 'unknown' ? 'unknown' : `${d.type} (${d.typeConfidence.toFixed(2)})`,
    d.hostnames.slice(0, 3).join(',') || '-',
    clinical(d) || '-',
  ]);
  const { packets, bytes, flows, decodeErrors, truncated } = result.stats;
  return (
    table([['IP', 'MAC', 'VENDOR', 'TYPE', 'NAMES', 'CLINICAL'], ...rows]) +
    `${String(result.devices.length)} devices; ${String(packets)} packets, ${String(bytes)} bytes, ${String(flows)} flows, ` +
    `${String(decodeErrors)} decode errors${truncated ? ', capture cut short' : ''}\n`
  );
}

const indent = (json: string, by: string): string => json.replaceAll('\n', `\n${by}`);

/**
 * `{ devices, stats }` as `JSON.stringify(…, null, 2)` would print it, written a slice at a time:
 * a capture with a hundred thousand hosts never becomes one huge string in memory.
 */
export function writeScanJson(io: CliIo, result: Pick<ScanResult, 'devices' | 'stats'>): void {
  const stats = indent(JSON.stringify(result.stats, null, 2), '  ');
  if (result.devices.length === 0) {
    io.stdout(`{\n  "devices": [],\n  "stats": ${stats}\n}\n`);
    return;
  }
  let buffer = '{\n  "devices": [\n';
  result.devices.forEach((device, i) => {
    buffer += `    ${indent(JSON.stringify(device, null, 2), '    ')}${i === result.devices.length - 1 ? '\n' : ',\n'}`;
    if (buffer.length > 1 << 20) {
      io.stdout(buffer);
      buffer = '';
    }
  });
  io.stdout(`${buffer}  ],\n  "stats": ${stats}\n}\n`);
}

export function scanCommand(program: Command, io: CliIo): void {
  storeOptions(
    program
      .command('scan')
      .description('discover devices passively from capture files (pcap, pcapng, .gz); never sends a packet')
      .argument('<files...>', 'capture files')
      .option('--save', 'write the observations into the store at --data-dir'),
  ).action(async (files: string[], flags: ScanFlags) => {
    const result = await scan(files);
    if (flags.save === true) {
      await withServices(io, flags, async (services, actor) => {
        // The one call site where discovered devices enter the inventory, with sensor provenance.
        const saved = await services.discovery(actor).save(result, 'scan');
        if (flags.json !== true)
          io.stderr(
            `saved ${String(saved.observations.inserted)} new observations (${String(saved.observations.known)} already known) to ${services.store.location}; ` +
              `inventory: ${String(saved.inventory.created)} devices created, ${String(saved.inventory.updated)} updated, ${String(saved.inventory.unchanged)} unchanged\n`,
          );
      });
    }
    if (flags.json === true) writeScanJson(io, result);
    else io.stdout(renderScan(result));
  });
}
