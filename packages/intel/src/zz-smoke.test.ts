import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { parseFeed } from './feeds/detect.js';
it('smoke', async () => {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  for (const f of walk('/work/shared/data/vulnerability')) {
    if (!f.endsWith('.json')) continue;
    const r = await parseFeed(readFileSync(f, 'utf8'), f);
    const n =
      r.kind === 'vulnerabilities'
        ? r.vulnerabilities.length
        : r.kind === 'kev'
          ? r.kev.length
          : r.kind === 'epss'
            ? r.epss.length
            : 0;
    const aff = r.kind === 'vulnerabilities' ? r.vulnerabilities.reduce((a, v) => a + v.affected.length, 0) : 0;
    const probs = r.problems.map((p) => `${p.severity}:${p.code}:${p.field ?? ''}:${p.message.slice(0, 80)}`);
    console.log(
      f.replace('/work/shared/data/vulnerability/', ''),
      r.kind,
      'format' in r ? r.format : '',
      n,
      aff,
      probs.length,
      probs.slice(0, 3).join(' || '),
    );
  }
}, 120000);
