// Every capture in ../shared/data/pcap through the decoder, checked against Wireshark's own tools:
// packet counts against `capinfos`, TCP/UDP conversations against `tshark -T fields`, BLE advertisers
// against tshark's `btle.advertising_address`, and captures cut short against capinfos on the cut file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { WireEvent } from './events.js';
import { decodeAll, sharedPcapDir } from './test-helpers.js';

const pcapDir = sharedPcapDir();
const haveData = existsSync(pcapDir);
if (!haveData) console.warn(`skipping the shared-capture tests: ${pcapDir} is absent`);

function has(tool: string): boolean {
  const r = spawnSync(tool, ['-v'], { encoding: 'utf8' });
  return r.status === 0;
}
const haveCapinfos = has('capinfos');
const haveTshark = has('tshark');
if (haveData && !haveCapinfos) console.warn('skipping packet-count comparisons: capinfos is not installed');
if (haveData && !haveTshark) console.warn('skipping tshark comparisons: tshark is not installed');

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) out.push(p);
  }
  return out.sort();
}

function load(path: string): Uint8Array {
  const b = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(b) : b;
}

/** capinfos' packet count for each file (one run for all of them; `.gz` read by capinfos itself). */
function capinfosCounts(files: readonly string[]): Map<string, number> {
  const r = spawnSync('capinfos', ['-T', '-c', '-r', ...files], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const counts = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const [file, n] = line.split('\t');
    if (file !== undefined && n !== undefined && file !== '') counts.set(file, Number(n));
  }
  return counts;
}

function tuple(transport: string, a: string, b: string): string {
  return `${transport} ${[a, b].sort().join(' ')}`;
}

function myTuples(events: readonly WireEvent[]): Set<string> {
  const s = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'flow-end') continue;
    s.add(
      tuple(
        e.flow.transport,
        `${e.flow.client.ip}|${String(e.flow.client.port)}`,
        `${e.flow.server.ip}|${String(e.flow.server.port)}`,
      ),
    );
  }
  return s;
}

function tsharkTuples(path: string): Set<string> {
  const fields = [
    'ip.src',
    'ipv6.src',
    'ip.dst',
    'ipv6.dst',
    'tcp.srcport',
    'tcp.dstport',
    'udp.srcport',
    'udp.dstport',
  ];
  const args = [
    '-r',
    path,
    '-Y',
    '(tcp || udp) && !icmp && !icmpv6',
    '-T',
    'fields',
    ...fields.flatMap((f) => ['-e', f]),
  ];
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const s = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const [s4, s6, d4, d6, ts, td, us, ud] = line.split('\t');
    const src = s4 !== '' && s4 !== undefined ? s4 : s6;
    const dst = d4 !== '' && d4 !== undefined ? d4 : d6;
    const tcp = ts !== undefined && ts !== '';
    const sp = tcp ? ts : us;
    const dp = tcp ? td : ud;
    if (src === undefined || dst === undefined || sp === undefined || dp === undefined) continue;
    s.add(tuple(tcp ? 'tcp' : 'udp', `${src}|${sp}`, `${dst}|${dp}`));
  }
  return s;
}

const files = haveData ? captures(pcapDir) : [];

describe.skipIf(!haveData)('every shared capture', () => {
  const counts = haveCapinfos ? capinfosCounts(files) : new Map<string, number>();

  it('is read without a throw, with capinfos’ packet count, and no capture-layer error', () => {
    expect(files.length).toBeGreaterThan(500);
    const wrong: string[] = [];
    for (const f of files) {
      const { decoder, events } = decodeAll(load(f));
      const st = decoder.stats();
      const captureErrors = events.filter(
        (e) => e.kind === 'decode-error' && (e.layer === 'pcap' || e.layer === 'pcapng'),
      );
      if (captureErrors.length > 0 || st.truncated) wrong.push(`${f}: capture errors`);
      if (haveCapinfos && counts.get(f) !== st.packets)
        wrong.push(`${f}: ${String(st.packets)} packets, capinfos ${String(counts.get(f))}`);
    }
    expect(wrong).toEqual([]);
  });
});

const TUPLE_FILES = [
  'ndpi-tests/pcap/hl7.pcap',
  'ndpi-tests/pcap/rtsp.pcap',
  'ndpi-tests/pcap/rdp.pcap',
  'ndpi-tests/pcap/anydesk.pcapng',
  'zeek-traces/tls/irc-starttls.pcap',
  'zeek-traces/tls/openjdk-25.0.2-zeek.org.pcap',
  'zeek-traces/http/connect-with-header.pcap',
  'zeek-traces/dns-inverse-query.pcap',
  // QinQ and PPPoE
  'ndpi-tests/pcap/dns.pcap',
  // IPv6 and IPv4 on Ethernet, a VLAN, RAW (101) and IPV4 (228)
  'zeek-traces/wikipedia.pcap',
  'zeek-traces/http-vlan-0.pcap',
  'iotsec-medical-devices/kardiamobile/2_5.pcap',
  'zeek-traces/tcp-syslog.pcap',
];

