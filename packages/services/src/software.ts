/**
 * @module software
 * What runs on the devices: SBOMs attached to a device model and firmware version, and the VEX
 * decisions made for a model (imported from VEX documents or SBOMs, or a person's decision), with
 * their export as CycloneDX, CSAF 2.0 VEX or OpenVEX. One user action is one write: an SBOM and
 * the VEX statements it carries are stored in one transaction. Every committed change is a domain
 * event (`sbom.imported`, `vex.recorded`).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  IntelError,
  VEX_JUSTIFICATIONS,
  componentIdentity,
  componentWithVersion,
  decisionApplies,
  decisionKeyOf,
  parseSbom,
  parseVex,
  validateCsafVex,
  validateCycloneDxVex,
  validateOpenVex,
  validateSbomSchema,
  writeCsafVex,
  writeCycloneDxVex,
  writeOpenVex,
  type ComponentIdentity,
  type IntelProblem,
  type Sbom,
  type VexDocumentInput,
  type VexJustification,
  type VexStatement,
} from '@ward/intel';
import type {
  ModelRef,
  NewSbom,
  SbomAttachment,
  SbomDetail,
  SbomFilter,
  SbomSummary,
  Store,
  VexDecision,
} from '@ward/store';
import type { Problem } from '@ward/core';
import type { Clock } from './clock.js';
import type { Actor, DomainEvents } from './events.js';
import type { FindingsService } from './findings.js';

export interface SbomImportInput {
  readonly bytes: Uint8Array;
  /** The file's name as the user knows it: named in every problem. */
  readonly file: string;
  readonly attachment: SbomAttachment;
}

export interface SbomImportOutcome {
  readonly file: string;
  /** null: not an SBOM Ward reads; nothing stored. */
  readonly sbom: SbomSummary | null;
  readonly created: boolean;
  readonly format: string | null;
  readonly schema: 'schema' | 'structural' | null;
  readonly components: number;
  readonly vexStatements: number;
  readonly problems: readonly IntelProblem[];
}

export interface VexImportInput {
  readonly bytes: Uint8Array;
  readonly file: string;
  readonly model: ModelRef;
  /** Who made the decisions; default: the document's author, else the manufacturer. */
  readonly author?: string;
}

export interface VexImportOutcome {
  readonly file: string;
  /** null: not a VEX document Ward reads; nothing stored. */
  readonly format: string | null;
  readonly decisions: number;
  readonly problems: readonly IntelProblem[];
}

export type VexExportFormat = 'cyclonedx' | 'csaf' | 'openvex';

export interface VexExportInput {
  readonly model: ModelRef;
  /** Only decisions that apply to a component of this firmware's SBOMs. */
  readonly firmware?: string;
  readonly format: VexExportFormat;
  readonly author?: string;
}

/** Turns VEX statements into decisions for a model (one per statement), recorded at `now`. */
export function decisionsFromStatements(
  statements: readonly VexStatement[],
  model: ModelRef,
  author: string,
  now: string,
): VexDecision[] {
  return statements.map((s) => {
    const key = decisionKeyOf(s);
    return {
      id: randomUUID(),
      manufacturer: model.manufacturer,
      model: model.model,
      vulnerability: s.vulnerability,
      componentIdentity: key.componentIdentity,
      component: s.component,
      componentName: s.componentName ?? null,
      componentVersion: key.componentVersion,
      versionRange: key.versionRange,
      status: s.status,
      justification: s.justification ?? null,
      sourceJustification: s.sourceJustification ?? null,
      impactStatement: s.impactStatement ?? null,
      actionStatement: s.actionStatement ?? null,
      author: s.author ?? author,
      decidedAt: now,
      origin: s.origin,
    };
  });
}

/** A stored decision as a statement again, for the writers. */
export function statementFromDecision(d: VexDecision): VexStatement {
  const base: VexStatement = {
    vulnerability: d.vulnerability,
    component: d.component,
    status: d.status,
    origin: d.origin,
    ...(d.componentName === null ? {} : { componentName: d.componentName }),
    ...(d.justification !== null && (VEX_JUSTIFICATIONS as readonly string[]).includes(d.justification)
      ? { justification: d.justification as VexJustification }
      : {}),
    ...(d.sourceJustification === null ? {} : { sourceJustification: d.sourceJustification }),
    ...(d.impactStatement === null ? {} : { impactStatement: d.impactStatement }),
    ...(d.actionStatement === null ? {} : { actionStatement: d.actionStatement }),
    author: d.author,
    timestamp: d.decidedAt,
  };
  if (d.versionRange !== null) return { ...base, versionRange: d.versionRange };
  if (d.componentVersion !== null && decisionKeyOf(base).componentVersion !== d.componentVersion) {
    // An exact version the key does not carry: written into the purl or CPE, else as a one-version range.
    const versioned = componentWithVersion(d.component, d.componentVersion);
    return versioned === null
      ? { ...base, versionRange: `vers:generic/${d.componentVersion}` }
      : { ...base, component: versioned };
  }
  return base;
}

