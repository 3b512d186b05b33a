/**
 * @module test/support/dcmtk-capture
 * Produces real DICOM traffic for tests: Debian's dcmtk `storescp` (the PACS) and `echoscu`,
 * `storescu` (the modality) talk over loopback while `tcpdump` records the session to a pcap.
 * Needs root (tcpdump on `lo`), dcmtk and tcpdump; `dcmtkCaptureUnavailable()` says why not.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exited, waitForPort, waitForStderr } from './processes.js';
import { haveTool } from './tshark.js';

export interface DcmtkSessionOptions {
  /** Directory for the pcap and the files storescp receives. */
  readonly dir: string;
  readonly pacsAe: string;
  readonly modalityAe: string;
  /** DICOM files the modality sends with C-STORE (one association). */
  readonly files: readonly string[];
  /** Send a C-ECHO (Verification) first, on its own association. Default true. */
  readonly echo?: boolean;
  /** TCP port of the PACS; a free one is chosen when absent. */
  readonly port?: number;
}

export interface DcmtkSession {
  readonly pcap: string;
  readonly port: number;
  readonly pacsAe: string;
  readonly modalityAe: string;
  readonly files: readonly string[];
  /** How many files storescp wrote (proof the transfer happened). */
  readonly received: number;
}

/** Where Debian's python3-pydicom keeps its real test files, if installed. */
export function pydicomTestFiles(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const dir = execFileSync(
        python,
        ['-c', 'import pydicom.data, os; print(os.path.dirname(pydicom.data.__file__))'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      ).trim();
      const files = join(dir, 'test_files');
      if (existsSync(files)) return files;
    } catch {
      // try the next interpreter
    }
  }
  const debian = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
  return existsSync(debian) ? debian : undefined;
}

/** Why a dcmtk capture cannot be made here, or undefined when it can. */
export function dcmtkCaptureUnavailable(): string | undefined {
  for (const tool of ['storescp', 'storescu', 'echoscu', 'tcpdump', 'tshark'])
    if (!haveTool(tool)) return `${tool} not installed`;
  if (process.getuid?.() !== 0) return 'not root (tcpdump on lo needs it)';
  if (pydicomTestFiles() === undefined) return 'python3-pydicom test files not installed';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function run(command: string, args: readonly string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await exited(child);
  if (code !== 0) throw new Error(`${command} exited ${String(code)}: ${err}`);
}

/**
 * Records one modality → PACS session: an optional C-ECHO association, then one association storing
 * `files`. Resolves once tcpdump has flushed and exited.
 */
export async function recordDcmtkSession(options: DcmtkSessionOptions): Promise<DcmtkSession> {
  const port = options.port ?? (await freePort());
  const pcap = join(options.dir, `dcmtk-${String(port)}.pcap`);
  const store = join(options.dir, 'received');
  mkdirSync(store, { recursive: true });
  const tcpdump = spawn(
    'tcpdump',
    ['-i', 'lo', '--immediate-mode', '-U', '-n', '-s', '0', '-w', pcap, 'tcp port', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let storescp: ChildProcess | undefined;
  let tcpdumpLog = '';
  tcpdump.stderr.on('data', (c: Buffer) => (tcpdumpLog += c.toString()));
  try {
    await waitForStderr(tcpdump, 'listening on', 10_000);
    // +xa: accept every transfer syntax dcmtk supports (compressed pixel data too)
    storescp = spawn('storescp', ['+xa', '-aet', options.pacsAe, '-od', store, String(port)], { stdio: 'ignore' });
    await waitForPort(port, 10_000);
    if (options.echo ?? true)
      await run('echoscu', ['-aet', options.modalityAe, '-aec', options.pacsAe, '127.0.0.1', String(port)]);
    if (options.files.length > 0)
      await run('storescu', [
        '-aet',
        options.modalityAe,
        '-aec',
        options.pacsAe,
        '127.0.0.1',
        String(port),
        ...options.files,
      ]);
  } finally {
    if (storescp !== undefined) {
      storescp.kill('SIGTERM');
      await exited(storescp);
    }
    // let the last packets reach the capture before stopping it
    await new Promise((r) => setTimeout(r, 200));
    tcpdump.kill('SIGINT');
    await exited(tcpdump);
  }
  if (!/\b[1-9]\d* packets? captured/.test(tcpdumpLog)) throw new Error(`tcpdump captured nothing: ${tcpdumpLog}`);
  return {
    pcap,
    port,
    pacsAe: options.pacsAe,
    modalityAe: options.modalityAe,
    files: options.files,
    received: readdirSync(store).length,
  };
}
