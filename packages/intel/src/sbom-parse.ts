/**
 * @module sbom-parse
 * `parseSbom`: one entry point for every SBOM format Ward reads, detected by content, never by
 * file name: CycloneDX 1.2–1.6 JSON and XML, SPDX 2.2/2.3 JSON and tag-value, SPDX 3.0 JSON-LD.
 * Returns a value: the SBOM (or null when nothing could be read) and the problems found, each
 * naming file, record and field. It never throws on bad input.
 */
import { readCycloneDxXml } from './cyclonedx-xml.js';
import { field, isRecord, parseJson } from './json-access.js';
import type { Sbom, SbomFormat } from '@ward/core';
import { type SbomProblem, ProblemSink } from './problem.js';
import { readCycloneDx } from './sbom-cyclonedx.js';
import { readSpdx2 } from './sbom-spdx2.js';
import { readSpdx3 } from './sbom-spdx3.js';
import { readSpdxTagValue } from './spdx-tag-value.js';
import { decodeText } from './text-decode.js';

export interface SbomParseResult {
  readonly sbom: Sbom | null;
  readonly problems: readonly SbomProblem[];
}

/** Which format a document is in, judged from its content; null when it is none Ward reads. */
export function detectSbomFormat(text: string): SbomFormat | null {
  const head = text.trimStart();
  if (head.startsWith('{')) {
    const keys = head.slice(0, 4096);
    if (/"bomFormat"\s*:\s*"CycloneDX"/.test(text)) return 'cyclonedx-json';
    if (/"spdxVersion"\s*:/.test(keys) || /"spdxVersion"\s*:\s*"SPDX-2/.test(text)) return 'spdx-2-json';
    if (/"@context"\s*:[^\]}]*spdx/i.test(text)) return 'spdx-3-jsonld';
    return null;
  }
  if (head.startsWith('<')) {
    return /<(?:[\w-]+:)?bom[\s>][^>]*cyclonedx\.org\/schema\/bom\//.test(text.slice(0, 8192)) ? 'cyclonedx-xml' : null;
  }
  if (/^SPDXVersion\s*:/m.test(text)) return 'spdx-2-tag-value';
  return null;
}

function parseJsonDocument(text: string, sink: ProblemSink): unknown {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    sink.add('INTEL_SBOM_INVALID', `not well-formed JSON: ${parsed.reason}`);
    return undefined;
  }
  if (!isRecord(parsed.value)) {
    sink.add('INTEL_SBOM_INVALID', 'the document is not a JSON object');
    return undefined;
  }
  return parsed.value;
}

/** Parses an SBOM of any supported format; `fileName` is only used to name problems. */
export function parseSbom(content: string | Uint8Array, fileName: string): SbomParseResult {
  const sink = new ProblemSink(fileName);
  let sbom: Sbom | null = null;
  try {
    sbom = parseInto(decodeText(content), sink);
  } catch (error) {
    // A reader bug must not take the caller down: report it as an invalid document.
    sink.add(
      'INTEL_SBOM_INVALID',
      `the document could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    sbom = null;
  }
  return { sbom, problems: sink.problems };
}

function parseInto(text: string, sink: ProblemSink): Sbom | null {
  const format = detectSbomFormat(text);
  switch (format) {
    case null: {
      const hint = text.trimStart().startsWith('<')
        ? ' (SPDX RDF/XML is not read: convert it to SPDX JSON)'
        : /^spdxVersion\s*:/m.test(text)
          ? ' (SPDX YAML is not read: convert it to SPDX JSON)'
          : '';
      sink.add('INTEL_SBOM_FORMAT', `not a CycloneDX, SPDX 2 or SPDX 3 document${hint}`);
      return null;
    }
    case 'cyclonedx-json': {
      const doc = parseJsonDocument(text, sink);
      return doc === undefined ? null : readCycloneDx(doc, format, sink);
    }
    case 'cyclonedx-xml': {
      const xml = readCycloneDxXml(text);
      if (!xml.ok) {
        sink.add('INTEL_SBOM_INVALID', `not a well-formed CycloneDX XML document: ${xml.reason}`, {
          field: xml.line === undefined ? null : `line ${String(xml.line)}`,
        });
        return null;
      }
      return readCycloneDx(xml.doc, format, sink);
    }
    case 'spdx-2-json': {
      const doc = parseJsonDocument(text, sink);
      return doc === undefined ? null : readSpdx2(doc, format, sink);
    }
    case 'spdx-2-tag-value':
      return readSpdx2(readSpdxTagValue(text, sink), format, sink);
    case 'spdx-3-jsonld': {
      const doc = parseJsonDocument(text, sink);
      if (doc === undefined) return null;
      if (!Array.isArray(field(doc, '@graph'))) {
        sink.add('INTEL_SBOM_INVALID', 'an SPDX 3 JSON-LD document has an @graph array', { field: '@graph' });
        return null;
      }
      return readSpdx3(doc, sink);
    }
  }
}