/** The outcome for a document that is no SBOM Ward reads: nothing stored, every problem named. */
export function unreadSbom<P extends Problem>(
  file: string,
  problems: readonly P[],
): Omit<SbomImportOutcome, 'problems'> & { readonly sbom: null; readonly problems: readonly P[] } {
  return { file, sbom: null, created: false, format: null, schema: null, components: 0, vexStatements: 0, problems };
}

const fileNameOf = (file: string): string => file.split(/[\\/]/).pop() ?? file;

function newSbomOf(sbom: Sbom, input: SbomImportInput, now: string, vex: readonly VexDecision[]): NewSbom {
  return {
    id: randomUUID(),
    format: sbom.format,
    specVersion: sbom.specVersion,
    serial: sbom.serial,
    docVersion: sbom.version,
    subject: sbom.subject,
    fileName: fileNameOf(input.file),
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    importedAt: now,
    attachment: input.attachment,
    components: sbom.components.map((c) => ({
      ref: c.ref,
      name: c.name,
      version: c.version,
      group: c.group ?? null,
      supplier: c.supplier,
      purl: c.purl,
      cpe: c.cpe,
      kind: c.kind,
      hashes: c.hashes,
      parent: c.parent ?? null,
      endOfSupport: c.support?.endOfSupport ?? null,
      levelOfSupport: c.support?.levelOfSupport ?? null,
      identity: componentIdentity(c).identity,
    })),
    dependencies: sbom.dependencies,
    vex,
  };
}

/** The software service acting for one actor. */
export class SoftwareService {
  constructor(
    readonly store: Store,
    private readonly events: DomainEvents,
    private readonly actor: Actor,
    private readonly clock: Clock,
    private readonly findings?: FindingsService,
  ) {}

  /**
   * Parses an SBOM (format detected by content), validates it against its schema where one is
   * available, and stores it attached to the model and firmware with the VEX statements it
   * carries, in one transaction. The same document attached again changes nothing.
   */
  async importSbom(input: SbomImportInput): Promise<SbomImportOutcome> {
    const { file } = input;
    const { sbom, problems } = parseSbom(input.bytes, file);
    if (sbom === null) return unreadSbom(file, problems);
    const schema = await validateSbomSchema(input.bytes, file);
    const now = this.clock.now().toISOString();
    const vex = decisionsFromStatements(
      sbom.vex,
      { manufacturer: input.attachment.manufacturer, model: input.attachment.model },
      sbom.subject.manufacturer ?? input.attachment.manufacturer,
      now,
    );
    const stored = await this.store.software.importSbom(newSbomOf(sbom, input, now, vex));
    if (stored.created) {
      this.events.publish({
        type: 'sbom.imported',
        at: now,
        actor: this.actor,
        object: stored.sbom.id,
        stored: { sbom: stored.sbom, vex },
      });
      await this.findings?.refresh({ sbomIds: [stored.sbom.id] });
    }
    return {
      file,
      sbom: stored.sbom,
      created: stored.created,
      format: sbom.format,
      schema: schema.checked,
      components: sbom.components.length,
      vexStatements: stored.created ? vex.length : 0,
      problems: [...problems, ...schema.problems],
    };
  }

  listSboms(filter: SbomFilter = {}): Promise<readonly SbomSummary[]> {
    return this.store.software.listSboms(filter);
  }

  getSbom(id: string): Promise<SbomDetail | undefined> {
    return this.store.software.getSbom(id);
  }

  /** Records the statements of a VEX document (CycloneDX, CSAF 2.0 VEX, OpenVEX) as decisions for a model. */
  async importVex(input: VexImportInput): Promise<VexImportOutcome> {
    const parsed = parseVex(input.bytes, input.file);
    const author = input.author;
    const decisions = decisionsFromStatements(
      parsed.statements,
      input.model,
      author ?? input.model.manufacturer,
      this.clock.now().toISOString(),
    ).map((d) => (author === undefined ? d : { ...d, author }));
    await this.#record(decisions);
    return { file: input.file, format: parsed.format, decisions: decisions.length, problems: parsed.problems };
  }

