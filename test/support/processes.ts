/**
 * @module test/support/processes
 * Waiting on the real programs the capture tests start (tcpdump, dcmtk, Samba): their exit, a line
 * on their standard error, a port that opens.
 */
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Resolves with the exit code once `child` has exited (at once if it already has). */
export async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
}

/** Resolves when `text` appears on the child's standard error; rejects on timeout or exit first. */
export async function waitForStderr(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for "${text}" (got: ${seen})`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before "${text}": ${seen}`));
    });
  });
}

/** Resolves when 127.0.0.1:`port` accepts a connection; throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${String(port)} never opened`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
