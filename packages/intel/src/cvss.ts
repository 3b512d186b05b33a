/**
 * @module cvss
 * CVSS base scores from vectors, for sources that give a vector without a score (OSV `severity`):
 * CVSS v3.0/v3.1 (FIRST specification §7.1, Roundup of §Appendix A) and v2.0 (§3.2.1). CVSS 4.0
 * scores need FIRST's macro-vector tables and are taken only when the source states them.
 * Also the choice of the "best" score of a finding: the newest CVSS version, then the highest score.
 */
import type { CvssScore } from '@ward/core';

function metrics(vector: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of vector.split('/')) {
    const [k, v] = part.split(':');
    if (k !== undefined && v !== undefined) m.set(k, v);
  }
  return m;
}

/** CVSS v3.1 Roundup: the smallest number, to 1 decimal place, equal to or higher than its input. */
function roundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

export function cvss3BaseScore(vector: string): number | null {
  if (!/^CVSS:3\.[01]\//.test(vector)) return null;
  const m = metrics(vector);
  const W: Record<string, Record<string, number>> = {
    AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
    AC: { L: 0.77, H: 0.44 },
    UI: { N: 0.85, R: 0.62 },
    C: { H: 0.56, L: 0.22, N: 0 },
    I: { H: 0.56, L: 0.22, N: 0 },
    A: { H: 0.56, L: 0.22, N: 0 },
  };
  const get = (k: string): number | undefined => W[k]?.[m.get(k) ?? ''];
  const scope = m.get('S');
  const pr = m.get('PR');
  const av = get('AV');
  const ac = get('AC');
  const ui = get('UI');
  const c = get('C');
  const i = get('I');
  const a = get('A');
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined)
    return null;
  if ((scope !== 'U' && scope !== 'C') || (pr !== 'N' && pr !== 'L' && pr !== 'H')) return null;
  const prW = pr === 'N' ? 0.85 : pr === 'L' ? (scope === 'C' ? 0.68 : 0.62) : scope === 'C' ? 0.5 : 0.27;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * av * ac * prW * ui;
  if (impact <= 0) return 0;
  return scope === 'U'
    ? roundup(Math.min(impact + exploitability, 10))
    : roundup(Math.min(1.08 * (impact + exploitability), 10));
}

export function cvss2BaseScore(vector: string): number | null {
  const m = metrics(vector.replace(/^\(|\)$/g, ''));
  const AV: Record<string, number> = { L: 0.395, A: 0.646, N: 1 };
  const AC: Record<string, number> = { H: 0.35, M: 0.61, L: 0.71 };
  const AU: Record<string, number> = { M: 0.45, S: 0.56, N: 0.704 };
  const CIA: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };
  const av = AV[m.get('AV') ?? ''];
  const ac = AC[m.get('AC') ?? ''];
  const au = AU[m.get('Au') ?? ''];
  const c = CIA[m.get('C') ?? ''];
  const i = CIA[m.get('I') ?? ''];
  const a = CIA[m.get('A') ?? ''];
  if (av === undefined || ac === undefined || au === undefined || c === undefined || i === undefined || a === undefined)
    return null;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** A CvssScore from a vector (and a stated score when the source has one); null when neither gives a number. */
export function cvssFromVector(vector: string, stated?: number): CvssScore | null {
  const v = vector.trim();
  const version = /^CVSS:(\d\.\d)\//.exec(v)?.[1] ?? (/^\(?AV:[LAN]\/AC:/.test(v) ? '2.0' : null);
  if (version === null) return null;
  const score = stated ?? (version.startsWith('3') ? cvss3BaseScore(v) : version === '2.0' ? cvss2BaseScore(v) : null);
  if (score === null) return null;
  return { version, vector: v, score };
}

/** The score a finding shows: newest CVSS version first, then the highest score. */
export function bestCvss(scores: readonly CvssScore[]): CvssScore | null {
  let best: CvssScore | null = null;
  for (const s of scores) {
    if (best === null) best = s;
    else {
      const v = parseFloat(s.version) - parseFloat(best.version);
      if (v > 0 || (v === 0 && s.score > best.score)) best = s;
    }
  }
  return best;
}
