/**
 * @module vex-cyclonedx-read
 * Reads CycloneDX `vulnerabilities` (1.4+, embedded in an SBOM or as a stand-alone VEX BOM) into
 * VEX statements, one per vulnerability × affected target × version entry: never per CVE alone.
 * Per-version `status` (`affected`/`unaffected`/`unknown`) refines the analysis state.
 */
import { arrayField, field, isRecord, stringField, textField } from './json-access.js';
import type { VexJustification, VexStatement, VexStatus } from '@ward/core';
import type { ProblemSink } from './problem.js';
import { isCycloneDxJustification, justificationFromCycloneDx, statusFromCycloneDxState } from './vex-justification.js';

/** What a bom-ref names: enough identity to key a statement on. */
export interface RefIdentity {
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly name: string | null;
  readonly version: string | null;
}

/** The identifier a statement is keyed on: purl, else CPE, else the ref itself. */
export function componentKey(ref: string, identity: RefIdentity | undefined): string {
  return identity?.purl ?? identity?.cpe ?? ref;
}

function versScheme(purl: string | null): string {
  const m = purl === null ? null : /^pkg:([a-zA-Z0-9.+-]+)\//.exec(purl);
  return m?.[1]?.toLowerCase() ?? 'generic';
}

export function readCycloneDxVulnerabilities(
  vulnerabilities: readonly unknown[],
  refs: ReadonlyMap<string, RefIdentity>,
  sink: ProblemSink,
  origin: string,
  severity: 'error' | 'warning' = 'error',
): VexStatement[] {
  const statements: VexStatement[] = [];
  vulnerabilities.forEach((vuln, vi) => {
    const path = `vulnerabilities[${String(vi)}]`;
    const id = textField(vuln, 'id');
    if (!isRecord(vuln) || id === null) {
      sink.add('INTEL_VEX_INVALID', 'a vulnerability needs an id', { record: path, field: `${path}.id` });
      return;
    }
    const analysis = field(vuln, 'analysis');
    const state = stringField(analysis, 'state');
    const affects = arrayField(vuln, 'affects');
    if (analysis === undefined || affects.length === 0) return; // a plain vulnerability record, not a VEX statement
    const baseStatus = state === null ? null : statusFromCycloneDxState(state);
    if (baseStatus === null) {
      sink.add('INTEL_VEX_INVALID', `unknown analysis state ${JSON.stringify(state)}`, {
        record: id,
        field: `${path}.analysis.state`,
      });
      return;
    }
    const rawJustification = stringField(analysis, 'justification');
    let justification: VexJustification | undefined;
    let sourceJustification: string | undefined;
    if (rawJustification !== null) {
      if (isCycloneDxJustification(rawJustification)) {
        justification = justificationFromCycloneDx(rawJustification);
        sourceJustification = rawJustification;
      } else {
        sink.add('INTEL_VEX_INVALID', `unknown justification ${JSON.stringify(rawJustification)}`, {
          record: id,
          field: `${path}.analysis.justification`,
        });
      }
    }
    const detail = textField(analysis, 'detail') ?? undefined;
    const responses = arrayField(analysis, 'response').filter((r): r is string => typeof r === 'string');
    const recommendation = textField(vuln, 'recommendation') ?? textField(vuln, 'workaround');
    const action = [responses.length > 0 ? `response: ${responses.join(', ')}` : null, recommendation]
      .filter((s): s is string => s !== null)
      .join('; ');
    const aliases = arrayField(vuln, 'references')
      .map((r) => textField(r, 'id'))
      .filter((s): s is string => s !== null && s !== id);
    const timestamp =
      textField(analysis, 'lastUpdated') ?? textField(analysis, 'firstIssued') ?? textField(vuln, 'updated');

    affects.forEach((target, ti) => {
      const targetPath = `${path}.affects[${String(ti)}]`;
      const ref = textField(target, 'ref');
      if (ref === null) {
        sink.add('INTEL_VEX_INVALID', 'an affects entry needs a ref', { record: id, field: `${targetPath}.ref` });
        return;
      }
      const local = ref.includes('#') ? (ref.split('#').pop() ?? ref) : ref;
      const identity = refs.get(ref) ?? refs.get(local);
      const component = componentKey(ref, identity);
      const versions = arrayField(target, 'versions');
      const entries: { status: VexStatus; range?: string }[] =
        versions.length === 0
          ? [{ status: baseStatus }]
          : versions.flatMap((v) => {
              const exact = textField(v, 'version');
              const range = textField(v, 'range');
              const vstatus = stringField(v, 'status') ?? 'affected';
              // A version's own status wins; 'unaffected' under a resolved analysis means fixed there.
              const status: VexStatus =
                vstatus === 'unaffected'
                  ? baseStatus === 'fixed'
                    ? 'fixed'
                    : 'not_affected'
                  : vstatus === 'unknown'
                    ? 'under_investigation'
                    : 'affected';
              const text = range ?? (exact === null ? null : `vers:${versScheme(identity?.purl ?? null)}/${exact}`);
              return text === null ? [] : [{ status, range: text }];
            });
      for (const entry of entries) {
        const usesJustification = entry.status === 'not_affected';
        if (usesJustification && justification === undefined && detail === undefined) {
          sink.add(
            'INTEL_VEX_JUSTIFICATION_MISSING',
            `${id} is not_affected for ${component} without a justification or detail`,
            { record: id, field: `${path}.analysis.justification` },
            severity,
          );
          if (severity === 'error') continue;
        }
        statements.push({
          vulnerability: id,
          ...(aliases.length > 0 ? { aliases } : {}),
          component,
          ...(identity?.name ? { componentName: identity.name } : {}),
          ...(identity?.version ? { componentVersion: identity.version } : {}),
          ...(entry.range === undefined ? {} : { versionRange: entry.range }),
          status: entry.status,
          ...(usesJustification && justification !== undefined ? { justification } : {}),
          ...(usesJustification && sourceJustification !== undefined ? { sourceJustification } : {}),
          ...(state !== null &&
          state !== 'not_affected' &&
          statusFromCycloneDxState(state) === entry.status &&
          !['exploitable', 'in_triage', 'resolved'].includes(state)
            ? { sourceStatus: state }
            : {}),
          ...(detail === undefined ? {} : { impactStatement: detail }),
          ...(action === '' ? {} : { actionStatement: action }),
          ...(timestamp === null ? {} : { timestamp }),
          origin: `${origin}#${path}`,
        });
      }
    });
  });
  return statements;
}
