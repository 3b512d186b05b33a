/**
 * @module vex-parse
 * `parseVex`: reads a VEX document in any of the three formats Ward speaks, detected by content:
 * CycloneDX (JSON or XML, stand-alone VEX or an SBOM with `vulnerabilities`), CSAF 2.0 (the
 * `csaf_vex` profile; other categories are read with a warning) and OpenVEX. Every statement
 * becomes one `VexStatement` per vulnerability × component (× version range). A `not_affected`
 * without justification or impact statement is reported (INTEL_VEX_JUSTIFICATION_MISSING) and not
 * returned, since it must not be applied.
 */
import { isRecord, parseJson } from './json-access.js';
import type { VexStatement } from '@ward/core';
import { type VexProblem, ProblemSink } from './problem.js';
import { parseSbom } from './sbom-parse.js';
import { decodeText } from './text-decode.js';
import { isCsaf, readCsafVex } from './vex-csaf.js';
import { checkOpenVex, isOpenVex, readOpenVex } from './vex-openvex.js';

export type VexFormat = 'cyclonedx' | 'csaf' | 'openvex';

export interface VexParseResult {
  readonly format: VexFormat | null;
  readonly statements: readonly VexStatement[];
  readonly problems: readonly VexProblem[];
}

export function parseVex(content: string | Uint8Array, fileName: string): VexParseResult {
  const sink = new ProblemSink(fileName);
  try {
    return parseInto(decodeText(content), fileName, sink);
  } catch (error) {
    sink.add(
      'INTEL_VEX_INVALID',
      `the document could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return { format: null, statements: [], problems: sink.problems };
  }
}

function parseInto(text: string, fileName: string, sink: ProblemSink): VexParseResult {
  const head = text.trimStart();
  if (head.startsWith('<')) return fromCycloneDx(text, fileName, sink);
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) {
    sink.add(
      'INTEL_VEX_INVALID',
      parsed.ok ? 'the document is not a JSON object' : `not well-formed JSON: ${parsed.reason}`,
    );
    return { format: null, statements: [], problems: sink.problems };
  }
  const doc = parsed.value;
  if (doc.bomFormat === 'CycloneDX') return fromCycloneDx(text, fileName, sink);
  if (isCsaf(doc)) return { format: 'csaf', statements: readCsafVex(doc, sink, fileName), problems: sink.problems };
  if (isOpenVex(doc)) {
    checkOpenVex(doc, sink);
    return { format: 'openvex', statements: readOpenVex(doc, sink, fileName), problems: sink.problems };
  }
  sink.add('INTEL_VEX_FORMAT', 'not a CycloneDX, CSAF or OpenVEX document');
  return { format: null, statements: [], problems: sink.problems };
}

function fromCycloneDx(text: string, fileName: string, sink: ProblemSink): VexParseResult {
  const { sbom, problems } = parseSbom(text, fileName);
  // Document-level SBOM problems are VEX problems here; unjustified not_affected statements were
  // already reported and left out by the reader.
  sink.problems.push(
    ...problems.map((p) =>
      p.code === 'INTEL_SBOM_INVALID' && p.record === null ? { ...p, code: 'INTEL_VEX_INVALID' as const } : p,
    ),
  );
  return { format: sbom === null ? null : 'cyclonedx', statements: sbom?.vex ?? [], problems: sink.problems };
}
