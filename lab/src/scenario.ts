/**
 * @module scenario
 * A lab scenario is data: the devices (one network namespace each, with the services they run) and
 * the steps of the timeline (benign activity and attacks, each run by one real tool). Files are JSON,
 * one device or step per line by convention; they are read with a position-tracking parser so that
 * every error names its line. Unknown step kinds (tools) and services are refused here, before
 * anything starts.
 */
import { readFileSync } from 'node:fs';
import { DEVICE_TYPES } from '@ward/core';
import { z } from 'zod';
import { LabError } from './errors.js';
import { parseJsonWithPositions, positionOf, type Position } from './json-positions.js';

/** Services a device can run, each by one real program. */
export const SERVICE_KINDS = [
  'dns-dhcp', // dnsmasq: DHCP server and the hospital's resolver
  'pacs', // dcmtk dcmqrscp: C-ECHO, C-STORE, C-FIND
  'hl7-engine', // @medplum/hl7 Hl7Server answering every message with an ACK
  'fhir-server', // a FHIR R4 read-only HTTP service (node), application/fhir+json
  'file-server', // samba smbd with a guest share
  'ssh-server', // openssh sshd
  'router', // IP forwarding between the hospital and the outside
  'web-sink', // an HTTPS service outside the hospital (exfiltration target, beacon C2)
  'dns-authority', // dnsmasq outside the hospital answering for the outside devices' names
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const BENIGN_KINDS = [
  'dhcp-lease',
  'dns-lookup',
  'dicom-echo',
  'dicom-store',
  'dicom-find',
  'hl7-send',
  'fhir-get',
  'smb-session',
  'ssh-admin',
] as const;
export const ATTACK_KINDS = [
  'ping-sweep',
  'port-scan',
  'ssh-brute-force',
  'smb-ransomware',
  'smb-lateral',
  'dicom-harvest',
  'dicom-rogue-store',
  'hl7-inject',
  'exfiltrate',
  'beacon-https',
  'beacon-dns',
] as const;
export type BenignKind = (typeof BENIGN_KINDS)[number];
export type AttackKind = (typeof ATTACK_KINDS)[number];
export type StepKind = BenignKind | AttackKind;

export const HOSPITAL_PREFIX = '10.77.';
export const OUTSIDE_PREFIX = '198.51.100.';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'lower-case letters, digits and -, starting with a letter');
const ipv4 = z.ipv4();
const aeTitle = z.string().regex(/^[A-Z0-9_ -]{1,16}$/, 'a DICOM AE title: 1–16 upper-case letters, digits, _ or -');
const hl7Name = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/);
const seconds = z.number().nonnegative().max(86_400);

const device = z.strictObject({
  name,
  type: z.enum(DEVICE_TYPES),
  role: z.string().min(1).max(80),
  zone: z.enum(['hospital', 'outside']).default('hospital'),
  ip: ipv4,
  mac: z
    .string()
    .regex(/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/)
    .optional(),
  hostname: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
  /** Extra DNS names (hospital: aliases in the hospital's DNS; outside: names the outside DNS answers). */
  names: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{0,250}$/)).default([]),
  services: z.array(z.enum(SERVICE_KINDS)).default([]),
  dicom: z.strictObject({ aeTitle }).optional(),
  hl7: z.strictObject({ application: hl7Name, facility: hl7Name }).optional(),
  dhcp: z
    .strictObject({
      vendorClass: z.string().min(1).max(60),
      /** DHCP option 55 request list, as udhcpc `-O` names or numbers. */
      request: z.array(z.string().regex(/^[a-z0-9]{1,20}$/)).default([]),
    })
    .optional(),
  userAgent: z.string().min(1).max(200).optional(),
});

const timing = {
  /** One-shot: seconds from the start (jittered), or the first of `count` at a fixed `interval`. */
  at: seconds.optional(),
  interval: z.number().positive().max(86_400).optional(),
  count: z.number().int().positive().max(10_000).optional(),
  /** Recurring: mean seconds between occurrences, shaped by the device's daily rhythm. */
  every: z.number().positive().max(86_400).optional(),
  rhythm: z.enum(['day', 'night', 'constant']).optional(),
  start: seconds.optional(),
  end: seconds.optional(),
};

const step = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ kind: z.literal(kind), from: name, ...timing, ...shape });

const dicomFile = z.string().regex(/^[A-Za-z0-9_.+-]+\.dcm$/, 'a file name from pydicom test_files');
const hl7File = z.string().regex(/^[A-Za-z0-9_./-]+\.(?:hl7|txt)$/);

