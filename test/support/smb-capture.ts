/**
 * @module test/support/smb-capture
 * Produces real SMB2/3 traffic for tests: Debian's Samba `smbd` serving a guest share on a loopback
 * port, Samba's `smbclient` running commands against it, `tcpdump` recording the session. Needs
 * root, samba, smbclient and tcpdump; `smbCaptureUnavailable()` says why not.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, waitForPort, waitForStderr } from './processes.js';
import { haveTool } from './tshark.js';

export interface SmbSession {
  readonly pcap: string;
  readonly port: number;
  readonly share: string;
}

export function smbCaptureUnavailable(): string | undefined {
  for (const tool of ['smbd', 'smbclient', 'tcpdump', 'tshark']) if (!haveTool(tool)) return `${tool} not installed`;
  if (process.getuid?.() !== 0) return 'not root (smbd and tcpdump on lo need it)';
  return undefined;
}

/** SIGTERM to the process group we started, SIGKILL after 3 s if it is still there. */
async function stopGroup(child: ChildProcess, pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => {
    signal('SIGKILL');
  }, 3000);
  await exited(child);
  clearTimeout(timer);
  signal('SIGKILL'); // forked helpers that outlived the parent
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Serves `dir/share` on `port` and runs `commands` (an smbclient `-c` script, run from `dir`)
 * against it while tcpdump records. Resolves once tcpdump has flushed and exited.
 */
export async function recordSmbSession(options: {
  readonly dir: string;
  readonly port: number;
  readonly commands: string;
  readonly files?: Readonly<Record<string, string>>;
}): Promise<SmbSession> {
  const { dir, port } = options;
  for (const d of ['share', 'run', 'lock', 'state', 'cache', 'private', 'ncalrpc'])
    mkdirSync(join(dir, d), { recursive: true });
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  const conf = join(dir, 'smb.conf');
  writeFileSync(
    conf,
    [
      '[global]',
      `smb ports = ${String(port)}`,
      'bind interfaces only = yes',
      'interfaces = lo',
      ...['pid directory', 'lock directory', 'state directory', 'cache directory'].map(
        (k) => `${k} = ${join(dir, k.split(' ')[0] ?? '')}`,
      ),
      `private dir = ${join(dir, 'private')}`,
      `ncalrpc dir = ${join(dir, 'ncalrpc')}`,
      `log file = ${join(dir, 'log.%m')}`,
      'map to guest = Bad User',
      'server role = standalone server',
      'disable netbios = yes',
      'load printers = no',
      'printcap name = /dev/null',
      '[share]',
      `path = ${join(dir, 'share')}`,
      'guest ok = yes',
      'read only = no',
      'force user = root',
      '',
    ].join('\n'),
  );
  const pcap = join(dir, `smb-${String(port)}.pcap`);
  const tcpdump = spawn(
    'tcpdump',
    ['-i', 'lo', '--immediate-mode', '-U', '-n', '-s', '0', '-w', pcap, 'tcp port', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  tcpdump.stderr.on('data', (c: Buffer) => (log += c.toString()));
  let smbd: ChildProcess | undefined;
  try {
    await waitForStderr(tcpdump, 'listening on', 10_000);
    // its own process group, so that it and the helpers it forks can be stopped together
    smbd = spawn('smbd', ['-F', '--no-process-group', '-s', conf, '--debug-stdout'], {
      stdio: 'ignore',
      detached: true,
    });
    await waitForPort(port, 15_000);
    const client = spawn('smbclient', [`//127.0.0.1/share`, '-p', String(port), '-N', '-c', options.commands], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let clientLog = '';
    client.stderr.on('data', (c: Buffer) => (clientLog += c.toString()));
    const timer = setTimeout(() => client.kill('SIGKILL'), 30_000);
    const code = await exited(client);
    clearTimeout(timer);
    if (code !== 0) throw new Error(`smbclient exited ${String(code)}: ${clientLog}`);
  } finally {
    if (smbd?.pid !== undefined) await stopGroup(smbd, smbd.pid);
    await sleep(200);
    tcpdump.kill('SIGINT');
    await exited(tcpdump);
  }
  return { pcap, port, share: '\\\\127.0.0.1\\share' };
}
