/**
 * @module findings
 * Findings as a service: every SBOM attached to a model and firmware matched against the stored
 * feeds with the model's VEX decisions, stored with content-addressed ids. A recompute covers a
 * scope — one SBOM (it was imported), a model's SBOMs (a VEX decision), the vulnerabilities of a
 * feed document (it was imported), or everything — and writes only the difference; each finding
 * opened, updated or closed is a domain event (`finding.opened`, `finding.updated`,
 * `finding.closed`), so the ledger holds the history of every finding.
 */
import { matchSubject, MatchCache, VulnerabilityIndex } from '@ward/intel';
import type { Component, EpssScore, FindingView, VexJustification, VexStatement } from '@ward/core';
import {
  nameKey,
  type FindingQuery,
  type NewFinding,
  type Page,
  type SbomAttachment,
  type SbomSummary,
  type StoredFinding,
  type Store,
} from '@ward/store';
import { digestOf } from './audit.js';
import type { Clock } from './clock.js';
import type { Actor, DomainEvents } from './events.js';

/** What a recompute covers; absent parts mean all. */
export interface FindingsScope {
  readonly sbomIds?: readonly string[];
  /** Vulnerability ids and aliases (CVE ids) whose records or enrichment changed. */
  readonly vulnerabilities?: readonly string[];
}

export interface FindingsReport {
  readonly opened: number;
  readonly updated: number;
  readonly closed: number;
  readonly unchanged: number;
}

/**
 * The SBOM identity in a finding's id: the document's SHA-256 and where it is attached. Content,
 * not the store's SBOM id, so the same document attached to the same firmware gives the same ids
 * in every store.
 */
export function sbomScopeOf(summary: SbomSummary, a: SbomAttachment): string {
  return `sha256:${summary.sha256}@${nameKey(a.manufacturer)}/${nameKey(a.model)}/${a.firmware}`;
}

export class FindingsService {
  constructor(
    readonly store: Store,
    private readonly events: DomainEvents,
    private readonly actor: Actor,
    private readonly clock: Clock,
  ) {}

  /** Recomputes the findings of `scope` and stores the difference. Re-running with the same inputs writes nothing. */
  async refresh(scope: FindingsScope = {}): Promise<FindingsReport> {
    const wanted = scope.vulnerabilities === undefined ? undefined : new Set(scope.vulnerabilities);
    const sboms = await this.store.software.listSboms();
    const summaries = scope.sbomIds === undefined ? sboms : sboms.filter((s) => scope.sbomIds?.includes(s.id));
    // Findings only exist on SBOMs: with none in scope there is nothing stored to change, and the
    // feeds (EPSS alone is ~250 000 rows) need not be read.
    if (summaries.length === 0 || wanted?.size === 0) return { opened: 0, updated: 0, closed: 0, unchanged: 0 };
    const records = (await this.store.vulnerabilities.listVulnerabilities())
      .map((v) => v.record)
      .filter((v) => wanted === undefined || wanted.has(v.id) || v.aliases.some((a) => wanted.has(a)));
    const index = VulnerabilityIndex.of(records);
    const kev = new Map((await this.store.vulnerabilities.listKev()).map((k) => [k.cve, k.record]));
    const epss = new Map<string, EpssScore>((await this.store.vulnerabilities.listEpss()).map((e) => [e.cve, e]));
    const cache = new MatchCache();
    const found: NewFinding[] = [];
    for (const summary of summaries) {
      const detail = await this.store.software.getSbom(summary.id);
      if (detail === undefined) continue;
      const components: Component[] = detail.components.map((c) => ({
        ref: c.ref,
        name: c.name,
        version: c.version,
        supplier: c.supplier,
        purl: c.purl,
        cpe: c.cpe,
        hashes: c.hashes,
        kind: c.kind,
      }));
      for (const a of summary.attachments) {
        const vex: VexStatement[] = (await this.store.software.vexDecisions(a)).map((d) => ({
          vulnerability: d.vulnerability,
          component: d.component,
          ...(d.versionRange === null ? {} : { versionRange: d.versionRange }),
          status: d.status,
          ...(d.justification === null ? {} : { justification: d.justification as VexJustification }),
          timestamp: d.decidedAt,
          origin: d.origin,
        }));
        const subject = { device: null, components, vex, sbom: sbomScopeOf(summary, a) };
        for (const finding of matchSubject(index, subject, { kev, epss }, cache)) {
          found.push({
            id: finding.id,
            sbomId: summary.id,
            manufacturer: a.manufacturer,
            model: a.model,
            firmware: a.firmware,
            digest: digestOf(finding),
            finding,
          });
        }
      }
    }
    const at = this.clock.now().toISOString();
    const storeScope = {
      ...(scope.sbomIds === undefined ? {} : { sbomIds: scope.sbomIds }),
      ...(wanted === undefined
        ? {}
        : { vulnerabilities: [...new Set(records.flatMap((v) => [v.id, ...v.aliases]).concat([...wanted]))] }),
    };
    const result = await this.store.findings.reconcile(storeScope, found, at);
    const announce = (type: string, rows: readonly StoredFinding[]) => {
      for (const row of rows) {
        this.events.publish({
          type,
          at,
          actor: this.actor,
          object: row.id,
          stored: { status: row.status, digest: row.digest },
        });
      }
    };
    announce('finding.opened', result.opened);
    announce('finding.updated', result.updated);
    announce('finding.closed', result.closed);
    return {
      opened: result.opened.length,
      updated: result.updated.length,
      closed: result.closed.length,
      unchanged: result.unchanged,
    };
  }

  list(query: FindingQuery): Promise<Page<StoredFinding>> {
    return this.store.findings.list(query);
  }

  get(id: string): Promise<StoredFinding | undefined> {
    return this.store.findings.get(id);
  }
}

/** A stored finding as `ward findings list --json` and the API print it. */
export function findingView(s: StoredFinding): FindingView {
  return {
    ...s.finding,
    manufacturer: s.manufacturer,
    model: s.model,
    firmware: s.firmware,
    sbom: s.sbomId,
    status: s.status,
    openedAt: s.openedAt,
    closedAt: s.closedAt,
  };
}
