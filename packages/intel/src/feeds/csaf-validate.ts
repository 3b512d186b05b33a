/**
 * @module feeds/csaf-validate
 * CSAF 2.0 validation with @secvisogram/csaf-validator-lib: the JSON schema (csaf_2_0) and the
 * mandatory tests (6.1.x). Decision (ADR 0007): a failing advisory is reported, not rejected —
 * every failed test becomes an INTEL_CSAF_INVALID warning naming the test and the JSON path, and
 * the advisory's products and vulnerabilities are still used, because CISA's own published
 * advisories fail some tests (e.g. revision-history dates) while their product data is sound.
 * Only a document without `document.tracking.id` is refused (by the parser).
 */
import validate, { type CsafDocumentTest as CsafTest } from '@secvisogram/csaf-validator-lib/validate.js';
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0 } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import { feedProblem, type FeedProblem } from '../match-errors.js';

const TESTS: readonly CsafTest[] = [csaf_2_0, ...Object.values(mandatory)];

export async function validateCsaf(document: unknown, file: string, record: string | null): Promise<FeedProblem[]> {
  const problems: FeedProblem[] = [];
  try {
    const result = await validate(TESTS, document);
    for (const test of result.tests) {
      if (test.isValid) continue;
      for (const error of test.errors.slice(0, 20)) {
        problems.push(
          feedProblem(
            'INTEL_CSAF_INVALID',
            file,
            record,
            error.instancePath || null,
            `${test.name}: ${error.message}`,
            'warning',
          ),
        );
      }
    }
  } catch (cause) {
    problems.push(
      feedProblem(
        'INTEL_CSAF_INVALID',
        file,
        record,
        null,
        `the validator failed on this document: ${cause instanceof Error ? cause.message : String(cause)}`,
        'warning',
      ),
    );
  }
  return problems;
}