const stepSchema = z.discriminatedUnion('kind', [
  step('dhcp-lease', {}),
  step('dns-lookup', { names: z.array(z.string().min(1)).min(1) }),
  step('dicom-echo', { to: name }),
  step('dicom-store', { to: name, files: z.array(dicomFile).min(1) }),
  step('dicom-find', { to: name, level: z.enum(['PATIENT', 'STUDY']).default('STUDY') }),
  step('hl7-send', { to: name, messages: z.array(hl7File).min(1) }),
  step('fhir-get', { to: name, paths: z.array(z.string().regex(/^\/[A-Za-z0-9/_?=&.:-]*$/)).min(1) }),
  step('smb-session', { to: name, share: name.default('clinical') }),
  step('ssh-admin', { to: name, command: z.string().min(1).max(200).default('uptime') }),
  step('ping-sweep', { target: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/) }),
  step('port-scan', {
    target: z.string().regex(/^\d+\.\d+\.\d+\.\d+(?:\/\d+)?$/),
    ports: z
      .string()
      .regex(/^[0-9,-]+$/)
      .default('21,22,23,80,104,135,139,443,445,2575,3389,8080,11112'),
  }),
  step('ssh-brute-force', {
    to: name,
    user: z.string().default('root'),
    attempts: z.number().int().min(1).max(500).default(30),
  }),
  step('smb-ransomware', {
    to: name,
    share: name.default('clinical'),
    extension: z
      .string()
      .regex(/^[a-z0-9]{1,12}$/)
      .default('wardlocked'),
  }),
  step('smb-lateral', { to: name, share: name.default('clinical') }),
  step('dicom-harvest', { to: name, aeTitle, queries: z.number().int().min(1).max(500).default(26) }),
  step('dicom-rogue-store', { to: name, aeTitle, files: z.array(dicomFile).min(1) }),
  step('hl7-inject', { to: name, application: hl7Name, facility: hl7Name, messages: z.array(hl7File).min(1) }),
  step('exfiltrate', { to: name, megabytes: z.number().positive().max(500).default(5) }),
  step('beacon-https', {
    domain: z.string().min(1),
    path: z
      .string()
      .regex(/^\/\S*$/)
      .default('/api/v2/ping'),
  }),
  step('beacon-dns', { domain: z.string().min(1) }),
]);

const scenarioSchema = z.strictObject({
  name,
  description: z.string().min(1),
  /** Seconds of timeline; the run lasts this long plus setup and teardown. */
  durationSeconds: z.number().positive().max(86_400),
  /** Seconds that stand for one day of the hospital's rhythm (default: the duration). */
  dayLengthSeconds: z.number().positive().max(86_400).optional(),
  /** The hour of the day the timeline starts at (0–23). */
  startHour: z.number().int().min(0).max(23).default(7),
  /** One-shot steps move by up to ± this many seconds (seeded). */
  jitterSeconds: z.number().nonnegative().max(3_600).default(2),
  seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  devices: z.array(device).min(1),
  steps: z.array(stepSchema).min(1),
});

export type DeviceSpec = z.infer<typeof device>;
export type StepSpec = z.infer<typeof stepSchema>;
type ScenarioBody = z.infer<typeof scenarioSchema>;

export interface Scenario extends ScenarioBody {
  readonly file: string;
  /** The line of each step (same order as `steps`). */
  readonly stepLines: readonly number[];
  readonly deviceLines: readonly number[];
}

/** The service a step's `to` device must offer. */
export const TARGET_SERVICE: Partial<Record<StepKind, ServiceKind>> = {
  'dicom-echo': 'pacs',
  'dicom-store': 'pacs',
  'dicom-find': 'pacs',
  'hl7-send': 'hl7-engine',
  'fhir-get': 'fhir-server',
  'smb-session': 'file-server',
  'ssh-admin': 'ssh-server',
  'ssh-brute-force': 'ssh-server',
  'smb-ransomware': 'file-server',
  'smb-lateral': 'file-server',
  'dicom-harvest': 'pacs',
  'dicom-rogue-store': 'pacs',
  'hl7-inject': 'hl7-engine',
  exfiltrate: 'web-sink',
};

export function isAttack(kind: StepKind): kind is AttackKind {
  return (ATTACK_KINDS as readonly string[]).includes(kind);
}

function invalid(file: string, at: Position, field: string, message: string): LabError {
  return new LabError('LAB_SCENARIO_INVALID', `${file}:${String(at.line)}: ${field}: ${message}`, {
    details: { file, line: at.line, column: at.column, field },
  });
}

