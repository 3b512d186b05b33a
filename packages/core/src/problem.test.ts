import { describe, expect, it } from 'vitest';
import { problem } from './problem.js';

describe('problem', () => {
  it('fills what is not given with null and severity error', () => {
    expect(problem('CORE_INVALID_ARGUMENT', 'bad')).toEqual({
      code: 'CORE_INVALID_ARGUMENT',
      severity: 'error',
      file: null,
      record: null,
      field: null,
      message: 'bad',
    });
  });

  it('keeps the place and severity given', () => {
    const p = problem('INTEL_FEED_RANGE_UNSUPPORTED', 'GIT range ignored', {
      file: 'osv.json',
      record: 'GHSA-1',
      field: 'affected[0].ranges[1]',
      severity: 'info',
    });
    expect([p.file, p.record, p.field, p.severity]).toEqual(['osv.json', 'GHSA-1', 'affected[0].ranges[1]', 'info']);
    // The JSON outputs list the fields in this order.
    expect(Object.keys(p)).toEqual(['code', 'severity', 'file', 'record', 'field', 'message']);
  });
});
