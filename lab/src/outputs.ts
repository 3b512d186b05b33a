/**
 * @module outputs
 * The files a run leaves in its output folder beside `capture.pcap`: `inventory.json` (ground truth
 * of every device), `labels.jsonl` (one line per attack action) and `scenario.json` (seed, plan,
 * versions of the tools used).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { isAttack, type Scenario, type StepKind } from './scenario.js';
import { TECHNIQUES } from './techniques.js';
import type { PlannedAction } from './timeline.js';
import type { LabDevice, Topology } from './topology.js';

/** The real program behind each step kind, and the Debian package (or npm package) it comes from. */
export const TOOLS: Readonly<Record<StepKind, { readonly tool: string; readonly from: string }>> = {
  'dhcp-lease': { tool: 'udhcpc', from: 'busybox' },
  'dns-lookup': { tool: 'dig', from: 'bind9-dnsutils' },
  'dicom-echo': { tool: 'echoscu', from: 'dcmtk' },
  'dicom-store': { tool: 'storescu', from: 'dcmtk' },
  'dicom-find': { tool: 'findscu', from: 'dcmtk' },
  'hl7-send': { tool: 'Hl7Client', from: '@medplum/hl7' },
  'fhir-get': { tool: 'curl', from: 'curl' },
  'smb-session': { tool: 'smbclient', from: 'smbclient' },
  'ssh-admin': { tool: 'ssh', from: 'openssh-client' },
  'ping-sweep': { tool: 'nmap', from: 'nmap' },
  'port-scan': { tool: 'nmap', from: 'nmap' },
  'ssh-brute-force': { tool: 'hydra', from: 'hydra' },
  'smb-ransomware': { tool: 'smbclient', from: 'smbclient' },
  'smb-lateral': { tool: 'smbclient', from: 'smbclient' },
  'dicom-harvest': { tool: 'findscu', from: 'dcmtk' },
  'dicom-rogue-store': { tool: 'storescu', from: 'dcmtk' },
  'hl7-inject': { tool: 'Hl7Client', from: '@medplum/hl7' },
  exfiltrate: { tool: 'curl', from: 'curl' },
  'beacon-https': { tool: 'curl', from: 'curl' },
  'beacon-dns': { tool: 'dig', from: 'bind9-dnsutils' },
};

/** The Debian packages whose programs a run uses (services and steps). */
export const DEBIAN_PACKAGES = [
  'dcmtk',
  'python3-pydicom',
  'tcpdump',
  'dnsmasq-base',
  'samba',
  'smbclient',
  'openssh-server',
  'openssh-client',
  'nmap',
  'hydra',
  'curl',
  'iproute2',
  'ethtool',
  'bind9-dnsutils',
  'busybox',
  'openssl',
] as const;

export interface InventoryDevice {
  readonly name: string;
  readonly hostname: string;
  readonly mac: string;
  readonly ip: string;
  readonly zone: 'hospital' | 'outside';
  readonly type: string;
  readonly role: string;
  readonly services: readonly string[];
  readonly names: readonly string[];
  readonly dicom: { readonly aeTitles: readonly string[] };
  readonly hl7: { readonly applications: readonly string[]; readonly facilities: readonly string[] };
  readonly dhcp: { readonly hostname: string; readonly vendorClass: string } | null;
  /** Whether attack steps start from this device (compromised or rogue). */
  readonly attacker: boolean;
}

export interface Inventory {
  readonly scenario: string;
  readonly hospitalNetwork: string;
  readonly outsideNetwork: string;
  readonly devices: readonly InventoryDevice[];
}

const unique = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** Ground truth of every device: its configured identity plus what its steps present on the wire. */
export function buildInventory(scenario: Scenario, topology: Topology): Inventory {
  const devices = topology.devices.map((d): InventoryDevice => {
    const steps = scenario.steps.filter((s) => s.from === d.name);
    const aeTitles = [
      ...(d.dicom === undefined ? [] : [d.dicom.aeTitle]),
      ...steps.flatMap((s) => (s.kind === 'dicom-harvest' || s.kind === 'dicom-rogue-store' ? [s.aeTitle] : [])),
    ];
    const injected = steps.flatMap((s) => (s.kind === 'hl7-inject' ? [s] : []));
    return {
      name: d.name,
      hostname: d.hostname,
      mac: d.mac,
      ip: d.ip,
      zone: d.zone,
      type: d.type,
      role: d.role,
      services: [...d.services],
      names: [...d.names],
      dicom: { aeTitles: unique(aeTitles) },
      hl7: {
        applications: unique([
          ...(d.hl7 === undefined ? [] : [d.hl7.application]),
          ...injected.map((s) => s.application),
        ]),
        facilities: unique([...(d.hl7 === undefined ? [] : [d.hl7.facility]), ...injected.map((s) => s.facility)]),
      },
      dhcp: d.dhcp === undefined ? null : { hostname: d.hostname, vendorClass: d.dhcp.vendorClass },
      attacker: steps.some((s) => isAttack(s.kind)),
    };
  });
  return { scenario: scenario.name, hospitalNetwork: '10.77.0.0/16', outsideNetwork: '198.51.100.0/24', devices };
}

