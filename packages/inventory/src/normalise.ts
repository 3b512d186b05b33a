/**
 * @module normalise
 * Turning what hospitals write into Ward's values: MAC and IP addresses, device types,
 * criticality, lifecycle and support words, yes/no, dates. Each returns undefined for a value it
 * cannot read, so importers can report the row and column.
 */
import { isIP } from 'node:net';
import {
  CRITICALITIES,
  DEVICE_TYPES,
  LIFECYCLE_STATES,
  SUPPORT_STATUSES,
  type Criticality,
  type DeviceType,
  type LifecycleState,
  type SupportStatus,
} from '@ward/core';

/** `aa:bb:cc:dd:ee:ff` from colon, hyphen, Cisco-dot or bare-hex spellings; undefined otherwise. */
export function normaliseMac(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  let hex: string | undefined;
  if (/^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/.test(t)) hex = t.replace(/[:-]/g, '');
  else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(t)) hex = t.replace(/\./g, '');
  else if (/^[0-9a-f]{12}$/.test(t)) hex = t;
  if (hex === undefined) return undefined;
  return hex.match(/../g)?.join(':');
}

/** A MAC that names one interface: not zero, not broadcast, not multicast. */
export function isUnicastMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return false;
  return (parseInt(mac.slice(0, 2), 16) & 1) === 0;
}

/** An IPv4 or IPv6 address in canonical text (IPv6 lower-case, compressed by URL rules). */
export function normaliseIp(text: string): string | undefined {
  const t = text.trim();
  const v = isIP(t);
  if (v === 4)
    return t
      .split('.')
      .map((o) => String(Number(o)))
      .join('.');
  if (v === 6) {
    try {
      return new URL(`http://[${t}]/`).hostname.slice(1, -1);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const key = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const TYPE_WORDS: readonly (readonly [DeviceType, readonly string[]])[] = [
  [
    'infusion-pump',
    ['infusion pump', 'infusion', 'iv pump', 'syringe pump', 'pca pump', 'pump', 'large volume pump', 'insulin pump'],
  ],
  [
    'patient-monitor',
    ['patient monitor', 'physiological monitor', 'vital signs monitor', 'bedside monitor', 'monitor', 'pulse oximeter'],
  ],
  ['ventilator', ['ventilator', 'vent', 'respirator']],
  [
    'anaesthesia-workstation',
    [
      'anaesthesia workstation',
      'anesthesia workstation',
      'anaesthesia machine',
      'anesthesia machine',
      'anesthesia',
      'anaesthesia',
    ],
  ],
  ['ct', ['ct', 'ct scanner', 'computed tomography', 'cat scanner']],
  ['mr', ['mr', 'mri', 'magnetic resonance', 'mri scanner']],
  ['x-ray', ['x ray', 'xray', 'radiography', 'fluoroscopy', 'c arm', 'mammography', 'dr', 'cr']],
  ['ultrasound', ['ultrasound', 'us', 'sonography', 'echo']],
  ['pacs', ['pacs', 'image archive', 'vna']],
  [
    'lab-analyser',
    ['lab analyser', 'lab analyzer', 'laboratory analyser', 'laboratory analyzer', 'analyser', 'analyzer', 'blood gas'],
  ],
  [
    'medication-dispensing-cabinet',
    ['medication dispensing cabinet', 'dispensing cabinet', 'automated dispensing cabinet', 'adc', 'pyxis', 'omnicell'],
  ],
  ['nurse-call', ['nurse call']],
  ['telemetry', ['telemetry', 'telemetry transmitter']],
  ['clinical-workstation', ['clinical workstation', 'workstation', 'cow', 'workstation on wheels']],
  ['interface-engine', ['interface engine', 'integration engine', 'hl7 interface']],
  ['building-iot', ['building iot', 'iot', 'bms', 'hvac', 'building management']],
  ['it', ['it', 'pc', 'server', 'printer', 'laptop', 'switch', 'router', 'desktop']],
  ['unknown', ['unknown', 'other']],
];

const TYPE_INDEX = new Map<string, DeviceType>();
for (const t of DEVICE_TYPES) TYPE_INDEX.set(key(t), t);
for (const [t, words] of TYPE_WORDS) for (const w of words) if (!TYPE_INDEX.has(w)) TYPE_INDEX.set(w, t);

/** A device type from Ward's words or a common synonym (exact after folding case and punctuation). */
export function normaliseType(text: string): DeviceType | undefined {
  return TYPE_INDEX.get(key(text));
}

/** A device type guessed from free text (a FHIR type's display): the first synonym found as words. */
export function guessType(text: string): DeviceType | undefined {
  const k = ` ${key(text)} `;
  for (const [t, words] of TYPE_WORDS) {
    if (t === 'unknown') continue;
    for (const w of words) if (w.length > 2 && k.includes(` ${w} `)) return t;
  }
  return undefined;
}

function vocab<T extends string>(values: readonly T[], synonyms: Readonly<Record<string, T>>) {
  const index = new Map<string, T>();
  for (const v of values) index.set(key(v), v);
  for (const [w, v] of Object.entries(synonyms)) index.set(key(w), v);
  return (text: string): T | undefined => index.get(key(text));
}

export const normaliseCriticality: (text: string) => Criticality | undefined = vocab(CRITICALITIES, {
  'life sustaining': 'life-sustaining',
  'life support': 'life-supporting',
  'non clinical': 'non-clinical',
  nonclinical: 'non-clinical',
});

export const normaliseLifecycle: (text: string) => LifecycleState | undefined = vocab(LIFECYCLE_STATES, {
  active: 'in-service',
  inservice: 'in-service',
  'in use': 'in-service',
  operational: 'in-service',
  repair: 'maintenance',
  'out for repair': 'maintenance',
  'under maintenance': 'maintenance',
  decommissioned: 'retired',
  disposed: 'retired',
  inactive: 'retired',
});

export const normaliseSupportStatus: (text: string) => SupportStatus | undefined = vocab(SUPPORT_STATUSES, {
  eos: 'end-of-support',
  eol: 'end-of-support',
  unsupported: 'end-of-support',
  'end of life': 'end-of-support',
  partial: 'limited',
});

export function normaliseBoolean(text: string): boolean | undefined {
  const k = key(text);
  if (['yes', 'y', 'true', '1', 'x'].includes(k)) return true;
  if (['no', 'n', 'false', '0'].includes(k)) return false;
  return undefined;
}

/** `YYYY-MM-DD` or `YYYY-MM` (also with slashes); day-first and month-first dates are refused as ambiguous. */
export function normaliseDate(text: string): string | undefined {
  const m = /^(\d{4})[-/](\d{2})(?:[-/](\d{2}))?(?:T.*)?$/.exec(text.trim());
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  if (mo < 1 || mo > 12) return undefined;
  const ym = `${String(y)}-${String(mo).padStart(2, '0')}`;
  if (d === undefined) return ym;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > last) return undefined;
  return `${ym}-${String(d).padStart(2, '0')}`;
}

/** Manufacturer names compared for joining by serial number: first word, lower-case (`Philips Medical` ≈ `PHILIPS`). */
export function manufacturerStem(name: string | null | undefined): string | undefined {
  if (name === null || name === undefined) return undefined;
  const first = key(name).split(' ')[0];
  return first === undefined || first === '' ? undefined : first;
}

/** Lower-case words for full-text search. */
export function searchTokens(values: readonly (string | null | undefined)[]): string {
  // In order, repeats kept: a search for `00:09:fb` is a phrase of three adjacent words.
  const words: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    words.push(
      ...(v
        .normalize('NFKC')
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? []),
    );
  }
  return words.join(' ');
}
