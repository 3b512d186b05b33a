/**
 * @module vendor-name
 * Normalised manufacturer and model names for matching inventory devices to advisories that name
 * products (CSAF product trees): Unicode folded (ä → a), lower-case, "&" read as "and",
 * parenthesised abbreviations and punctuation dropped, corporate and line-of-business suffixes
 * ("Inc", "Ltd", "GmbH", "Healthcare", "Medical"…) removed from the end, spaces removed, then
 * known variants mapped through VENDOR_ALIASES.
 */
import { VENDOR_ALIASES } from './vendor-aliases.js';

const SUFFIXES = new Set([
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'gmbh',
  'ag',
  'kg',
  'co',
  'corp',
  'corporation',
  'company',
  'plc',
  'sa',
  'nv',
  'bv',
  'oy',
  'ab',
  'as',
  'spa',
  'srl',
  'pty',
  'kk',
  'holdings',
  'group',
  'international',
  'healthcare',
  'medical',
  'systems',
  'technologies',
  'technology',
  'solutions',
  'devices',
  'the',
]);
const ALIASES = new Map(VENDOR_ALIASES.map((a) => [a.variant, a.canonical]));

/** Folded words of a name: diacritics and punctuation removed, lower-case. */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t !== '');
}

/** The key two spellings of one manufacturer share ("Phillips" and "Philips Healthcare" → "philips"). */
export function normaliseVendor(vendor: string): string {
  const tokens = nameTokens(vendor.replace(/\([^)]*\)/g, ' '));
  while (tokens.length > 1 && SUFFIXES.has(tokens[tokens.length - 1] ?? '')) tokens.pop();
  while (tokens.length > 1 && tokens[tokens.length - 1] === 'and') tokens.pop();
  const key = tokens.join('');
  return ALIASES.get(key) ?? key;
}

/** A model name for comparison: folded words, with the vendor's own name dropped from the front. */
export function normaliseModel(model: string, vendor?: string): string {
  let tokens = nameTokens(model);
  if (vendor !== undefined) {
    const v = nameTokens(vendor.replace(/\([^)]*\)/g, ' '));
    let i = 0;
    while (i < v.length && i < tokens.length - 1 && tokens[i] === v[i]) i++;
    if (i > 0) tokens = tokens.slice(i);
  }
  return tokens.join(' ');
}
