/**
 * @module test/support/dicom-site
 * A small imaging department in network namespaces, for tests that need DICOM between distinct
 * hosts with real MAC addresses: a PACS (dcmtk `storescp`) on a bridge, and one namespace per
 * modality (dcmtk `storescu`/`echoscu`) joined to it by a veth pair. tcpdump records the bridge.
 * (wire-app's `dcmtk-capture.ts` runs on loopback, where every peer is 127.0.0.1 and has no MAC.)
 * Needs root, iproute2, dcmtk, tcpdump and python3-pydicom's test files.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Modality {
  readonly aeTitle: string;
  readonly files: readonly string[];
}

export interface DicomSite {
  readonly pcap: string;
  readonly pacsIp: string;
  readonly pacsAe: string;
  /** Modality IPs, in the order given. */
  readonly modalityIps: readonly string[];
  readonly received: number;
}

function have(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the site cannot be built here, or undefined when it can. */
export function dicomSiteUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (network namespaces and tcpdump need it)';
  for (const tool of ['ip', 'tcpdump', 'storescp', 'storescu', 'echoscu', 'dcmdump'])
    if (!have(tool)) return `${tool} not installed`;
  return undefined;
}

function sh(args: readonly string[]): void {
  execFileSync(args[0] ?? '', args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('close', resolve);
  });
}

async function until(child: ChildProcess, text: string, ms: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${text}: ${seen}`));
    }, ms);
    child.stderr?.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function run(args: readonly string[]): Promise<void> {
  const child = spawn(args[0] ?? '', args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${String(code)}: ${err}`);
}

async function waitForPort(ns: string, ip: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('ip', ['netns', 'exec', ns, 'bash', '-c', `exec 3<>/dev/tcp/${ip}/${String(port)}`], {
        stdio: 'ignore',
        shell: false,
      });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`storescp never listened on ${ip}:${String(port)}`);
}

/** Builds the site, records each modality's C-ECHO and C-STOREs, tears the site down. */
export async function recordDicomSite(
  dir: string,
  pacsAe: string,
  modalities: readonly Modality[],
): Promise<DicomSite> {
  const id = randomBytes(3).toString('hex');
  const pacsNs = `ward-pacs-${id}`;
  const pacsIp = '10.77.0.1';
  const port = 104;
  const pcap = join(dir, `dicom-site-${id}.pcap`);
  const received = join(dir, `received-${id}`);
  mkdirSync(received, { recursive: true });
  const namespaces = [pacsNs];
  const modalityIps = modalities.map((_, i) => `10.77.0.${String(11 + i)}`);
  let tcpdump: ChildProcess | undefined;
  let storescp: ChildProcess | undefined;
  let tcpdumpLog = '';
  try {
    sh(['ip', 'netns', 'add', pacsNs]);
    sh(['ip', '-n', pacsNs, 'link', 'set', 'lo', 'up']);
    sh(['ip', '-n', pacsNs, 'link', 'add', 'br0', 'type', 'bridge']);
    sh(['ip', '-n', pacsNs, 'addr', 'add', `${pacsIp}/24`, 'dev', 'br0']);
    sh(['ip', '-n', pacsNs, 'link', 'set', 'br0', 'up']);
    modalities.forEach((_, i) => {
      const ns = `ward-mod${String(i)}-${id}`;
      namespaces.push(ns);
      sh(['ip', 'netns', 'add', ns]);
      sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      sh(['ip', '-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${String(i)}`, 'netns', pacsNs]);
      sh(['ip', '-n', ns, 'addr', 'add', `${modalityIps[i] ?? ''}/24`, 'dev', 'eth0']);
      sh(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
      sh(['ip', '-n', pacsNs, 'link', 'set', `p${String(i)}`, 'master', 'br0']);
      sh(['ip', '-n', pacsNs, 'link', 'set', `p${String(i)}`, 'up']);
    });
    tcpdump = spawn(
      'ip',
      ['netns', 'exec', pacsNs, 'tcpdump', '-i', 'br0', '--immediate-mode', '-U', '-n', '-s', '0', '-w', pcap],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    tcpdump.stderr?.on('data', (c: Buffer) => (tcpdumpLog += c.toString()));
    await until(tcpdump, 'listening on', 10_000);
    storescp = spawn('ip', ['netns', 'exec', pacsNs, 'storescp', '-aet', pacsAe, '-od', received, String(port)], {
      stdio: 'ignore',
    });
    await waitForPort(pacsNs, pacsIp, port);
    for (const [i, m] of modalities.entries()) {
      const ns = `ward-mod${String(i)}-${id}`;
      await run(['ip', 'netns', 'exec', ns, 'echoscu', '-aet', m.aeTitle, '-aec', pacsAe, pacsIp, String(port)]);
      await run([
        'ip',
        'netns',
        'exec',
        ns,
        'storescu',
        '-aet',
        m.aeTitle,
        '-aec',
        pacsAe,
        pacsIp,
        String(port),
        ...m.files,
      ]);
    }
  } finally {
    if (storescp !== undefined) {
      storescp.kill('SIGTERM');
      await exited(storescp);
    }
    await new Promise((r) => setTimeout(r, 300));
    if (tcpdump !== undefined) {
      tcpdump.kill('SIGINT');
      await exited(tcpdump);
    }
    for (const ns of namespaces) {
      try {
        sh(['ip', 'netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
  }
  if (!/\b[1-9]\d* packets? captured/.test(tcpdumpLog)) throw new Error(`tcpdump captured nothing: ${tcpdumpLog}`);
  return { pcap, pacsIp, pacsAe, modalityIps, received: readdirSync(received).length };
}
