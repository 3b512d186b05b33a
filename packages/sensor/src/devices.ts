/**
 * @module devices
 * Builds devices from observations. Identity comes first: every MAC is a device, and each IP goes
 * to the one MAC it is bound to — except the MAC of a router.
 *
 * **The gateway heuristic.** On a switched network the sensor sees routed traffic with the
 * router's MAC and the far host's IP, so a router's MAC shows up "carrying" many IP addresses.
 * Bindings learnt from ARP, NDP and DHCP are the host's own; bindings learnt only from IP packets
 * (`via: 'ip'`) may be routed. A MAC is taken for a gateway when its IP-only bindings hold at
 * least `gatewayMinIps` (3) distinct IPv4 addresses, or at least 2 of which one is not a local
 * (private, link-local) address, or at least 8 IPv6 addresses. A gateway keeps only its
 * ARP/NDP/DHCP addresses; the routed addresses become devices of their own, keyed by IP.
 *
 * An IP that belongs to no MAC becomes a device when it is local, acted as a client, or took part
 * in HL7 or DICOM: a public address that only ever served (a web site a workstation visited) is
 * a peer, not a device on the site. When an IP is bound to several MACs (a lease handed on), the
 * strongest binding wins (ARP/NDP/DHCP over IP), then the most recent, then the lowest MAC.
 */
import { createHash } from 'node:crypto';
import type { DiscoveredDevice } from '@ward/core';
import { isIpv4, isLocalIp } from './address.js';
import { classifyDevice, type DeviceFacts } from './classify.js';
import { isoOf, type Observation } from './observation.js';
import type { OuiRegistry } from './oui.js';
import type { FingerprintRule } from './rules.js';

export interface BuildOptions {
  readonly rules: readonly FingerprintRule[];
  readonly oui: OuiRegistry;
  readonly gatewayMinIps?: number;
}

/** A discovered device with the services it offered and used (`tcp/104 dicom`). */
export interface SensorDevice extends DiscoveredDevice {
  readonly http: { readonly userAgents: readonly string[]; readonly servers: readonly string[] };
  readonly services: { readonly offered: readonly string[]; readonly used: readonly string[] };
}

