import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCpe23 } from './cpe/cpe.js';
import { normalizePurl, purlIdentity } from './purl.js';
import { normalizeCpe } from './sbom-identity.js';

const word = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,11}$/);

describe('normalizeCpe', () => {
  it('accepts CPE 2.3 formatted strings as they are, with 11 fields after cpe:2.3:', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a', 'o', 'h'),
        word,
        word,
        fc.option(word, { nil: '*' }),
        (part, vendor, product, version) => {
          const cpe = `cpe:2.3:${part}:${vendor}:${product}:${version}:*:*:*:*:*:*:*`;
          const n = normalizeCpe(cpe);
          expect(n).toEqual({ ok: true, value: cpe });
          expect(splitCpe23(cpe)).toHaveLength(11);
        },
      ),
    );
  });

  it('converts CPE 2.2 URIs, percent-encoding and packed editions included', () => {
    expect(normalizeCpe('cpe:/a:microsoft:internet_explorer:8.0.6001:beta')).toEqual({
      ok: true,
      value: 'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*',
    });
    expect(normalizeCpe('cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~')).toEqual({
      ok: true,
      value: 'cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*',
    });
    expect(normalizeCpe('cpe:/a:foo%21bar:baz')).toEqual({
      ok: true,
      value: 'cpe:2.3:a:foo\\!bar:baz:*:*:*:*:*:*:*:*',
    });
    expect(normalizeCpe('cpe:/o:linux:linux_kernel:-')).toEqual({
      ok: true,
      value: 'cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*',
    });
  });

  it('a generated 2.2 URI converts to the 2.3 string with the same fields', () => {
    fc.assert(
      fc.property(fc.constantFrom('a', 'o', 'h'), word, word, word, (part, vendor, product, version) => {
        expect(normalizeCpe(`cpe:/${part}:${vendor}:${product}:${version}`)).toEqual({
          ok: true,
          value: `cpe:2.3:${part}:${vendor}:${product}:${version}:*:*:*:*:*:*:*`,
        });
      }),
    );
  });

  it('refuses malformed names and never throws', () => {
    for (const bad of [
      '',
      'cpe:2.3:a:b',
      'cpe:2.3:x:v:p:1:*:*:*:*:*:*:*',
      'cpe:2.3:a:v:p:1 0:*:*:*:*:*:*:*',
      'cpe:/q:v:p',
      'cpe:/a:v%zz:p',
      'nope',
    ]) {
      expect(normalizeCpe(bad).ok, bad).toBe(false);
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = normalizeCpe(s);
        if (r.ok) expect(r.value.startsWith('cpe:2.3:')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('normalizePurl', () => {
  it('canonicalises: lower-case type, sorted qualifiers', () => {
    expect(normalizePurl('pkg:APK/alpine/musl@1.2.3-r4?upstream=musl&arch=x86_64')).toEqual({
      ok: true,
      value: 'pkg:apk/alpine/musl@1.2.3-r4?arch=x86_64&upstream=musl',
    });
  });

  it('refuses the broken purls of the osv-scanner fixture', () => {
    for (const bad of ['pkg:pypi/', 'pkg:///', '/', 'pkg:apk/alpine/@1.36.1-r27?arch=x86_64', '']) {
      expect(normalizePurl(bad).ok, bad).toBe(false);
      // The matcher reads purls through the same reader: no identity for what the importer refuses.
      expect(purlIdentity(bad), bad).toBeNull();
    }
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('npm', 'pypi', 'maven', 'generic', 'deb'),
        word,
        word,
        word,
        (type, ns, name, version) => {
          const first = normalizePurl(`pkg:${type}/${ns}/${name}@${version}`);
          expect(first.ok).toBe(true);
          if (first.ok) expect(normalizePurl(first.value)).toEqual(first);
        },
      ),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        normalizePurl(s);
        normalizePurl(`pkg:${s}`);
      }),
      { numRuns: 1000 },
    );
  });
});
