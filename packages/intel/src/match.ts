/**
 * @module match
 * The matcher: which vulnerabilities affect which software components and devices, and why.
 *
 * - Components (from SBOMs) match purl specs by type + namespace + name and the ecosystem's
 *   version order (`purl-range`, `purl-exact`), and CPE configurations by NISTIR 7696 name
 *   matching over the whole SBOM, so AND trees and hardware + firmware pairs work
 *   (`cpe-config`, `cpe-hw-fw-pair`).
 * - Inventory devices (manufacturer, model, firmware) match CSAF / CVE 5 named products by
 *   normalised vendor and model and the product's version or range (`csaf-product-tree`,
 *   confidence medium); a match on names alone, without version evidence, is `name-only`, low.
 * - VEX statements apply per vulnerability + component (+ version range), never per CVE alone.
 * - KEV flag, EPSS score and the best CVSS come from every source that knows the CVE.
 *
 * Vulnerabilities are indexed by purl key, by CPE vendor:product and by normalised vendor, so a
 * subject costs O(components × candidates), not O(components × catalogue). Component-local results
 * (purl matches and single-component CPE trees) are cached by component identity across subjects.
 */
import { tryParseCpe, type Cpe } from './cpe/cpe.js';
import { CpeSubjects, evaluateConfigurations, keyOf, treeKeys, vulnerableKeys } from './cpe/cpe-config.js';
import { isCpeSuperset } from './cpe/cpe-match.js';
import { bestCvss } from './cvss.js';
import type { EpssScore, KevEntry } from '@ward/core';
import {
  findingId,
  type Component,
  type CpeNode,
  type CvssScore,
  type Finding,
  type FindingEvidence,
  type MatchableDevice,
  type MatchRule,
  type NamedProduct,
  type VersionRange,
  type VexStatement,
  type Vulnerability,
} from '@ward/core';
import {
  describeProductVersion,
  parseProductVersion,
  productVersionCovers,
  type ProductVersionSpec,
} from './product-version.js';
import { purlIdentity } from './purl.js';
import { normaliseModel, normaliseVendor } from './vendor-name.js';
import { describeRange, rangeContains } from './versions/range.js';
import { schemeOfRange } from './versions/scheme.js';
import { parseVers, versContains } from './versions/vers.js';

/** What is matched: a device with its SBOM's components, a stand-alone SBOM (device null), or a device alone. */
export interface MatchSubject {
  readonly device: MatchableDevice | null;
  readonly components: readonly Component[];
  /** VEX statements about this subject's product (e.g. embedded in its SBOM). */
  readonly vex?: readonly VexStatement[];
  /** The SBOM the components come from (`sbomIdentity`), part of each finding's id. */
  readonly sbom?: string;
}

export interface MatchOptions {
  readonly kev?: ReadonlyMap<string, KevEntry>;
  readonly epss?: ReadonlyMap<string, EpssScore>;
}

interface PurlEntry {
  readonly vuln: Vulnerability;
  readonly ranges: readonly VersionRange[];
  readonly purl: string;
  readonly qualifiers: Readonly<Record<string, string>>;
}
interface CpeEntry {
  readonly vuln: Vulnerability;
  readonly nodes: readonly CpeNode[];
  /** True when every tree is a flat OR of vulnerable matches: a component alone decides it. */
  readonly local: boolean;
  /** Every vendor:product the trees name; null when a criteria has wildcards there. */
  readonly keys: readonly string[] | null;
}
interface NamedEntry {
  readonly vuln: Vulnerability;
  readonly product: NamedProduct;
  readonly model: string;
  readonly spec: ProductVersionSpec;
}

