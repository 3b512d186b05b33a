// Types for the deep imports of @secvisogram/csaf-validator-lib, which ships JavaScript only.
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface CsafTestResult {
    readonly name: string;
    readonly isValid: boolean;
    readonly errors: readonly { readonly message: string; readonly instancePath: string }[];
    readonly warnings: readonly { readonly message: string; readonly instancePath: string }[];
    readonly infos: readonly { readonly message: string; readonly instancePath: string }[];
  }
  export type CsafTest = (doc: unknown) => unknown;
  export default function validate(
    tests: readonly CsafTest[],
    doc: unknown,
  ): Promise<{ readonly isValid: boolean; readonly tests: readonly CsafTestResult[] }>;
}
declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { CsafTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_0: CsafTest;
  export const csaf_2_0_strict: CsafTest;
}
declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { CsafTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, CsafTest>;
  export = tests;
}
