/**
 * @module feed-sources
 * Which feeds `ward feeds sync` and the `feeds.sync` job fetch: the defaults (NVD, KEV, EPSS,
 * CISA's CSAF provider) or a sources file `{"sources": [{kind, name, url}]}`, checked strictly;
 * `selectSources` picks some by name, a URL or domain not among them being a CSAF provider.
 */
import { readFileSync } from 'node:fs';
import { IntelMatchError } from '@ward/intel';
import { z } from 'zod';
import type { SyncSource } from './feeds-sync.js';

const name = z.string().min(1);
const sourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('nvd'),
    name,
    url: z.url(),
    pageSize: z.number().int().min(1).max(2000).optional(),
    delayMs: z.number().int().min(0).optional(),
  }),
  z.strictObject({ kind: z.literal('kev'), name, url: z.url() }),
  z.strictObject({ kind: z.literal('epss'), name, url: z.url() }),
  z.strictObject({ kind: z.literal('osv'), name, urls: z.array(z.url()).optional(), listing: z.url().optional() }),
  z.strictObject({ kind: z.literal('csaf'), name, url: z.string().min(1) }),
]);
const sourcesFileSchema = z.strictObject({ sources: z.array(sourceSchema) });

export function invalidSource(
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): IntelMatchError {
  return new IntelMatchError('INTEL_SYNC_SOURCE_INVALID', message, { details, cause });
}

/** Reads a sources file: `{"sources": [{"kind": "nvd"|"kev"|"epss"|"osv"|"csaf", "name": …, "url": …}]}`. */
export function readSourcesFile(file: string): SyncSource[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalidSource(`${file}: cannot read it as JSON`, { file }, error);
  }
  const parsed = sourcesFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidSource(`${file}: ${issue?.message ?? 'invalid'}`, { file, field: issue?.path.join('.') ?? null });
  }
  const names = parsed.data.sources.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw invalidSource(`${file}: source name ${dup} used twice`, { file, field: 'name' });
  return parsed.data.sources as SyncSource[];
}

/** Picks sources by name; a URL or domain not among the names is a CSAF provider. */
export function selectSources(all: readonly SyncSource[], wanted: readonly string[]): SyncSource[] {
  if (wanted.length === 0) return [...all];
  return wanted.map((w) => {
    const found = all.find((s) => s.name === w);
    if (found !== undefined) return found;
    if (/^https?:\/\//i.test(w) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(w)) return { kind: 'csaf', name: w, url: w };
    throw invalidSource(`no source named ${w} (known: ${all.map((s) => s.name).join(', ')})`, { source: w });
  });
}