const RULE_RANK: Readonly<Record<MatchRule, number>> = {
  'purl-exact': 0,
  'purl-range': 1,
  'cpe-hw-fw-pair': 2,
  'cpe-config': 3,
  'csaf-product-tree': 4,
  'name-only': 5,
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function isLocal(nodes: readonly CpeNode[]): boolean {
  return nodes.every(
    (n) => !n.negate && n.operator === 'OR' && n.children.length === 0 && n.matches.every((m) => m.vulnerable),
  );
}

/** The catalogue, indexed for matching. */
export class VulnerabilityIndex {
  readonly byPurl = new Map<string, PurlEntry[]>();
  readonly byCpe = new Map<string, CpeEntry[]>();
  readonly cpeWildcard: CpeEntry[] = [];
  /** Named products by normalised vendor, then normalised model. */
  readonly byVendor = new Map<string, Map<string, NamedEntry[]>>();
  /** Every CVSS score and alias known for an id, across sources. */
  private readonly cvssById = new Map<string, CvssScore[]>();
  private readonly aliasesById = new Map<string, Set<string>>();
  private readonly bestCvssCache = new Map<string, CvssScore | null>();
  private readonly aliasCache = new Map<string, readonly string[]>();
  private count = 0;

  static of(vulnerabilities: Iterable<Vulnerability>): VulnerabilityIndex {
    const index = new VulnerabilityIndex();
    for (const v of vulnerabilities) index.add(v);
    return index;
  }

  get size(): number {
    return this.count;
  }

  add(vuln: Vulnerability): void {
    this.count++;
    this.bestCvssCache.delete(vuln.id);
    this.aliasCache.delete(vuln.id);
    const scores = this.cvssById.get(vuln.id);
    if (scores === undefined) this.cvssById.set(vuln.id, [...vuln.cvss]);
    else scores.push(...vuln.cvss);
    const aliases = this.aliasesById.get(vuln.id) ?? new Set<string>();
    for (const a of vuln.aliases) aliases.add(a);
    this.aliasesById.set(vuln.id, aliases);
    if (vuln.withdrawn === true) return;
    for (const spec of vuln.affected) {
      switch (spec.kind) {
        case 'purl': {
          const id = purlIdentity(spec.purl);
          if (id !== null)
            push(this.byPurl, id.key, { vuln, ranges: spec.ranges, purl: spec.purl, qualifiers: id.qualifiers });
          break;
        }
        case 'cpe-config': {
          const all = treeKeys(spec.nodes);
          const entry: CpeEntry = {
            vuln,
            nodes: spec.nodes,
            local: isLocal(spec.nodes),
            keys: all.wildcard ? null : [...all.keys],
          };
          const { keys, wildcard } = vulnerableKeys(spec.nodes);
          for (const k of keys) push(this.byCpe, k, entry);
          if (wildcard) this.cpeWildcard.push(entry);
          break;
        }
        case 'named-product':
          for (const product of spec.products) {
            const vendor = normaliseVendor(product.vendor);
            const model = normaliseModel(product.product, product.vendor);
            let models = this.byVendor.get(vendor);
            if (models === undefined) this.byVendor.set(vendor, (models = new Map<string, NamedEntry[]>()));
            push(models, model, {
              vuln,
              product,
              model,
              spec: parseProductVersion(product.version, product.versionRange),
            });
          }
          break;
      }
    }
  }

  cvssOf(id: string): CvssScore | null {
    let best = this.bestCvssCache.get(id);
    if (best === undefined) {
      best = bestCvss(this.cvssById.get(id) ?? []);
      this.bestCvssCache.set(id, best);
    }
    return best;
  }

  aliasesOf(vuln: Vulnerability): readonly string[] {
    let aliases = this.aliasCache.get(vuln.id);
    if (aliases === undefined) {
      aliases = [...(this.aliasesById.get(vuln.id) ?? vuln.aliases)].filter((a) => a !== vuln.id);
      this.aliasCache.set(vuln.id, aliases);
    }
    return aliases;
  }
}

/** A finding before enrichment. */
interface RawFinding {
  readonly vuln: Vulnerability;
  readonly component: Component | null;
  readonly rule: MatchRule;
  readonly confidence: Finding['confidence'];
  readonly explanation: string;
  readonly because: Omit<FindingEvidence, 'vex'>;
}

const cpeCache = new Map<string, Cpe | null>();
function cachedCpe(text: string): Cpe | null {
  let cpe = cpeCache.get(text);
  if (cpe === undefined) {
    cpe = tryParseCpe(text);
    if (cpeCache.size > 1_000_000) cpeCache.clear();
    cpeCache.set(text, cpe);
  }
  return cpe;
}

function versionOf(component: Component): string | null {
  const fromPurl = component.purl === null ? null : (purlIdentity(component.purl)?.version ?? null);
  return fromPurl ?? component.version;
}

function componentLabel(c: Component): string {
  return c.version === null ? c.name : `${c.name}@${c.version}`;
}

function purlFindings(index: VulnerabilityIndex, component: Component): RawFinding[] {
  if (component.purl === null) return [];
  const id = purlIdentity(component.purl);
  if (id === null) return [];
  const version = id.version ?? component.version;
  if (version === null) return [];
  const out: RawFinding[] = [];
  for (const entry of index.byPurl.get(id.key) ?? []) {
    // A distro-specific advisory applies only to packages of that distro release.
    const distro = entry.qualifiers['distro'];
    if (distro !== undefined && id.qualifiers['distro'] !== undefined && id.qualifiers['distro'] !== distro) continue;
    for (const range of entry.ranges) {
      if (!rangeContains(range, version, schemeOfRange(range.scheme))) continue;
      const exact = range.versions !== undefined && range.versions.length > 0 && !range.introduced && !range.fixed;
      const rule = exact ? 'purl-exact' : 'purl-range';
      const described = describeRange(range);
      out.push({
        vuln: entry.vuln,
        component,
        rule,
        confidence: 'high',
        explanation: `purl ${id.key} version ${version} in ${described} per ${entry.vuln.origin}`,
        because: {
          rule,
          matchedOn: 'purl',
          componentValue: component.purl,
          componentVersion: version,
          advisoryValue: entry.purl,
          range: described,
          origin: entry.vuln.origin,
        },
      });
      break;
    }
  }
  return out;
}

function cpeFindings(entry: CpeEntry, subjects: CpeSubjects<Component>): RawFinding[] {
  const out: RawFinding[] = [];
  for (const config of evaluateConfigurations(entry.nodes, subjects)) {
    for (const hit of config.hits) {
      const rule = config.pairedWithHardware ? 'cpe-hw-fw-pair' : 'cpe-config';
      out.push({
        vuln: entry.vuln,
        component: hit.subject.ref,
        rule,
        confidence: hit.confidence,
        explanation: `CPE ${hit.explanation}${config.pairedWithHardware ? ' together with its hardware' : ''} per ${entry.vuln.origin}`,
        because: {
          rule,
          matchedOn: 'cpe',
          componentValue: hit.subject.ref.cpe ?? '',
          componentVersion: hit.subject.version,
          advisoryValue: hit.match.criteria,
          range: hit.match.range === undefined ? null : describeRange(hit.match.range),
          origin: entry.vuln.origin,
        },
      });
    }
  }
  return out;
}

/** What a component brings to every subject it is in: computed once per run. */
interface Profile {
  readonly id: number;
  readonly cpe: Cpe | null;
  readonly cpeVersion: string | null;
  readonly key: string | null;
  /** Findings that depend on this component alone (purl ranges, flat CPE trees). */
  readonly local: readonly RawFinding[];
  /** Catalogue entries whose trees need the rest of the SBOM (AND, negate, non-vulnerable parts). */
  readonly nonLocal: readonly CpeEntry[];
}

/** Per-run cache: component profiles, and results of non-local trees per set of relevant components. */
export class MatchCache {
  readonly byObject = new WeakMap<Component, Profile>();
  readonly byIdentity = new Map<string, Profile>();
  readonly trees = new Map<
    CpeEntry,
    Map<string, readonly { readonly profile: number; readonly finding: RawFinding }[]>
  >();
  nextId = 0;
}

function profileOf(index: VulnerabilityIndex, component: Component, cache: MatchCache): Profile {
  const known = cache.byObject.get(component);
  if (known !== undefined) return known;
  const identity = `${component.purl ?? ''}\u0000${component.cpe ?? ''}\u0000${component.version ?? ''}`;
  let profile = cache.byIdentity.get(identity);
  if (profile === undefined) {
    const cpe = component.cpe === null ? null : cachedCpe(component.cpe);
    const cpeVersion = cpe?.version.kind === 'value' ? cpe.version.text : null;
    const key = cpe === null ? null : keyOf(cpe);
    const local = purlFindings(index, component);
    const nonLocal: CpeEntry[] = [];
    if (cpe !== null) {
      const single = new CpeSubjects<Component>();
      single.add({ cpe, version: cpeVersion ?? versionOf(component), ref: component });
      for (const entry of key === null ? [] : (index.byCpe.get(key) ?? [])) {
        if (entry.local) local.push(...cpeFindings(entry, single));
        else nonLocal.push(entry);
      }
      for (const entry of index.cpeWildcard) if (entry.local) local.push(...cpeFindings(entry, single));
    }
    profile = { id: cache.nextId++, cpe, cpeVersion, key, local, nonLocal };
    if (cache.byIdentity.size > 2_000_000) cache.byIdentity.clear();
    cache.byIdentity.set(identity, profile);
  }
  cache.byObject.set(component, profile);
  return profile;
}

/** Matches one subject against the index. */
export function matchSubject(
  index: VulnerabilityIndex,
  subject: MatchSubject,
  options: MatchOptions = {},
  cache: MatchCache = new MatchCache(),
): Finding[] {
  return matchSubjectParts(index, subject, subject.components, subject.device !== null, options, cache);
}

/** Matches the given components of a subject (and its device's named products when asked). */
function matchSubjectParts(
  index: VulnerabilityIndex,
  subject: MatchSubject,
  components: readonly Component[],
  matchDevice: boolean,
  options: MatchOptions,
  cache: MatchCache,
): Finding[] {
  const raw: RawFinding[] = [];
  const profiles = new Map<number, Component[]>();
  /** Profile ids of this subject's CPE components by vendor:product, for memo signatures. */
  const byKey = new Map<string, number[]>();
  const withCpe: { readonly profile: Profile; readonly component: Component }[] = [];
  let nonLocal: Set<CpeEntry> | null = null;
  for (const component of components) {
    const profile = profileOf(index, component, cache);
    const same = profiles.get(profile.id);
    if (same === undefined) profiles.set(profile.id, [component]);
    else same.push(component);
    if (profile.cpe !== null) {
      withCpe.push({ profile, component });
      if (profile.key !== null) push(byKey, profile.key, profile.id);
    }
    for (const f of profile.local) raw.push(f.component === component ? f : { ...f, component });
    if (profile.nonLocal.length > 0) {
      nonLocal ??= new Set();
      for (const e of profile.nonLocal) nonLocal.add(e);
    }
  }
  for (const entry of index.cpeWildcard) {
    if (!entry.local) (nonLocal ??= new Set()).add(entry);
  }
  let subjects: CpeSubjects<Component> | null = null;
  for (const entry of nonLocal ?? []) {
    // The result depends only on the components under the keys the trees name: memoise on them.
    let signature: string | null = null;
    if (entry.keys !== null) {
      const ids: number[] = [];
      for (const k of entry.keys) for (const id of byKey.get(k) ?? []) ids.push(id);
      signature = ids.sort((x, y) => x - y).join(',');
    }
    let memo = signature === null ? undefined : cache.trees.get(entry)?.get(signature);
    if (memo === undefined) {
      if (subjects === null) {
        subjects = new CpeSubjects<Component>();
        for (const { profile, component } of withCpe) {
          subjects.add({
            cpe: profile.cpe as Cpe,
            version: profile.cpeVersion ?? versionOf(component),
            ref: component,
          });
        }
      }
      memo = cpeFindings(entry, subjects).map((finding) => ({
        profile: finding.component === null ? -1 : profileOf(index, finding.component, cache).id,
        finding,
      }));
      if (signature !== null) {
        let bySignature = cache.trees.get(entry);
        if (bySignature === undefined) {
          bySignature = new Map<string, readonly { readonly profile: number; readonly finding: RawFinding }[]>();
          cache.trees.set(entry, bySignature);
        }
        bySignature.set(signature, memo);
      }
    }
    for (const { profile, finding } of memo) {
      // Every component of this SBOM with the same identity gets the finding (an SBOM may list one twice).
      for (const component of profiles.get(profile) ?? []) {
        raw.push(finding.component === component ? finding : { ...finding, component });
      }
    }
  }
  if (matchDevice && subject.device !== null) raw.push(...namedFindings(index, subject.device));
  return finalise(index, subject, raw, options);
}

function namedFindings(index: VulnerabilityIndex, device: MatchableDevice): RawFinding[] {
  const out: RawFinding[] = [];
  const model = normaliseModel(device.model, device.manufacturer);
  const modelBare = normaliseModel(device.model);
  const models = index.byVendor.get(normaliseVendor(device.manufacturer));
  // Models compare whole (normalised): a model whose name merely contains another's is another model.
  const entries = [...(models?.get(model) ?? []), ...(model === modelBare ? [] : (models?.get(modelBare) ?? []))];
  for (const entry of entries) {
    const covers = device.firmware === null ? null : productVersionCovers(entry.spec, device.firmware);
    if (covers === false) continue;
    const described = describeProductVersion(entry.spec);
    const what = `${entry.product.vendor} ${entry.product.product} (${described})`;
    const evidence = {
      matchedOn: 'product',
      componentValue: `${device.manufacturer} ${device.model}`,
      componentVersion: device.firmware,
      advisoryValue: `${entry.product.vendor} ${entry.product.product}`,
      origin: entry.vuln.origin,
    } as const;
    if (covers === true) {
      out.push({
        vuln: entry.vuln,
        component: null,
        rule: 'csaf-product-tree',
        confidence: 'medium',
        explanation: `device ${device.manufacturer} ${device.model} firmware ${device.firmware ?? ''} is ${what}, product ${entry.product.productId} per ${entry.vuln.origin}`,
        because: { ...evidence, rule: 'csaf-product-tree', range: described },
      });
    } else {
      out.push({
        vuln: entry.vuln,
        component: null,
        rule: 'name-only',
        confidence: 'low',
        explanation: `name-only: device ${device.manufacturer} ${device.model}${device.firmware === null ? ' (firmware unknown)' : ` firmware ${device.firmware}`} is named in ${what}, but the version could not be checked, per ${entry.vuln.origin}`,
        because: { ...evidence, rule: 'name-only', range: null },
      });
    }
  }
  return out;
}

function matchesVersionRange(range: string | undefined, version: string | null, scheme: string): boolean {
  if (range === undefined) return true;
  if (version === null) return false;
  try {
    const r = parseVers(range);
    return versContains(r, version, schemeOfRange(r.scheme === 'all' ? scheme : r.scheme));
  } catch {
    return false;
  }
}

/** Whether a VEX statement speaks about this finding's vulnerability and component (and version). */
export function vexApplies(
  stmt: VexStatement,
  vulnIds: ReadonlySet<string>,
  component: Component | null,
  device: MatchableDevice | null,
): boolean {
  if (!vulnIds.has(stmt.vulnerability) && !(stmt.aliases ?? []).some((a) => vulnIds.has(a))) return false;
  if (component === null) {
    if (device === null) return false;
    return normaliseModel(stmt.component, device.manufacturer) === normaliseModel(device.model, device.manufacturer);
  }
  const version = versionOf(component);
  if (stmt.component.startsWith('pkg:')) {
    const s = purlIdentity(stmt.component);
    const c = component.purl === null ? null : purlIdentity(component.purl);
    if (s === null || c === null || s.key !== c.key) return false;
    if (s.version !== null && s.version !== version) return false;
    return matchesVersionRange(stmt.versionRange, version, c.type);
  }
  if (stmt.component.startsWith('cpe:')) {
    const s = cachedCpe(stmt.component);
    const c = component.cpe === null ? null : cachedCpe(component.cpe);
    if (s === null || c === null || !isCpeSuperset(s, c)) return false;
    return matchesVersionRange(stmt.versionRange, version, 'generic');
  }
  if (stmt.component !== component.ref && stmt.component !== component.name) return false;
  return matchesVersionRange(stmt.versionRange, version, 'generic');
}

/** The statement that decides: version-specific before general, then the latest. */
function decidingVex(candidates: readonly VexStatement[]): VexStatement | null {
  let best: VexStatement | null = null;
  for (const s of candidates) {
    if (best === null) {
      best = s;
      continue;
    }
    const specific = (x: VexStatement): number => (x.versionRange !== undefined || /@/.test(x.component) ? 1 : 0);
    const d = specific(s) - specific(best);
    if (d > 0 || (d === 0 && (s.timestamp ?? '') > (best.timestamp ?? ''))) best = s;
  }
  return best;
}

function finalise(
  index: VulnerabilityIndex,
  subject: MatchSubject,
  raw: readonly RawFinding[],
  options: MatchOptions,
): Finding[] {
  const best = new Map<string, RawFinding>();
  for (const f of raw) {
    const key = `${f.component?.ref ?? ''}\u0000${f.vuln.id}`;
    const prev = best.get(key);
    if (prev === undefined || RULE_RANK[f.rule] < RULE_RANK[prev.rule]) best.set(key, f);
  }
  const device = subject.device;
  const out: Finding[] = [];
  for (const f of best.values()) {
    const aliases = index.aliasesOf(f.vuln);
    const ids = [f.vuln.id, ...aliases];
    const vex =
      subject.vex === undefined || subject.vex.length === 0
        ? null
        : decidingVex(subject.vex.filter((s) => vexApplies(s, new Set(ids), f.component, device)));
    const kev = options.kev !== undefined && ids.some((id) => options.kev?.has(id) === true);
    let epss: number | null = null;
    if (options.epss !== undefined) {
      for (const id of ids) {
        const e = options.epss.get(id);
        if (e !== undefined) epss = Math.max(epss ?? 0, e.epss);
      }
    }
    const c = f.component;
    out.push({
      id: findingId({
        device: device?.id ?? null,
        sbom: subject.sbom ?? null,
        component: c === null ? null : { ref: c.ref, purl: c.purl, cpe: c.cpe },
        vulnerability: f.vuln.id,
      }),
      device: device?.id ?? null,
      component:
        c === null
          ? `${device?.model ?? ''}${device?.firmware == null ? '' : ` ${device.firmware}`}`
          : componentLabel(c),
      purl: c?.purl ?? null,
      cpe: c?.cpe ?? null,
      vulnerability: f.vuln.id,
      aliases: [...aliases],
      source: f.vuln.source,
      matchedBy: f.rule,
      confidence: f.confidence,
      explanation:
        f.explanation +
        (vex === null
          ? ''
          : `; VEX ${vex.status}${vex.justification === undefined ? '' : ` (${vex.justification})`} per ${vex.origin}`),
      cvss: index.cvssOf(f.vuln.id),
      kev,
      epss,
      vexStatus: vex?.status ?? null,
      justification: vex?.justification ?? null,
      because: {
        ...f.because,
        vex: vex === null ? null : { status: vex.status, justification: vex.justification ?? null, origin: vex.origin },
      },
    });
  }
  return out.sort((a, b) =>
    a.component < b.component
      ? -1
      : a.component > b.component
        ? 1
        : a.vulnerability < b.vulnerability
          ? -1
          : a.vulnerability > b.vulnerability
            ? 1
            : 0,
  );
}

/** Matches many subjects; component-local results are shared between them. */
export function matchAll(
  index: VulnerabilityIndex,
  subjects: Iterable<MatchSubject>,
  options: MatchOptions = {},
): Finding[] {
  const cache = new MatchCache();
  const out: Finding[] = [];
  for (const s of subjects) for (const f of matchSubject(index, s, options, cache)) out.push(f);
  return out;
}

/** The fleet indexed the other way round: which subjects, and which of their components, one new advisory could touch. */
export class FleetIndex {
  private readonly byPurl = new Map<string, Map<MatchSubject, Component[]>>();
  private readonly byCpe = new Map<string, Map<MatchSubject, Component[]>>();
  private readonly byModel = new Map<string, MatchSubject[]>();
  private readonly withCpe = new Map<MatchSubject, Component[]>();

  constructor(subjects: Iterable<MatchSubject>) {
    for (const s of subjects) this.add(s);
  }

  add(subject: MatchSubject): void {
    const put = (map: Map<string, Map<MatchSubject, Component[]>>, key: string, c: Component): void => {
      let bySubject = map.get(key);
      if (bySubject === undefined) map.set(key, (bySubject = new Map<MatchSubject, Component[]>()));
      const list = bySubject.get(subject);
      if (list === undefined) bySubject.set(subject, [c]);
      else list.push(c);
    };
    const cpeComponents: Component[] = [];
    for (const c of subject.components) {
      const id = c.purl === null ? null : purlIdentity(c.purl);
      if (id !== null) put(this.byPurl, id.key, c);
      const cpe = c.cpe === null ? null : cachedCpe(c.cpe);
      if (cpe === null) continue;
      cpeComponents.push(c);
      const key = keyOf(cpe);
      if (key !== null) put(this.byCpe, key, c);
    }
    if (cpeComponents.length > 0) this.withCpe.set(subject, cpeComponents);
    if (subject.device !== null)
      push(this.byModel, deviceKey(subject.device.manufacturer, subject.device.model), subject);
  }

  /** Subjects sharing a purl key, CPE vendor:product or vendor + model with the vulnerability. */
  candidates(vuln: Vulnerability): Set<MatchSubject> {
    return new Set(this.relevant(vuln).keys());
  }

  /** Per candidate subject: its components under the vulnerability's keys, and whether its device's model is named. */
  relevant(vuln: Vulnerability): Map<MatchSubject, { components: Set<Component>; device: boolean }> {
    const out = new Map<MatchSubject, { components: Set<Component>; device: boolean }>();
    const entry = (s: MatchSubject): { components: Set<Component>; device: boolean } => {
      let e = out.get(s);
      if (e === undefined) out.set(s, (e = { components: new Set(), device: false }));
      return e;
    };
    const addAll = (bySubject: ReadonlyMap<MatchSubject, readonly Component[]> | undefined): void => {
      if (bySubject === undefined) return;
      for (const [s, cs] of bySubject) {
        const e = entry(s);
        for (const c of cs) e.components.add(c);
      }
    };
    for (const spec of vuln.affected) {
      if (spec.kind === 'purl') {
        const id = purlIdentity(spec.purl);
        if (id !== null) addAll(this.byPurl.get(id.key));
      } else if (spec.kind === 'cpe-config') {
        // Subjects need a vulnerable key; their components under every key of the tree then count.
        const { keys: vulnerable, wildcard } = vulnerableKeys(spec.nodes);
        if (wildcard) {
          addAll(this.withCpe);
          continue;
        }
        const subjects = new Set<MatchSubject>();
        for (const k of vulnerable) for (const s of this.byCpe.get(k)?.keys() ?? []) subjects.add(s);
        if (subjects.size === 0) continue;
        const all = treeKeys(spec.nodes);
        for (const k of all.keys) {
          for (const [s, cs] of this.byCpe.get(k) ?? []) {
            if (!subjects.has(s)) continue;
            const e = entry(s);
            for (const c of cs) e.components.add(c);
          }
        }
      } else {
        for (const p of spec.products)
          for (const s of this.byModel.get(deviceKey(p.vendor, p.product)) ?? []) entry(s).device = true;
      }
    }
    return out;
  }
}

const deviceKey = (vendor: string, model: string): string =>
  `${normaliseVendor(vendor)}|${normaliseModel(model, vendor)}`;

/**
 * One new advisory against the whole fleet: only subjects that share an identifier with it are
 * looked at, and of those only the components under its purl keys and CPE vendor:product keys.
 */
export function matchNewVulnerability(fleet: FleetIndex, vuln: Vulnerability, options: MatchOptions = {}): Finding[] {
  const index = VulnerabilityIndex.of([vuln]);
  const out: Finding[] = [];
  const cache = new MatchCache();
  for (const [subject, { components, device }] of fleet.relevant(vuln)) {
    for (const f of matchSubjectParts(index, subject, [...components], device, options, cache)) out.push(f);
  }
  return out;
}