describe.skipIf(!haveData || !haveTshark)('conversations match tshark', () => {
  it.each(TUPLE_FILES)('%s', (name) => {
    const path = join(pcapDir, name);
    if (!existsSync(path)) {
      console.warn(`skipping ${name}: absent`);
      return;
    }
    const mine = myTuples(decodeAll(load(path)).events);
    const theirs = tsharkTuples(path);
    expect(theirs.size).toBeGreaterThan(0);
    expect([...mine].sort()).toEqual([...theirs].sort());
  });
});

describe.skipIf(!haveData || !haveTshark)('ARP hosts match tshark over 802.11, radiotap, SLL and SNAP', () => {
  it.each([
    'zeek-traces/arp-who-has-radiotap.pcap',
    'zeek-traces/arp-who-has-wlanmon.pcap',
    'zeek-traces/linuxsll-arp.pcap',
    'zeek-traces/snap-arp.pcapng',
    'zeek-traces/arp-who-has.pcap',
  ])('%s', (name) => {
    const path = join(pcapDir, name);
    if (!existsSync(path)) return;
    const mine = new Set(
      decodeAll(load(path)).events.flatMap((e) =>
        e.kind === 'host' && e.via === 'arp' ? [`${e.mac} ${e.ip ?? ''}`] : [],
      ),
    );
    const r = spawnSync(
      'tshark',
      [
        '-r',
        path,
        '-Y',
        'arp',
        '-T',
        'fields',
        '-e',
        'arp.src.hw_mac',
        '-e',
        'arp.src.proto_ipv4',
        '-e',
        'arp.opcode',
        '-e',
        'arp.dst.hw_mac',
        '-e',
        'arp.dst.proto_ipv4',
      ],
      {
        encoding: 'utf8',
      },
    );
    const theirs = new Set<string>();
    for (const line of r.stdout.split('\n')) {
      const [smac, sip, op, dmac, dip] = line.split('\t');
      if (smac === undefined || sip === undefined || sip === '' || sip === '0.0.0.0') continue;
      theirs.add(`${smac} ${sip}`);
      if (op === '2' && dmac !== undefined && dip !== undefined && dip !== '0.0.0.0') theirs.add(`${dmac} ${dip}`);
    }
    expect(theirs.size).toBeGreaterThan(0);
    expect([...mine].sort()).toEqual([...theirs].sort());
  });
});

describe.skipIf(!haveData || !haveTshark)('BLE advertisers match tshark', () => {
  const ble = files.filter((f) => f.includes('ble_adv_capture')).slice(0, 4);
  it.each(ble.map((f) => [f.slice(pcapDir.length + 1), f]))('%s', (_n, path) => {
    const mine = new Set(decodeAll(load(path)).events.flatMap((e) => (e.kind === 'ble-advertiser' ? [e.address] : [])));
    const r = spawnSync(
      'tshark',
      [
        '-r',
        path,
        '-Y',
        'btle.advertising_address && nordic_ble.crcok == 1',
        '-T',
        'fields',
        '-e',
        'btle.advertising_address',
      ],
      {
        encoding: 'utf8',
      },
    );
    const theirs = new Set(r.stdout.split('\n').filter((l) => l !== ''));
    expect(theirs.size).toBeGreaterThan(0);
    expect([...mine].sort()).toEqual([...theirs].sort());
  });
});

describe.skipIf(!haveData || !haveCapinfos)('captures cut short', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wire-cut-'));
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });
  const samples = [
    'ndpi-tests/pcap/hl7.pcap',
    'ndpi-tests/pcap/anydesk.pcapng',
    'iotsec-medical-devices/wyzescale/bluetooth/ble_adv_capture/1.pcap',
  ];
  it.each(samples)('%s: WIRE_PCAP_TRUNCATED, and the packets before the cut as capinfos counts them', (name) => {
    const path = join(pcapDir, name);
    if (!existsSync(path)) return;
    const whole = load(path);
    for (const frac of [0.37, 0.61, 0.93]) {
      const cut = whole.subarray(0, Math.floor(whole.length * frac));
      const out = join(tmp, `cut-${String(frac)}-${name.replaceAll('/', '_')}`);
      writeFileSync(out, cut);
      const { decoder, events } = decodeAll(cut);
      const theirs = capinfosCounts([out]).get(out);
      expect(decoder.stats().packets).toBe(theirs);
      const codes = events.flatMap((e) =>
        e.kind === 'decode-error' && (e.layer === 'pcap' || e.layer === 'pcapng') ? [e.code] : [],
      );
      // A cut that falls exactly on a record boundary is not a truncation.
      if (decoder.stats().truncated) expect(codes).toEqual(['WIRE_PCAP_TRUNCATED']);
      else expect(codes).toEqual([]);
    }
  });
});
