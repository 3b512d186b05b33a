/**
 * @module test/support/captures
 * Lists the capture files under a folder of ../shared/data, for tests that read every one.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every pcap/pcapng capture (optionally .gz) under `dir`, sorted. */
export function capturesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...capturesUnder(path));
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/i.test(name)) out.push(path);
  }
  return out.sort();
}