export interface ActionRecord {
  readonly action: PlannedAction;
  readonly start: Date;
  readonly end: Date;
  readonly exitCode: number;
}

export interface Label {
  readonly id: number;
  readonly scenario: string;
  readonly runId: string;
  readonly attack: string;
  /** ATT&CK for ICS id where one fits, else the Enterprise id. */
  readonly technique: string;
  readonly techniqueName: string;
  readonly enterpriseTechnique: string;
  readonly tactic: string;
  readonly tool: string;
  readonly start: string;
  readonly end: string;
  /** Seconds from the start of the timeline. */
  readonly startOffset: number;
  readonly endOffset: number;
  readonly source: { readonly device: string; readonly ip: string; readonly mac: string };
  readonly destination: {
    readonly device: string | null;
    readonly ip: string | null;
    readonly cidr: string | null;
    readonly port: number | null;
    readonly domain: string | null;
  };
  readonly step: number;
  readonly line: number;
  readonly exitCode: number;
}

const PORT_OF: Partial<Record<StepKind, number>> = {
  'ssh-brute-force': 22,
  'smb-ransomware': 445,
  'smb-lateral': 445,
  'dicom-harvest': 104,
  'dicom-rogue-store': 104,
  'hl7-inject': 2575,
  exfiltrate: 443,
  'beacon-https': 443,
  'beacon-dns': 53,
};

/** The label of one finished attack action. */
export function labelOf(
  scenario: Scenario,
  topology: Topology,
  runId: string,
  t0: Date,
  record: ActionRecord,
): Label | null {
  const { action } = record;
  if (!isAttack(action.kind)) return null;
  const kind = action.kind;
  const step = scenario.steps[action.step];
  const byName = new Map(topology.devices.map((d) => [d.name, d]));
  const byIp = new Map(topology.devices.map((d) => [d.ip, d]));
  const from = byName.get(action.from);
  let to: LabDevice | undefined = action.to === null ? undefined : byName.get(action.to);
  let cidr: string | null = null;
  let domain: string | null = null;
  if (step !== undefined && (step.kind === 'port-scan' || step.kind === 'ping-sweep')) {
    if (step.target.includes('/')) cidr = step.target;
    else to = byIp.get(step.target);
  }
  if (step?.kind === 'beacon-https') {
    domain = step.domain;
    to = topology.devices.find((d) => d.names.includes(step.domain));
  }
  if (step?.kind === 'beacon-dns') {
    domain = action.choice;
    to = topology.devices.find((d) => d.services.includes('dns-dhcp'));
  }
  if (step?.kind === 'exfiltrate' && to !== undefined) domain = to.names[0] ?? null;
  const technique = TECHNIQUES[kind];
  const offset = (d: Date): number => Math.round(d.getTime() - t0.getTime()) / 1000;
  return {
    id: action.id,
    scenario: scenario.name,
    runId,
    attack: kind,
    technique: technique.ics ?? technique.enterprise,
    techniqueName: technique.icsName ?? technique.enterpriseName,
    enterpriseTechnique: technique.enterprise,
    tactic: technique.tactic,
    tool: TOOLS[kind].tool,
    start: record.start.toISOString(),
    end: record.end.toISOString(),
    startOffset: offset(record.start),
    endOffset: offset(record.end),
    source: { device: action.from, ip: from?.ip ?? '', mac: from?.mac ?? '' },
    destination: {
      device: to?.name ?? null,
      ip: to?.ip ?? null,
      cidr,
      port: PORT_OF[kind] ?? null,
      domain,
    },
    step: action.step,
    line: action.line,
    exitCode: record.exitCode,
  };
}

/** Installed versions of the Debian packages (absent ones are left out). */
export function debianVersions(packages: readonly string[] = DEBIAN_PACKAGES): Record<string, string> {
  const result = spawnSync('dpkg-query', ['-W', '-f', '${Package}\t${Version}\n', ...packages], { encoding: 'utf8' });
  const versions: Record<string, string> = {};
  for (const line of (result.stdout || '').split('\n')) {
    const [name, version] = line.split('\t');
    if (name !== undefined && name !== '' && version !== undefined && version !== '') versions[name] = version;
  }
  return versions;
}

/** Versions of the npm packages and runtime the lab's agents use. */
export function agentVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.version };
  for (const name of ['@medplum/hl7', '@medplum/core']) {
    try {
      const entry = require.resolve(name);
      const pkgFile = `${entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`))}/node_modules/${name}/package.json`;
      const pkg = require(pkgFile) as { version?: string };
      versions[name] = pkg.version ?? 'unknown';
    } catch {
      versions[name] = 'unknown';
    }
  }
  return versions;
}
