/**
 * @module software-repo
 * Persistence of SBOMs (attached to manufacturer + model + firmware, with components and dependency
 * edges) and of VEX decisions (per manufacturer + model, keyed by vulnerability + component identity
 * + version or range, with author and time). The store keeps what `@ward/intel` parsed; it does no
 * parsing or matching of its own. Decisions are append-only: the latest per key is the current one.
 */
import type { Kysely, Selectable } from 'kysely';
import { guard } from './errors.js';
import { chunks } from './batches.js';
import type { Database, SbomComponentsTable, SbomsTable, VexDecisionsTable } from './schema.js';

export interface SbomAttachment {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
}

export interface SoftwareComponentRow {
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  readonly group: string | null;
  readonly supplier: string | null;
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly kind: string | null;
  readonly hashes: readonly { readonly alg: string; readonly content: string }[];
  readonly parent: string | null;
  readonly endOfSupport: string | null;
  readonly levelOfSupport: string | null;
  /** The component's identity without its version (purl/CPE without version, else the name). */
  readonly identity: string;
}

export interface NewSbom {
  readonly id: string;
  readonly format: string;
  readonly specVersion: string;
  readonly serial: string | null;
  readonly docVersion: number | null;
  readonly subject: {
    readonly name: string | null;
    readonly version: string | null;
    readonly manufacturer: string | null;
  };
  readonly fileName: string;
  /** SHA-256 of the document's bytes, lower-case hex. */
  readonly sha256: string;
  readonly importedAt: string;
  readonly attachment: SbomAttachment;
  readonly components: readonly SoftwareComponentRow[];
  readonly dependencies: readonly { readonly from: string; readonly to: string }[];
  /**
   * The VEX decisions the document itself makes (CycloneDX embedded `vulnerabilities`): stored in
   * the same transaction as the SBOM, and only when the SBOM is new.
   */
  readonly vex?: readonly VexDecision[];
}

export interface SbomSummary {
  readonly id: string;
  readonly format: string;
  readonly specVersion: string;
  readonly serial: string | null;
  readonly docVersion: number | null;
  readonly subject: NewSbom['subject'];
  readonly fileName: string;
  readonly sha256: string;
  readonly componentCount: number;
  readonly importedAt: string;
  readonly attachments: readonly SbomAttachment[];
}

export interface SbomDetail extends SbomSummary {
  readonly components: readonly SoftwareComponentRow[];
  readonly dependencies: readonly { readonly from: string; readonly to: string }[];
}

export type VexDecisionStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexDecision {
  readonly id: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly vulnerability: string;
  /** purl or CPE without version, else the component name: what stays the same across SBOM versions. */
  readonly componentIdentity: string;
  /** The component as the statement named it (purl with version, CPE, bom-ref). */
  readonly component: string;
  readonly componentName: string | null;
  /** The exact version the decision is about, or null when it is about a range. */
  readonly componentVersion: string | null;
  readonly versionRange: string | null;
  readonly status: VexDecisionStatus;
  readonly justification: string | null;
  readonly sourceJustification: string | null;
  readonly impactStatement: string | null;
  readonly actionStatement: string | null;
  readonly author: string;
  readonly decidedAt: string;
  /** Where the decision came from: a VEX or SBOM file and record, or 'cli'. */
  readonly origin: string;
}

export interface SbomFilter {
  readonly manufacturer?: string | undefined;
  readonly model?: string | undefined;
  readonly firmware?: string | undefined;
}

export interface ModelRef {
  readonly manufacturer: string;
  readonly model: string;
}

export interface SoftwareRepository {
  /**
   * Stores an SBOM with its components and edges and attaches it, in one transaction. When the
   * same document (same SHA-256) is already attached to this manufacturer + model + firmware,
   * nothing is written and the stored one is returned with `created: false`. Its `vex` decisions
   * are part of the same write.
   */
  importSbom(sbom: NewSbom): Promise<{ readonly sbom: SbomSummary; readonly created: boolean }>;
  /** Newest first. Manufacturer and model compare case- and space-insensitively. */
  listSboms(filter?: SbomFilter): Promise<readonly SbomSummary[]>;
  getSbom(id: string): Promise<SbomDetail | undefined>;
  /** Records decisions in one transaction; earlier decisions with the same key stay as history. */
  recordVexDecisions(decisions: readonly VexDecision[]): Promise<void>;
  /** The current decision per vulnerability + component identity + version/range for a model. */
  vexDecisions(model: ModelRef): Promise<readonly VexDecision[]>;
  /** Every decision ever recorded for a model, oldest first. */
  vexHistory(model: ModelRef): Promise<readonly VexDecision[]>;
}

