/**
 * @module oui
 * The IEEE registration-authority registry as Debian's `ieee-data` ships it (`oui.csv` MA-L,
 * `mam.csv` MA-M, `oui36.csv` MA-S, `iab.csv` IAB), loaded once into three maps keyed by the
 * assignment prefix as a number (24, 28 and 36 bits). A lookup tries the longest prefix first, so
 * a MAC inside an MA-S block sub-assigned from an MA-L names the MA-S holder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_IEEE_DATA_DIR = '/usr/share/ieee-data';

const FILES = [
  { file: 'oui.csv', bits: 24 },
  { file: 'mam.csv', bits: 28 },
  { file: 'oui36.csv', bits: 36 },
  { file: 'iab.csv', bits: 36 },
] as const;

export interface OuiRegistry {
  /** The organisation holding the block `mac` falls in, or null (unknown, private, locally administered). */
  lookup(mac: string): string | null;
  /** Assignments loaded, for diagnostics. */
  readonly size: number;
}

/** Splits one CSV record (RFC 4180 quoting), enough for the registry files. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** The first 36 bits of a MAC (colon, dash or bare hex) as a number, or undefined. */
function macBits(mac: string): number | undefined {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '');
  if (hex.length !== 12) return undefined;
  return Number.parseInt(hex.slice(0, 9), 16);
}

class MapRegistry implements OuiRegistry {
  constructor(private readonly maps: ReadonlyMap<number, ReadonlyMap<number, string>>) {}

  get size(): number {
    let n = 0;
    for (const m of this.maps.values()) n += m.size;
    return n;
  }

  lookup(mac: string): string | null {
    const bits36 = macBits(mac);
    if (bits36 === undefined) return null;
    // Locally administered (randomised) addresses belong to no registrant.
    if ((bits36 / 2 ** 28) & 0x02) return null;
    for (const bits of [36, 28, 24]) {
      const name = this.maps.get(bits)?.get(Math.floor(bits36 / 2 ** (36 - bits)));
      if (name !== undefined) return name === 'Private' ? null : name;
    }
    return null;
  }
}

/** Parses the text of one registry file into `map` (prefix → organisation). */
export function parseRegistryCsv(text: string, bits: number, map: Map<number, string>): void {
  const hexLength = bits / 4;
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('Registry,')) continue;
    const [, assignment, name] = splitCsvLine(line);
    if (assignment?.length !== hexLength || name === undefined || !/^[0-9A-Fa-f]+$/.test(assignment)) continue;
    map.set(Number.parseInt(assignment, 16), name.trim());
  }
}

/**
 * Loads the registry from `dir`. Missing files are skipped; when none is there the registry is
 * empty and `onMissing` is called once (the sensor then reports vendor null).
 */
export function loadOuiRegistry(
  dir: string = DEFAULT_IEEE_DATA_DIR,
  onMissing: (dir: string) => void = () => undefined,
): OuiRegistry {
  const maps = new Map<number, Map<number, string>>();
  let found = 0;
  for (const { file, bits } of FILES) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    found++;
    let map = maps.get(bits);
    if (map === undefined) maps.set(bits, (map = new Map<number, string>()));
    parseRegistryCsv(text, bits, map);
  }
  if (found === 0) onMissing(dir);
  return new MapRegistry(maps);
}

let shared: OuiRegistry | undefined;

/** The registry at the default place, loaded on first use and kept; warns once when it is absent. */
export function defaultOuiRegistry(
  warn: (message: string) => void = (m) => {
    process.emitWarning(m);
  },
): OuiRegistry {
  shared ??= loadOuiRegistry(DEFAULT_IEEE_DATA_DIR, (dir) => {
    warn(`IEEE OUI registry not found in ${dir} (Debian package ieee-data): vendors will be null`);
  });
  return shared;
}