/** Parses and validates scenario text; every error names the line of the field at fault. */
export function parseScenario(text: string, file: string): Scenario {
  const { value, positions } = parseJsonWithPositions(text, file);
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    throw invalid(
      file,
      positionOf(positions, path),
      path.map(String).join('.') || '(root)',
      issue?.message ?? 'invalid',
    );
  }
  const body = parsed.data;
  const lineOf = (...path: PropertyKey[]): Position => positionOf(positions, path);
  const byName = new Map<string, DeviceSpec>();
  const seenIp = new Set<string>();
  const seenMac = new Set<string>();
  body.devices.forEach((d, index) => {
    const at = lineOf('devices', index);
    if (byName.has(d.name)) throw invalid(file, at, `devices.${String(index)}.name`, `duplicate device ${d.name}`);
    byName.set(d.name, d);
    if (seenIp.has(d.ip)) throw invalid(file, at, `devices.${String(index)}.ip`, `duplicate address ${d.ip}`);
    seenIp.add(d.ip);
    if (d.mac !== undefined) {
      if (seenMac.has(d.mac)) throw invalid(file, at, `devices.${String(index)}.mac`, `duplicate MAC ${d.mac}`);
      seenMac.add(d.mac);
    }
    const prefix = d.zone === 'hospital' ? HOSPITAL_PREFIX : OUTSIDE_PREFIX;
    if (!d.ip.startsWith(prefix) || d.ip.endsWith('.0') || d.ip.endsWith('.255'))
      throw invalid(file, at, `devices.${String(index)}.ip`, `${d.zone} devices live in ${prefix}0.0/…, not ${d.ip}`);
    if (d.services.includes('router') && (d.zone !== 'hospital' || !d.ip.endsWith('.0.1')))
      throw invalid(file, at, `devices.${String(index)}.services`, 'the router is the hospital device 10.77.0.1');
  });
  const servers = (service: ServiceKind): DeviceSpec[] => body.devices.filter((d) => d.services.includes(service));
  if (servers('dns-dhcp').length > 1 || servers('router').length > 1 || servers('dns-authority').length > 1)
    throw invalid(file, lineOf('devices'), 'devices', 'at most one dns-dhcp, one router and one dns-authority');
  if (body.devices.some((d) => d.zone === 'outside') && servers('router').length === 0)
    throw invalid(file, lineOf('devices'), 'devices', 'outside devices need a router (10.77.0.1)');

  body.steps.forEach((s, index) => {
    const field = (f: string): string => `steps.${String(index)}.${f}`;
    const from = byName.get(s.from);
    if (from === undefined) throw invalid(file, lineOf('steps', index, 'from'), field('from'), `no device ${s.from}`);
    if ((s.at === undefined) === (s.every === undefined))
      throw invalid(file, lineOf('steps', index), field('at'), 'give either at (one-shot or periodic) or every');
    if ((s.interval === undefined) !== (s.count === undefined) || (s.interval !== undefined && s.at === undefined))
      throw invalid(file, lineOf('steps', index), field('interval'), 'interval and count go together, with at');
    if ('to' in s) {
      const to = byName.get(s.to);
      if (to === undefined) throw invalid(file, lineOf('steps', index, 'to'), field('to'), `no device ${s.to}`);
      const needed = TARGET_SERVICE[s.kind];
      if (needed !== undefined && !to.services.includes(needed))
        throw invalid(file, lineOf('steps', index, 'to'), field('to'), `${s.to} does not run ${needed}`);
    }
    const needsAe = s.kind === 'dicom-echo' || s.kind === 'dicom-store' || s.kind === 'dicom-find';
    if (needsAe && from.dicom === undefined)
      throw invalid(file, lineOf('steps', index, 'from'), field('from'), `${s.from} has no dicom.aeTitle`);
    if (s.kind === 'hl7-send' && from.hl7 === undefined)
      throw invalid(file, lineOf('steps', index, 'from'), field('from'), `${s.from} has no hl7 application`);
    if (s.kind === 'dhcp-lease' && from.dhcp === undefined)
      throw invalid(file, lineOf('steps', index, 'from'), field('from'), `${s.from} has no dhcp settings`);
    const needsDns = s.kind === 'dhcp-lease' || s.kind === 'dns-lookup' || s.kind.startsWith('beacon-');
    if (needsDns && servers('dns-dhcp').length === 0)
      throw invalid(file, lineOf('steps', index, 'kind'), field('kind'), 'needs a dns-dhcp device');
    if (s.kind.startsWith('beacon-') && servers('dns-authority').length === 0)
      throw invalid(file, lineOf('steps', index, 'kind'), field('kind'), 'needs a dns-authority device outside');
    if (
      s.kind === 'beacon-https' &&
      !body.devices.some((d) => d.names.includes(s.domain) && d.services.includes('web-sink'))
    )
      throw invalid(file, lineOf('steps', index, 'domain'), field('domain'), `no web-sink device answers ${s.domain}`);
  });
  return {
    ...body,
    file,
    stepLines: body.steps.map((_, index) => lineOf('steps', index).line),
    deviceLines: body.devices.map((_, index) => lineOf('devices', index).line),
  };
}

/** Reads and validates a scenario file. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new LabError('LAB_SCENARIO_NOT_FOUND', `cannot read scenario ${file}`, { cause, details: { file } });
  }
  return parseScenario(text, file);
}