/** Manufacturer and model names compare without case and extra spaces ("Medtronic " = "medtronic"). */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

async function insertVexDecisions(trx: Kysely<Database>, decisions: readonly VexDecision[]): Promise<void> {
  for (const batch of chunks(decisions, 200)) {
    await trx
      .insertInto('vex_decisions')
      .values(
        batch.map((d) => ({
          id: d.id,
          manufacturer: d.manufacturer,
          model: d.model,
          manufacturer_key: nameKey(d.manufacturer),
          model_key: nameKey(d.model),
          vulnerability: d.vulnerability,
          component_identity: d.componentIdentity,
          component: d.component,
          component_name: d.componentName,
          component_version: d.componentVersion,
          version_range: d.versionRange,
          status: d.status,
          justification: d.justification,
          source_justification: d.sourceJustification,
          impact_statement: d.impactStatement,
          action_statement: d.actionStatement,
          author: d.author,
          decided_at: d.decidedAt,
          origin: d.origin,
        })),
      )
      .execute();
  }
}

function toComponent(row: Selectable<SbomComponentsTable>): SoftwareComponentRow {
  let hashes: SoftwareComponentRow['hashes'] = [];
  try {
    const parsed: unknown = JSON.parse(row.hashes);
    if (Array.isArray(parsed)) hashes = parsed as SoftwareComponentRow['hashes'];
  } catch {
    hashes = [];
  }
  return {
    ref: row.ref,
    name: row.name,
    version: row.version,
    group: row.group_name,
    supplier: row.supplier,
    purl: row.purl,
    cpe: row.cpe,
    kind: row.kind,
    hashes,
    parent: row.parent_ref,
    endOfSupport: row.end_of_support,
    levelOfSupport: row.level_of_support,
    identity: row.identity,
  };
}

function toDecision(row: Selectable<VexDecisionsTable>): VexDecision {
  return {
    id: row.id,
    manufacturer: row.manufacturer,
    model: row.model,
    vulnerability: row.vulnerability,
    componentIdentity: row.component_identity,
    component: row.component,
    componentName: row.component_name,
    componentVersion: row.component_version,
    versionRange: row.version_range,
    status: row.status as VexDecisionStatus,
    justification: row.justification,
    sourceJustification: row.source_justification,
    impactStatement: row.impact_statement,
    actionStatement: row.action_statement,
    author: row.author,
    decidedAt: row.decided_at,
    origin: row.origin,
  };
}

