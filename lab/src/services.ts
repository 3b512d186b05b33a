/**
 * @module services
 * Starts the services of each device inside its namespace, each a real program with a config the
 * lab writes: dnsmasq (DHCP and DNS, inside and outside), dcmtk dcmqrscp (PACS), an @medplum/hl7
 * MLLP server (interface engine), a FHIR R4 HTTP service, samba smbd, openssh sshd and an HTTPS sink
 * outside. A service is up when its port listens; one that exits or never listens aborts the run
 * with its log.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { serverOf, type LabContext } from './context.js';
import { LabError } from './errors.js';
import { inNamespace, runSync, sleep, tailOf } from './processes.js';
import type { ServiceKind } from './scenario.js';
import { HOSPITAL_DOMAIN, type LabDevice } from './topology.js';

export const PORTS = {
  dns: 53,
  dicom: 104,
  hl7: 2575,
  fhir: 8080,
  smb: 445,
  ssh: 22,
  https: 443,
} as const;

/** Files seeded on every file server's share. */
export const SHARE_FILES = Array.from({ length: 60 }, (_, k) => {
  const kinds = ['discharge-summary', 'rota', 'referral', 'lab-request', 'budget', 'minutes'] as const;
  const ext = ['docx', 'xlsx', 'pdf', 'docx', 'xlsx', 'docx'] as const;
  return `${kinds[k % kinds.length] ?? 'file'}-${String(k + 1).padStart(4, '0')}.${ext[k % ext.length] ?? 'bin'}`;
});

function logFile(context: LabContext, device: LabDevice, what: string): string {
  return join(context.logDir, `${device.name}.${what}.log`);
}

async function waitListening(
  context: LabContext,
  device: LabDevice,
  service: ServiceKind,
  child: ChildProcess,
  proto: 'tcp' | 'udp',
  port: number,
  log: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    let out = '';
    try {
      out = runSync(inNamespace(device.ns, ['ss', '-Hln', proto === 'tcp' ? '-t' : '-u', `sport = :${String(port)}`]));
    } catch {
      out = '';
    }
    if (out.trim() !== '') return;
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  await sleep(100);
  throw new LabError('LAB_SERVICE_FAILED', `${service} on ${device.name} did not start; its log:\n${tailOf(log)}`, {
    details: { device: device.name, service, log, exitCode: child.exitCode },
  });
}

function startDnsDhcp(context: LabContext, device: LabDevice): Promise<void> {
  const dir = join(context.runDir, device.name);
  mkdirSync(dir, { recursive: true });
  const hospital = context.topology.devices.filter((d) => d.zone === 'hospital');
  const hosts = hospital.flatMap((d) => [
    ...(d.dhcp === undefined ? [`${d.ip} ${d.hostname}`] : []),
    ...d.names.map((n) => `${d.ip} ${n}`),
  ]);
  writeFileSync(join(dir, 'hosts'), `${hosts.join('\n')}\n`);
  const router = serverOf(context, 'router');
  const authority = serverOf(context, 'dns-authority');
  const conf = [
    'no-resolv',
    'no-hosts',
    'interface=eth0',
    'bind-interfaces',
    `domain=${HOSPITAL_DOMAIN}`,
    `local=/${HOSPITAL_DOMAIN}/`,
    'expand-hosts',
    `addn-hosts=${join(dir, 'hosts')}`,
    'dhcp-range=10.77.0.0,static,255.255.0.0,1h',
    'dhcp-authoritative',
    `dhcp-leasefile=${join(dir, 'leases')}`,
    `dhcp-option=option:dns-server,${device.ip}`,
    `dhcp-option=option:domain-name,${HOSPITAL_DOMAIN}`,
    ...(router === undefined ? [] : [`dhcp-option=option:router,${router.ip}`]),
    ...(authority === undefined ? [] : [`server=${authority.ip}`]),
    ...hospital.flatMap((d) => (d.dhcp === undefined ? [] : [`dhcp-host=${d.mac},${d.ip},${d.hostname}`])),
    'log-queries',
    'log-dhcp',
    'user=root',
  ];
  return startDnsmasq(context, device, 'dns-dhcp', dir, conf);
}

