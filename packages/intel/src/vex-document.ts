/**
 * @module vex-document
 * What a VEX writer is given: the product (a device model at a firmware version, from one
 * manufacturer), the statements about its components, who publishes the document and when.
 */
import type { VexStatement } from '@ward/core';

export interface VexProduct {
  readonly manufacturer: string;
  /** The device model. */
  readonly name: string;
  /** The firmware version, when the document is about one. */
  readonly version?: string | null;
  readonly purl?: string;
  readonly cpe?: string;
}

export interface VexDocumentInput {
  readonly product: VexProduct;
  readonly statements: readonly VexStatement[];
  /** The author/publisher of the document (a person or an organisation). */
  readonly author: string;
  /** ISO 8601 date-time the document is issued. */
  readonly timestamp: string;
  /** A stable document id (CSAF tracking id, OpenVEX @id suffix, CycloneDX serial UUID); derived when absent. */
  readonly id?: string;
  /** The document's revision, 1 and up. */
  readonly version?: number;
}

/** A short deterministic id from text (FNV-1a, hex), for derived document ids. */
export function shortHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** A UUID-shaped (v4 layout) string derived deterministically from text. */
export function derivedUuid(text: string): string {
  const h = (shortHash(text) + shortHash(`${text}#`)).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The distinct component keys of the statements, in first-seen order. */
export function distinctComponents(statements: readonly VexStatement[]): VexStatement[] {
  const seen = new Map<string, VexStatement>();
  for (const s of statements) if (!seen.has(s.component)) seen.set(s.component, s);
  return [...seen.values()];
}
