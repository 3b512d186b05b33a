import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTEL_MATCH_ERROR_CODES } from '../match-errors.js';
import { dataDir, haveData } from '../test-data.js';
import { parseCsafChanges, parseCsafIndex, parseProviderMetadata, parseRolieFeed } from './csaf-distribution.js';

const haveCisaIt = haveData('vulnerability/cisa-csaf-it');
if (!haveCisaIt) console.warn('skipping the real ROLIE feed test: ../shared/data/vulnerability/cisa-csaf-it absent');

describe.skipIf(!haveCisaIt)('the real CISA IT ROLIE feed', () => {
  it('lists every advisory with its URL, updated time and hash / signature links', () => {
    const file = path.join(dataDir, 'vulnerability/cisa-csaf-it/cisa-csaf-it-feed-tlp-white.json');
    const result = parseRolieFeed(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(result.problems).toEqual([]);
    expect(result.entries.map((e) => e.id)).toEqual(['VA-24-254-02', 'VA-24-262-01', 'VA-24-201-01', 'VA-24-254-01']);
    const first = result.entries[0];
    expect(first?.url).toMatch(/\/va-24-254-02\.json$/);
    expect(first?.updated).toBe('2024-10-03T16:03:00Z');
    expect(first?.hashes).toEqual([{ algorithm: 'sha512', url: `${first?.url ?? ''}.sha512` }]);
    expect(first?.signature).toBe(`${first?.url ?? ''}.asc`);
  });
});

describe('provider metadata', () => {
  it('collects ROLIE feeds and directories of every distribution', () => {
    const meta = parseProviderMetadata(
      {
        canonical_url: 'https://example.com/.well-known/csaf/provider-metadata.json',
        publisher: { name: 'Example', category: 'vendor', namespace: 'https://example.com' },
        distributions: [
          { directory_url: 'https://example.com/.well-known/csaf/white/' },
          { rolie: { feeds: [{ summary: 'x', tlp_label: 'WHITE', url: 'https://example.com/feed.json' }] } },
          { nothing: true },
        ],
      },
      'pm.json',
    );
    expect(meta.publisher).toBe('Example');
    expect(meta.directories).toEqual(['https://example.com/.well-known/csaf/white/']);
    expect(meta.rolieFeeds).toEqual([{ url: 'https://example.com/feed.json', tlp: 'WHITE' }]);
    expect(meta.problems.map((p) => [p.code, p.record])).toEqual([['INTEL_FEED_RECORD_INVALID', 'distributions[2]']]);
  });
});

describe('directory distributions', () => {
  it('reads index.txt and changes.csv, reporting bad lines', () => {
    const index = parseCsafIndex('2024/a-1.json\n\n2024/b-2.json\nnot a path\n', 'index.txt');
    expect(index.entries.map((e) => e.url)).toEqual(['2024/a-1.json', '2024/b-2.json']);
    expect(index.problems.map((p) => p.record)).toEqual(['line 4']);
    const changes = parseCsafChanges('"2024/a-1.json","2024-10-03T16:03:00Z"\nbroken\n', 'changes.csv');
    expect(changes.entries.map((e) => [e.url, e.updated])).toEqual([['2024/a-1.json', '2024-10-03T16:03:00Z']]);
    expect(changes.problems.map((p) => p.code)).toEqual(['INTEL_FEED_RECORD_INVALID']);
  });
});

describe('hostile input', () => {
  it('yields only values and coded problems', () => {
    const codes = new Set<string>(INTEL_MATCH_ERROR_CODES);
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        for (const r of [
          parseProviderMetadata(value, 'x'),
          parseRolieFeed(value, 'x'),
          parseRolieFeed({ feed: { entry: [value] } }, 'x'),
          parseCsafIndex(text, 'x'),
          parseCsafChanges(text, 'x'),
        ]) {
          for (const p of r.problems) expect(codes.has(p.code)).toBe(true);
        }
      }),
    );
  });
});