function startDnsAuthority(context: LabContext, device: LabDevice): Promise<void> {
  const dir = join(context.runDir, device.name);
  mkdirSync(dir, { recursive: true });
  const outside = context.topology.devices.filter((d) => d.zone === 'outside');
  const conf = [
    'no-resolv',
    'no-hosts',
    'interface=eth0',
    'bind-interfaces',
    ...outside.flatMap((d) => d.names.map((n) => `address=/${n}/${d.ip}`)),
    'log-queries',
    'user=root',
  ];
  return startDnsmasq(context, device, 'dns-authority', dir, conf);
}

async function startDnsmasq(
  context: LabContext,
  device: LabDevice,
  service: ServiceKind,
  dir: string,
  conf: readonly string[],
): Promise<void> {
  const file = join(dir, `${service}.conf`);
  writeFileSync(file, `${conf.join('\n')}\n`);
  const log = logFile(context, device, service);
  const child = context.procs.spawn(
    inNamespace(device.ns, [
      'dnsmasq',
      '-k',
      `--conf-file=${file}`,
      `--pid-file=${join(dir, `${service}.pid`)}`,
      '--log-facility=-',
    ]),
    { log },
  );
  await waitListening(context, device, service, child, 'udp', PORTS.dns, log);
}

async function startPacs(context: LabContext, device: LabDevice): Promise<void> {
  const ae = device.dicom?.aeTitle ?? 'PACS';
  const dir = join(context.runDir, device.name);
  const store = join(dir, 'db', ae);
  mkdirSync(store, { recursive: true });
  const conf = [
    `NetworkTCPPort  = ${String(PORTS.dicom)}`,
    'MaxPDUSize      = 16384',
    'MaxAssociations = 32',
    'HostTable BEGIN',
    'HostTable END',
    'VendorTable BEGIN',
    'VendorTable END',
    'AETable BEGIN',
    `${ae}  ${store}  RW (500, 1024mb)  ANY`,
    'AETable END',
  ];
  const file = join(dir, 'dcmqrscp.cfg');
  writeFileSync(file, `${conf.join('\n')}\n`);
  const log = logFile(context, device, 'pacs');
  // Fork mode: dcmtk 3.6.7's single-process mode crashes after the first association.
  const child = context.procs.spawn(inNamespace(device.ns, ['dcmqrscp', '-c', file, '--log-level', 'warn']), { log });
  await waitListening(context, device, 'pacs', child, 'tcp', PORTS.dicom, log);
  // Seed the archive over loopback (not captured), so that queries have studies to find.
  await context.procs.run(
    inNamespace(device.ns, [
      'storescu',
      '-aet',
      'ARCHIVE_SEED',
      '-aec',
      ae,
      '127.0.0.1',
      String(PORTS.dicom),
      join(context.paths.dicomDir, 'CT_small.dcm'),
      join(context.paths.dicomDir, 'MR_small.dcm'),
      join(context.paths.dicomDir, 'rtplan.dcm'),
    ]),
    { log, timeoutMs: 20_000 },
  );
}

async function startNodeAgent(
  context: LabContext,
  device: LabDevice,
  service: ServiceKind,
  agent: string,
  args: readonly string[],
  port: number,
): Promise<void> {
  const log = logFile(context, device, service);
  const child = context.procs.spawn(
    inNamespace(device.ns, [context.paths.node, join(context.paths.agentsDir, agent), ...args]),
    {
      log,
    },
  );
  await waitListening(context, device, service, child, 'tcp', port, log);
}

async function startFileServer(context: LabContext, device: LabDevice): Promise<void> {
  const dir = join(context.runDir, device.name, 'smb');
  const share = join(dir, 'clinical');
  for (const sub of ['private', 'lock', 'state', 'cache', 'pid', 'ncalrpc'])
    mkdirSync(join(dir, sub), { recursive: true });
  mkdirSync(share, { recursive: true });
  for (const file of SHARE_FILES) writeFileSync(join(share, file), randomBytes(4096 + (file.length % 7) * 2048));
  const netbios = device.hostname.toUpperCase().replaceAll('-', '').slice(0, 15);
  const conf = [
    '[global]',
    'server role = standalone server',
    'workgroup = HOSPITAL',
    `netbios name = ${netbios}`,
    'server string = Clinical file server',
    'map to guest = Bad User',
    'guest account = nobody',
    'disable netbios = yes',
    `smb ports = ${String(PORTS.smb)}`,
    `private dir = ${join(dir, 'private')}`,
    `lock directory = ${join(dir, 'lock')}`,
    `state directory = ${join(dir, 'state')}`,
    `cache directory = ${join(dir, 'cache')}`,
    `pid directory = ${join(dir, 'pid')}`,
    `ncalrpc dir = ${join(dir, 'ncalrpc')}`,
    `passdb backend = tdbsam:${join(dir, 'private', 'passdb.tdb')}`,
    'log level = 1',
    'load printers = no',
    'printing = bsd',
    'printcap name = /dev/null',
    'disable spoolss = yes',
    'server min protocol = SMB2',
    '[clinical]',
    `path = ${share}`,
    'guest ok = yes',
    'read only = no',
    'force user = root',
  ];
  const file = join(dir, 'smb.conf');
  writeFileSync(file, `${conf.join('\n')}\n`);
  const log = logFile(context, device, 'file-server');
  const child = context.procs.spawn(
    inNamespace(device.ns, ['smbd', '--foreground', '--no-process-group', '--debug-stdout', `--configfile=${file}`]),
    { log },
  );
  await waitListening(context, device, 'file-server', child, 'tcp', PORTS.smb, log);
}