interface Binding {
  readonly mac: string;
  readonly ip: string;
  strong: boolean;
  lastSeen: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function ipKey(ip: string): string {
  if (isIpv4(ip))
    return `4${ip
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('.')}`;
  return `6${ip}`;
}

const byIp = (a: string, b: string): number => {
  const ka = ipKey(a);
  const kb = ipKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].filter((v) => v !== '').sort();

function hashId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** Kinds of observation that show an IP acted on its own behalf (asked, sent, initiated). */
function showsActivity(o: Observation): boolean {
  switch (o.kind) {
    case 'service':
      return o.value.role === 'client';
    case 'tls-sni':
    case 'tls-ja4':
    case 'http-user-agent':
    case 'dns-query':
    case 'hl7-app':
    case 'hl7-message':
    case 'hl7-peer':
    case 'dicom-ae':
    case 'dicom-sop':
    case 'dicom-peer':
      return true;
    case 'binding':
    case 'seen':
    case 'hostname':
    case 'dhcp':
    case 'http-server':
    case 'ssh-banner':
    case 'ble-advertiser':
      return false;
  }
}

export function findGateways(bindings: Iterable<Binding>, minIps = 3): Set<string> {
  const weak = new Map<string, { v4: Set<string>; v6: Set<string>; strongIps: Set<string> }>();
  const all = [...bindings];
  for (const b of all) {
    let entry = weak.get(b.mac);
    if (entry === undefined) weak.set(b.mac, (entry = { v4: new Set(), v6: new Set(), strongIps: new Set() }));
    if (b.strong) entry.strongIps.add(b.ip);
  }
  for (const b of all) {
    const entry = weak.get(b.mac);
    if (entry === undefined || b.strong || entry.strongIps.has(b.ip)) continue;
    (isIpv4(b.ip) ? entry.v4 : entry.v6).add(b.ip);
  }
  const gateways = new Set<string>();
  for (const [mac, { v4, v6 }] of weak) {
    const remote = [...v4].some((ip) => !isLocalIp(ip));
    if (v4.size >= minIps || (v4.size >= 2 && remote) || v6.size >= 8) gateways.add(mac);
  }
  return gateways;
}

interface Group {
  readonly macs: string[];
  readonly ips: string[];
  readonly gateway: boolean;
  /** Subjects whose observations belong to this device. */
  readonly subjects: string[];
}

export function buildDevices(observations: readonly Observation[], options: BuildOptions): SensorDevice[] {
  const bySubject = new Map<string, Observation[]>();
  for (const o of observations) {
    let list = bySubject.get(o.subject);
    if (list === undefined) bySubject.set(o.subject, (list = []));
    list.push(o);
  }

  const bindings = new Map<string, Binding>();
  for (const o of observations) {
    if (o.kind !== 'binding') continue;
    const mac = o.subject.slice(4);
    const ip = str(o.value.ip);
    const key = `${mac} ${ip}`;
    const strong = o.value.via !== 'ip';
    const known = bindings.get(key);
    if (known === undefined) bindings.set(key, { mac, ip, strong, lastSeen: o.lastSeen });
    else {
      known.strong ||= strong;
      known.lastSeen = Math.max(known.lastSeen, o.lastSeen);
    }
  }
  const gateways = findGateways(bindings.values(), options.gatewayMinIps);

  // Each IP to one MAC.
  const owner = new Map<string, Binding>();
  for (const b of bindings.values()) {
    if (gateways.has(b.mac) && !b.strong) continue;
    const current = owner.get(b.ip);
    const better =
      current === undefined ||
      (b.strong && !current.strong) ||
      (b.strong === current.strong &&
        (b.lastSeen > current.lastSeen || (b.lastSeen === current.lastSeen && b.mac < current.mac)));
    if (better) owner.set(b.ip, b);
  }

  const groups: Group[] = [];
  const macGroups = new Map<string, Group>();
  for (const subject of bySubject.keys()) {
    if (!subject.startsWith('mac:')) continue;
    const mac = subject.slice(4);
    const group: Group = { macs: [mac], ips: [], gateway: gateways.has(mac), subjects: [subject] };
    macGroups.set(mac, group);
    groups.push(group);
  }
  for (const [ip, b] of owner) {
    const group = macGroups.get(b.mac);
    if (group === undefined) continue;
    group.ips.push(ip);
    group.subjects.push(`ip:${ip}`);
  }
  for (const [subject, list] of bySubject) {
    if (subject.startsWith('ble:')) {
      groups.push({ macs: [subject.slice(4)], ips: [], gateway: false, subjects: [subject] });
      continue;
    }
    if (!subject.startsWith('ip:')) continue;
    const ip = subject.slice(3);
    if (owner.has(ip)) continue;
    if (!isLocalIp(ip) && !list.some(showsActivity)) continue;
    groups.push({ macs: [], ips: [ip], gateway: false, subjects: [subject] });
  }

  const keyed = groups.map((g) => {
    const device = assemble(g, bySubject, options);
    const first = device.ips[0];
    return { device, key: `${first === undefined ? '~' : ipKey(first)} ${device.macs[0] ?? '~'} ${device.id}` };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.device);
}

function assemble(group: Group, bySubject: ReadonlyMap<string, Observation[]>, options: BuildOptions): SensorDevice {
  const obs = group.subjects.flatMap((s) => bySubject.get(s) ?? []);
  // One pass to bucket by kind; every fact below reads only its own kind.
  const byKind = new Map<Observation['kind'], Observation[]>();
  for (const o of obs) {
    const list = byKind.get(o.kind);
    if (list === undefined) byKind.set(o.kind, [o]);
    else list.push(o);
  }
  const of = (kind: Observation['kind']): Observation[] => byKind.get(kind) ?? [];
  const values = (kind: Observation['kind'], field: string, where?: (o: Observation) => boolean) =>
    sorted((where === undefined ? of(kind) : of(kind).filter(where)).map((o) => str(o.value[field])));
  const count = (kind: Observation['kind'], where: (o: Observation) => boolean) =>
    new Set(
      of(kind)
        .filter(where)
        .map((o) => str(o.value.peer)),
    ).size;

  const macs = sorted(group.macs);
  const ips = [...new Set(group.ips)].sort(byIp);
  const firstMac = macs[0];
  const vendor = firstMac === undefined ? null : options.oui.lookup(firstMac);

  const dhcpFacts = of('dhcp').sort((a, b) => b.lastSeen - a.lastSeen || (a.id < b.id ? -1 : 1));
  const latestDhcp = dhcpFacts[0];
  const dhcpValue = (field: string): string | null => {
    const v = latestDhcp?.value[field];
    return typeof v === 'string' && v !== '' ? v : null;
  };

  const services = (role: string) =>
    sorted(
      of('service')
        .filter((o) => o.value.role === role)
        .map(
          (o) =>
            `${str(o.value.transport)}/${String(o.value.port)}${o.value.protocol === null ? '' : ` ${str(o.value.protocol)}`}`,
        ),
    );
  const servicePorts = (role: string) =>
    sorted(
      of('service')
        .filter((o) => o.value.role === role)
        .map((o) => `${str(o.value.transport)}/${String(o.value.port)}`),
    );
  const serviceProtocols = (role: string) =>
    sorted(
      of('service')
        .filter((o) => o.value.role === role && o.value.protocol !== null)
        .map((o) => str(o.value.protocol)),
    );

  const hostnames = values('hostname', 'name');
  const sopOf = (role: string, command?: string) =>
    values(
      'dicom-sop',
      'sopClass',
      (o) => o.value.role === role && (command === undefined || o.value.command === command),
    );
  const dicom = {
    aeTitles: values('dicom-ae', 'aeTitle'),
    roles: sorted([...values('dicom-ae', 'role'), ...values('dicom-sop', 'role')]),
    sopClasses: values('dicom-sop', 'sopClass'),
  };
  const hl7 = {
    applications: values('hl7-app', 'application'),
    facilities: values('hl7-app', 'facility'),
    messageTypes: values('hl7-message', 'messageType'),
    roles: sorted([...values('hl7-app', 'role'), ...values('hl7-message', 'role')]),
  };
  const tls = { sni: values('tls-sni', 'sni'), ja4: values('tls-ja4', 'ja4') };
  const dns = { names: values('dns-query', 'name') };
  const dhcp = {
    hostname: dhcpValue('hostname'),
    vendorClass: dhcpValue('vendorClass'),
    paramList: dhcpValue('paramList'),
  };
  const http = { userAgents: values('http-user-agent', 'userAgent'), servers: values('http-server', 'server') };

  const facts: DeviceFacts = {
    vendor: vendor === null ? [] : [vendor],
    hostname: hostnames,
    dhcpVendorClass: values('dhcp', 'vendorClass'),
    dhcpParamList: values('dhcp', 'paramList'),
    dnsName: dns.names,
    tlsSni: tls.sni,
    tlsJa4: tls.ja4,
    httpUserAgent: http.userAgents,
    httpServer: http.servers,
    sshBanner: values('ssh-banner', 'banner'),
    serviceOffered: servicePorts('server'),
    protocolOffered: serviceProtocols('server'),
    serviceUsed: servicePorts('client'),
    protocolUsed: serviceProtocols('client'),
    dicomAeTitle: dicom.aeTitles,
    dicomRole: dicom.roles,
    dicomStoreScuSopClass: sopOf('SCU', 'C-STORE'),
    dicomStoreScpSopClass: sopOf('SCP', 'C-STORE'),
    dicomScpSopClass: sopOf('SCP'),
    dicomScuSopClass: sopOf('SCU'),
    hl7Application: hl7.applications,
    hl7Facility: hl7.facilities,
    hl7Role: hl7.roles,
    hl7MessageType: hl7.messageTypes,
    dicomStoreScpPeers: count('dicom-peer', (o) => o.value.role === 'SCP' && o.value.command === 'C-STORE'),
    dicomStoreScuPeers: count('dicom-peer', (o) => o.value.role === 'SCU' && o.value.command === 'C-STORE'),
    hl7Peers: count('hl7-peer', () => true),
    macs: macs.length,
    ips: ips.length,
    gateway: group.gateway,
  };
  const { type, confidence, evidence } = classifyDevice(facts, options.rules);

  const firstIp = ips[0];
  const stable = dicom.aeTitles[0] ?? hl7.applications[0] ?? hostnames[0];
  const key =
    firstMac !== undefined ? `mac:${firstMac}` : `ip:${firstIp ?? ''}${stable === undefined ? '' : `|${stable}`}`;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const o of obs) {
    first = Math.min(first, o.firstSeen);
    last = Math.max(last, o.lastSeen);
  }

  return {
    id: hashId(key),
    macs,
    ips,
    hostnames,
    vendor,
    type,
    typeConfidence: confidence,
    evidence,
    dicom,
    hl7,
    tls,
    dns,
    dhcp,
    http,
    services: { offered: services('server'), used: services('client') },
    ...(Number.isFinite(first) ? { firstSeen: isoOf(first), lastSeen: isoOf(last) } : {}),
  };
}
