/**
 * @module spdx-tag-value
 * Turns an SPDX 2.x tag-value document into the SPDX JSON document shape (the fields Ward reads),
 * so `sbom-spdx2.ts` reads both. Multi-line `<text>…</text>` values are joined; a line that is
 * neither `Tag: value`, a comment nor a continuation is reported with its line number.
 */
import type { ProblemSink } from './problem.js';

type Section = 'document' | 'package' | 'file' | 'snippet' | 'license';

interface MutablePackage {
  SPDXID?: string;
  name: string;
  versionInfo?: string;
  supplier?: string;
  originator?: string;
  primaryPackagePurpose?: string;
  validUntilDate?: string;
  externalRefs: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
  checksums: { algorithm: string; checksumValue: string }[];
}

/** Reads tag-value text into `{ spdxVersion, SPDXID, name, documentNamespace, packages, relationships }`. */
export function readSpdxTagValue(text: string, sink: ProblemSink): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const packages: MutablePackage[] = [];
  const relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[] = [];
  let section: Section = 'document';
  let pkg: MutablePackage | null = null;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*:\s?(.*)$/.exec(line);
    if (!m) {
      sink.add(
        'INTEL_SBOM_INVALID',
        `line ${String(i + 1)} is not "Tag: value"`,
        { record: `line ${String(i + 1)}`, field: null },
        'warning',
      );
      continue;
    }
    const tag = m[1] ?? '';
    let value = (m[2] ?? '').trim();
    if (value.startsWith('<text>')) {
      let body = value.slice('<text>'.length);
      while (!body.includes('</text>') && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i] ?? ''}`;
      }
      value = body.replace(/<\/text>[\s\S]*$/, '').trim();
    }
    switch (tag) {
      case 'PackageName':
        section = 'package';
        pkg = { name: value, externalRefs: [], checksums: [] };
        packages.push(pkg);
        continue;
      case 'FileName':
        section = 'file';
        continue;
      case 'SnippetSPDXID':
        section = 'snippet';
        continue;
      case 'LicenseID':
        section = 'license';
        continue;
      case 'Relationship': {
        const parts = value.split(/\s+/);
        if (parts.length >= 3) {
          relationships.push({
            spdxElementId: parts[0] ?? '',
            relationshipType: parts[1] ?? '',
            relatedSpdxElement: parts[2] ?? '',
          });
        } else {
          sink.add(
            'INTEL_SBOM_INVALID',
            `line ${String(i + 1)}: a relationship has three parts`,
            { record: `line ${String(i + 1)}`, field: 'Relationship' },
            'warning',
          );
        }
        continue;
      }
      default:
        break;
    }
    if (section === 'document') {
      if (tag === 'SPDXVersion') doc.spdxVersion = value;
      else if (tag === 'SPDXID') doc.SPDXID = value;
      else if (tag === 'DocumentName') doc.name = value;
      else if (tag === 'DocumentNamespace') doc.documentNamespace = value;
    } else if (section === 'package' && pkg !== null) {
      if (tag === 'SPDXID') pkg.SPDXID = value;
      else if (tag === 'PackageVersion') pkg.versionInfo = value;
      else if (tag === 'PackageSupplier') pkg.supplier = value;
      else if (tag === 'PackageOriginator') pkg.originator = value;
      else if (tag === 'PrimaryPackagePurpose') pkg.primaryPackagePurpose = value;
      else if (tag === 'ValidUntilDate') pkg.validUntilDate = value;
      else if (tag === 'PackageChecksum') {
        const c = /^([A-Za-z0-9-]+)\s*:\s*([0-9a-fA-F]+)$/.exec(value);
        if (c) pkg.checksums.push({ algorithm: c[1] ?? '', checksumValue: c[2] ?? '' });
        else
          sink.add(
            'INTEL_SBOM_INVALID',
            `line ${String(i + 1)}: checksum is "ALG: hex"`,
            { record: pkg.SPDXID ?? pkg.name, field: 'PackageChecksum' },
            'warning',
          );
      } else if (tag === 'ExternalRef') {
        const parts = value.split(/\s+/);
        if (parts.length >= 3) {
          pkg.externalRefs.push({
            referenceCategory: parts[0] ?? '',
            referenceType: parts[1] ?? '',
            referenceLocator: parts.slice(2).join(' '),
          });
        } else {
          sink.add(
            'INTEL_SBOM_INVALID',
            `line ${String(i + 1)}: ExternalRef has category, type and locator`,
            { record: pkg.SPDXID ?? pkg.name, field: 'ExternalRef' },
            'warning',
          );
        }
      }
    }
  }
  return { ...doc, packages, relationships };
}