/** The admin key pair the SSH administration uses (made once per run). */
export function adminKeyOf(context: LabContext): string {
  return join(context.runDir, 'ssh', 'admin');
}

async function startSsh(context: LabContext, device: LabDevice): Promise<void> {
  const dir = join(context.runDir, device.name, 'ssh');
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation directory
  runSync(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', device.hostname, '-f', join(dir, 'host_ed25519')]);
  const conf = [
    `Port ${String(PORTS.ssh)}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    `AuthorizedKeysFile ${adminKeyOf(context)}.pub`,
    'StrictModes no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PrintMotd no',
    'MaxStartups 100:30:200',
  ];
  const file = join(dir, 'sshd_config');
  writeFileSync(file, `${conf.join('\n')}\n`);
  const log = logFile(context, device, 'ssh-server');
  const child = context.procs.spawn(inNamespace(device.ns, ['/usr/sbin/sshd', '-D', '-e', '-f', file]), { log });
  await waitListening(context, device, 'ssh-server', child, 'tcp', PORTS.ssh, log);
}

async function startWebSink(context: LabContext, device: LabDevice): Promise<void> {
  const dir = join(context.runDir, device.name);
  mkdirSync(dir, { recursive: true });
  const cn = device.names[0] ?? device.hostname;
  const san = [...device.names, device.hostname].map((n) => `DNS:${n}`).join(',');
  runSync([
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '30',
    '-subj',
    `/CN=${cn}`,
    '-addext',
    `subjectAltName=${san}`,
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  await startNodeAgent(
    context,
    device,
    'web-sink',
    'web-sink.mjs',
    [String(PORTS.https), join(dir, 'cert.pem'), join(dir, 'key.pem')],
    PORTS.https,
  );
}

/** Starts one service of a device. */
export async function startService(context: LabContext, device: LabDevice, service: ServiceKind): Promise<void> {
  switch (service) {
    case 'dns-dhcp':
      return startDnsDhcp(context, device);
    case 'dns-authority':
      return startDnsAuthority(context, device);
    case 'pacs':
      return startPacs(context, device);
    case 'hl7-engine':
      return startNodeAgent(context, device, service, 'hl7-engine.mjs', [String(PORTS.hl7)], PORTS.hl7);
    case 'fhir-server':
      return startNodeAgent(
        context,
        device,
        service,
        'fhir-server.mjs',
        [String(PORTS.fhir), ...context.paths.fhirDirs],
        PORTS.fhir,
      );
    case 'file-server':
      return startFileServer(context, device);
    case 'ssh-server':
      return startSsh(context, device);
    case 'web-sink':
      return startWebSink(context, device);
    case 'router':
      return Promise.resolve(); // forwarding is switched on with the topology
  }
}

/** Starts every service of every device, servers of names and addresses first. */
export async function startServices(context: LabContext): Promise<void> {
  mkdirSync(join(context.runDir, 'ssh'), { recursive: true });
  runSync(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'lab-admin', '-f', adminKeyOf(context)]);
  const order: ServiceKind[] = [
    'router',
    'dns-authority',
    'dns-dhcp',
    'pacs',
    'hl7-engine',
    'fhir-server',
    'file-server',
    'ssh-server',
    'web-sink',
  ];
  for (const service of order) {
    for (const device of context.topology.devices) {
      if (device.services.includes(service)) await startService(context, device, service);
    }
  }
}
