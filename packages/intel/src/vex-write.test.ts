import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VexStatement } from '@ward/core';
import { validateCsafVex, writeCsafVex } from './vex-csaf.js';
import { validateCycloneDxVex, writeCycloneDxVex } from './vex-cyclonedx-write.js';
import type { VexDocumentInput } from './vex-document.js';
import { CYCLONEDX_JUSTIFICATIONS, justificationFromCycloneDx, VEX_JUSTIFICATIONS } from './vex-justification.js';
import { validateOpenVex, writeOpenVex } from './vex-openvex.js';
import { parseVex } from './vex-parse.js';

const product = { manufacturer: 'Acme Medical', name: 'InfuseRight 3000', version: '4.2.1' };

const components = [
  'pkg:generic/wolfssl@4.8.1',
  'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
  'pkg:npm/%40angular/core@12.0.0',
  'cpe:2.3:o:amazon:freertos:10.0.1:*:*:*:*:*:*:*',
  'cpe:2.3:a:nxp:nxp_sdk:2.9.0:*:*:*:*:*:*:*',
  'BomRef.9490803276624489.60065773832442',
];

const statementArb: fc.Arbitrary<VexStatement> = fc
  .record({
    cve: fc.integer({ min: 1000, max: 99999 }),
    component: fc.constantFrom(...components),
    range: fc.option(fc.constantFrom('vers:generic/>=2.9|<=4.1', 'vers:generic/2.5', 'vers:semver/>=1.0.0|<2.0.0'), {
      nil: undefined,
    }),
    status: fc.constantFrom('not_affected', 'affected', 'fixed', 'under_investigation' as const),
    cdx: fc.constantFrom(...CYCLONEDX_JUSTIFICATIONS),
    plain: fc.constantFrom(...VEX_JUSTIFICATIONS),
    useCdx: fc.boolean(),
    impact: fc.option(fc.constantFrom('The vulnerable class was removed before shipping.', 'TLS is not used.'), {
      nil: undefined,
    }),
    action: fc.option(fc.constantFrom('Update to firmware 4.3.', 'Disable the web server.'), { nil: undefined }),
  })
  .map((g) => ({
    vulnerability: `CVE-2021-${String(g.cve)}`,
    component: g.component,
    ...(g.range === undefined ? {} : { versionRange: g.range }),
    status: g.status,
    ...(g.status === 'not_affected'
      ? g.useCdx
        ? { justification: justificationFromCycloneDx(g.cdx), sourceJustification: g.cdx }
        : { justification: g.plain }
      : {}),
    ...(g.impact === undefined ? {} : { impactStatement: g.impact }),
    ...(g.action === undefined ? {} : { actionStatement: g.action }),
    origin: 'test',
  }));

const statementsArb = fc.uniqueArray(statementArb, {
  minLength: 1,
  maxLength: 8,
  selector: (s) => `${s.vulnerability}|${s.component}|${s.versionRange ?? ''}`,
});

const input = (statements: readonly VexStatement[]): VexDocumentInput => ({
  product,
  statements,
  author: 'Acme Medical Product Security',
  timestamp: '2025-07-23T20:23:25Z',
  id: 'ACME-VEX-2025-0001',
});

/** What a round trip must keep: vulnerability, component, range, status, justification. */
const core = (s: VexStatement): string =>
  [s.vulnerability, s.component, s.versionRange ?? '', s.status, s.justification ?? ''].join('|');
const cores = (list: readonly VexStatement[]): string[] => list.map(core).sort();

type Format = 'cyclonedx' | 'csaf' | 'openvex';
const writers: Record<Format, (i: VexDocumentInput) => string> = {
  cyclonedx: writeCycloneDxVex,
  csaf: writeCsafVex,
  openvex: writeOpenVex,
};
async function validateAny(format: Format, json: string) {
  if (format === 'cyclonedx') return validateCycloneDxVex(json);
  if (format === 'csaf') return validateCsafVex(json);
  return validateOpenVex(json);
}

describe('VEX writers', () => {
  for (const format of ['cyclonedx', 'csaf', 'openvex'] as const) {
    it(`${format}: output validates and reads back with status and justification kept`, async () => {
      await fc.assert(
        fc.asyncProperty(statementsArb, async (statements) => {
          const json = writers[format](input(statements));
          expect(await validateAny(format, json)).toEqual([]);
          const back = parseVex(json, `out.${format}.json`);
          expect(back.format).toBe(format);
          expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
          expect(cores(back.statements)).toEqual(cores(statements));
        }),
        { numRuns: 25 },
      );
    });
  }

  it('CycloneDX ⇄ CSAF ⇄ OpenVEX: a chain of conversions keeps status and justification, and CycloneDX keeps its finer justification', async () => {
    await fc.assert(
      fc.asyncProperty(
        statementsArb,
        fc.array(fc.constantFrom<Format>('cyclonedx', 'csaf', 'openvex'), { minLength: 1, maxLength: 4 }),
        async (statements, chain) => {
          let current: readonly VexStatement[] = statements;
          for (const format of [...chain, 'cyclonedx' as const]) {
            const json = writers[format](input(current));
            expect(await validateAny(format, json)).toEqual([]);
            current = parseVex(json, `chain.${format}.json`).statements;
            expect(cores(current)).toEqual(cores(statements));
          }
          // Straight CycloneDX → CycloneDX keeps the CycloneDX value exactly.
          const direct = parseVex(writeCycloneDxVex(input(statements)), 'direct.json').statements;
          const fine = (list: readonly VexStatement[]) =>
            list.map((s) => `${core(s)}|${s.sourceJustification ?? ''}`).sort();
          expect(fine(direct)).toEqual(
            fine(
              statements.map((s) =>
                s.status === 'not_affected' && s.sourceJustification === undefined && s.justification
                  ? { ...s, sourceJustification: defaultCdx(s) }
                  : s,
              ),
            ),
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});

function defaultCdx(s: VexStatement): string {
  const table: Record<string, string> = {
    component_not_present: 'requires_dependency',
    vulnerable_code_not_present: 'code_not_present',
    vulnerable_code_not_in_execute_path: 'code_not_reachable',
    vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
    inline_mitigations_already_exist: 'protected_by_mitigating_control',
  };
  return table[s.justification ?? ''] ?? '';
}