export class KyselySoftware implements SoftwareRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private async summaries(rows: readonly Selectable<SbomsTable>[]): Promise<SbomSummary[]> {
    if (rows.length === 0) return [];
    const attachments = await this.db
      .selectFrom('sbom_attachments')
      .selectAll()
      .where(
        'sbom_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('attached_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      format: r.format,
      specVersion: r.spec_version,
      serial: r.serial,
      docVersion: r.doc_version,
      subject: { name: r.subject_name, version: r.subject_version, manufacturer: r.subject_manufacturer },
      fileName: r.file_name,
      sha256: r.sha256,
      componentCount: r.component_count,
      importedAt: r.imported_at,
      attachments: attachments
        .filter((a) => a.sbom_id === r.id)
        .map((a) => ({ manufacturer: a.manufacturer, model: a.model, firmware: a.firmware })),
    }));
  }

  importSbom(sbom: NewSbom): Promise<{ readonly sbom: SbomSummary; readonly created: boolean }> {
    return guard('import SBOM', () =>
      this.db.transaction().execute(async (trx) => {
        const { manufacturer, model, firmware } = sbom.attachment;
        const manufacturerKey = nameKey(manufacturer);
        const modelKey = nameKey(model);
        const existing = await trx
          .selectFrom('sboms')
          .innerJoin('sbom_attachments', 'sbom_attachments.sbom_id', 'sboms.id')
          .selectAll('sboms')
          .where('sboms.sha256', '=', sbom.sha256)
          .where('sbom_attachments.manufacturer_key', '=', manufacturerKey)
          .where('sbom_attachments.model_key', '=', modelKey)
          .where('sbom_attachments.firmware', '=', firmware)
          .executeTakeFirst();
        if (existing !== undefined) {
          const [summary] = await new KyselySoftware(trx).summaries([existing]);
          if (summary !== undefined) return { sbom: summary, created: false };
        }
        await trx
          .insertInto('sboms')
          .values({
            id: sbom.id,
            format: sbom.format,
            spec_version: sbom.specVersion,
            serial: sbom.serial,
            doc_version: sbom.docVersion,
            subject_name: sbom.subject.name,
            subject_version: sbom.subject.version,
            subject_manufacturer: sbom.subject.manufacturer,
            file_name: sbom.fileName,
            sha256: sbom.sha256,
            component_count: sbom.components.length,
            imported_at: sbom.importedAt,
          })
          .execute();
        await trx
          .insertInto('sbom_attachments')
          .values({
            sbom_id: sbom.id,
            manufacturer,
            model,
            firmware,
            manufacturer_key: manufacturerKey,
            model_key: modelKey,
            attached_at: sbom.importedAt,
          })
          .execute();
        for (const batch of chunks(
          sbom.components.map((c, position) => ({
            sbom_id: sbom.id,
            ref: c.ref,
            position,
            name: c.name,
            version: c.version,
            group_name: c.group,
            supplier: c.supplier,
            purl: c.purl,
            cpe: c.cpe,
            kind: c.kind,
            hashes: JSON.stringify(c.hashes),
            parent_ref: c.parent,
            end_of_support: c.endOfSupport,
            level_of_support: c.levelOfSupport,
            identity: c.identity,
          })),
          400,
        )) {
          await trx.insertInto('sbom_components').values(batch).execute();
        }
        const edges = [...new Map(sbom.dependencies.map((d) => [`${d.from}\u0000${d.to}`, d])).values()];
        for (const batch of chunks(edges, 1000)) {
          await trx
            .insertInto('sbom_dependencies')
            .values(batch.map((d) => ({ sbom_id: sbom.id, from_ref: d.from, to_ref: d.to })))
            .execute();
        }
        await insertVexDecisions(trx, sbom.vex ?? []);
        const row = await trx.selectFrom('sboms').selectAll().where('id', '=', sbom.id).executeTakeFirstOrThrow();
        const [summary] = await new KyselySoftware(trx).summaries([row]);
        if (summary === undefined) throw new Error('the SBOM just stored is missing');
        return { sbom: summary, created: true };
      }),
    );
  }

  listSboms(filter: SbomFilter = {}): Promise<readonly SbomSummary[]> {
    return guard('list SBOMs', async () => {
      let query = this.db.selectFrom('sboms').selectAll('sboms');
      if (filter.manufacturer !== undefined || filter.model !== undefined || filter.firmware !== undefined) {
        const ids = this.db.selectFrom('sbom_attachments').select('sbom_id');
        let sub = ids;
        if (filter.manufacturer !== undefined) sub = sub.where('manufacturer_key', '=', nameKey(filter.manufacturer));
        if (filter.model !== undefined) sub = sub.where('model_key', '=', nameKey(filter.model));
        if (filter.firmware !== undefined) sub = sub.where('firmware', '=', filter.firmware);
        query = query.where('sboms.id', 'in', sub);
      }
      const rows = await query.orderBy('imported_at', 'desc').orderBy('id', 'desc').execute();
      return this.summaries(rows);
    });
  }

  getSbom(id: string): Promise<SbomDetail | undefined> {
    return guard('get SBOM', async () => {
      const row = await this.db.selectFrom('sboms').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) return undefined;
      const [summary] = await this.summaries([row]);
      if (summary === undefined) return undefined;
      const components = await this.db
        .selectFrom('sbom_components')
        .selectAll()
        .where('sbom_id', '=', id)
        .orderBy('position')
        .execute();
      const dependencies = await this.db
        .selectFrom('sbom_dependencies')
        .select(['from_ref', 'to_ref'])
        .where('sbom_id', '=', id)
        .orderBy('from_ref')
        .orderBy('to_ref')
        .execute();
      return {
        ...summary,
        components: components.map(toComponent),
        dependencies: dependencies.map((d) => ({ from: d.from_ref, to: d.to_ref })),
      };
    });
  }

  recordVexDecisions(decisions: readonly VexDecision[]): Promise<void> {
    return guard('record VEX decisions', async () => {
      if (decisions.length === 0) return;
      await this.db.transaction().execute((trx) => insertVexDecisions(trx, decisions));
    });
  }

  vexHistory(model: ModelRef): Promise<readonly VexDecision[]> {
    return guard('list VEX decisions', async () => {
      const rows = await this.db
        .selectFrom('vex_decisions')
        .selectAll()
        .where('manufacturer_key', '=', nameKey(model.manufacturer))
        .where('model_key', '=', nameKey(model.model))
        .orderBy('decided_at')
        .orderBy('id')
        .execute();
      return rows.map(toDecision);
    });
  }

  async vexDecisions(model: ModelRef): Promise<readonly VexDecision[]> {
    const current = new Map<string, VexDecision>();
    for (const d of await this.vexHistory(model)) {
      const key = [d.vulnerability, d.componentIdentity, d.componentVersion ?? '', d.versionRange ?? ''].join('\u0000');
      current.delete(key);
      current.set(key, d);
    }
    return [...current.values()];
  }
}