  /** Records one person's decision. */
  async decide(model: ModelRef, statement: VexStatement, author: string): Promise<VexDecision> {
    if (
      statement.status === 'not_affected' &&
      statement.justification === undefined &&
      statement.impactStatement === undefined
    ) {
      throw new IntelError(
        'INTEL_VEX_JUSTIFICATION_MISSING',
        'not_affected needs a justification or an impact statement',
        {
          details: { field: 'justification' },
        },
      );
    }
    const [decision] = decisionsFromStatements([statement], model, author, this.clock.now().toISOString());
    if (decision === undefined) throw new Error('a statement gave no decision');
    await this.#record([decision]);
    return decision;
  }

  /** The current decision per vulnerability, component and version; or every one, oldest first. */
  listVex(model: ModelRef, options: { readonly history?: boolean } = {}): Promise<readonly VexDecision[]> {
    return options.history === true ? this.store.software.vexHistory(model) : this.store.software.vexDecisions(model);
  }

  /** The current decisions of a model as a VEX document (see `exportVexDocument`). */
  exportVex(input: VexExportInput): Promise<{ readonly document: string; readonly statements: number }> {
    return exportVexDocument(this.store, input, this.clock.now().toISOString());
  }

  async #record(decisions: readonly VexDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    await this.store.software.recordVexDecisions(decisions);
    this.events.publish({
      type: 'vex.recorded',
      at: decisions[0]?.decidedAt ?? this.clock.now().toISOString(),
      actor: this.actor,
      object: null,
      stored: decisions,
    });
    // The model's SBOMs are the findings a decision can change.
    const models = new Map(decisions.map((d) => [`${d.manufacturer}\u0000${d.model}`, d]));
    for (const d of models.values()) {
      const sboms = await this.store.software.listSboms({ manufacturer: d.manufacturer, model: d.model });
      if (sboms.length > 0) await this.findings?.refresh({ sbomIds: sboms.map((s) => s.id) });
    }
  }
}

/** The decisions that apply to a firmware version: those matching a component of its SBOMs. */
async function decisionsForFirmware(store: Store, model: ModelRef, firmware: string): Promise<VexDecision[]> {
  const decisions = await store.software.vexDecisions(model);
  const sboms = await store.software.listSboms({ ...model, firmware });
  const components: ComponentIdentity[] = [];
  for (const s of sboms) {
    const detail = await store.software.getSbom(s.id);
    for (const c of detail?.components ?? []) components.push(componentIdentity(c));
  }
  return decisions.filter((d) => components.some((c) => decisionApplies(d, c)));
}

/**
 * The current decisions of a model as a VEX document dated `now`, validated before it is returned
 * (INTEL_VEX_EMPTY when there are none, INTEL_VEX_SCHEMA when the document would not validate).
 * Reads only.
 */
export async function exportVexDocument(
  store: Store,
  input: VexExportInput,
  now: string,
): Promise<{ readonly document: string; readonly statements: number }> {
  const { model } = input;
  const decisions =
    input.firmware === undefined
      ? await store.software.vexDecisions(model)
      : await decisionsForFirmware(store, model, input.firmware);
  if (decisions.length === 0) {
    throw new IntelError('INTEL_VEX_EMPTY', `no VEX decisions for ${model.manufacturer} ${model.model}`, {
      details: { manufacturer: model.manufacturer, model: model.model, firmware: input.firmware ?? null },
    });
  }
  const document: VexDocumentInput = {
    product: { manufacturer: model.manufacturer, name: model.model, version: input.firmware ?? null },
    statements: decisions.map(statementFromDecision),
    author: input.author ?? model.manufacturer,
    timestamp: now,
  };
  const text =
    input.format === 'cyclonedx'
      ? writeCycloneDxVex(document)
      : input.format === 'csaf'
        ? writeCsafVex(document)
        : writeOpenVex(document);
  const problems =
    input.format === 'cyclonedx'
      ? await validateCycloneDxVex(text)
      : input.format === 'csaf'
        ? await validateCsafVex(text)
        : validateOpenVex(text);
  if (problems.length > 0) {
    throw new IntelError(
      'INTEL_VEX_SCHEMA',
      `the ${input.format} document does not validate: ${problems[0]?.message ?? ''}`,
      {
        details: { problems },
      },
    );
  }
  return { document: text, statements: decisions.length };
}
