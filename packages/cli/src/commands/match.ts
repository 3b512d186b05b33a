/**
 * @module commands/match
 * `ward match --sbom FILE... --inventory FILE --vulns PATH... [--json]`: stateless matching, no
 * store. SBOMs attach to every inventory device with the same (normalised) manufacturer and model,
 * or stand alone (`device: null`); devices without an SBOM are matched on their own (CSAF named
 * products). `--vulns` takes files or folders of any supported feed, detected by content; KEV and
 * EPSS files among them enrich the findings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { sbomIdentity, type Problem } from '@ward/core';
import {
  IntelMatchError,
  matchAll,
  normaliseModel,
  normaliseVendor,
  parseFeed,
  parseInventory,
  parseSbom,
  VulnerabilityIndex,
  type EpssScore,
  type Finding,
  type MatchableDevice,
  type KevEntry,
  type MatchSubject,
  type Sbom,
  type Vulnerability,
} from '@ward/intel';
import { emit } from '../context.js';
import { CliError } from '../errors.js';
import { table, type CliIo } from '../io.js';

interface MatchFlags {
  readonly sbom?: readonly string[];
  readonly inventory?: string;
  readonly vulns: readonly string[];
  readonly json?: boolean;
}

/** A problem met while reading the inputs, as the JSON output lists it. */
type InputProblem = Problem;

function readInput(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('CLI_INPUT', `${flag} ${file}: cannot read it`, { cause: error, details: { file } });
  }
}

/** Files under a path, recursively, in a stable order. */
export function filesUnder(p: string, flag = '--vulns'): string[] {
  let stat;
  try {
    stat = statSync(p);
  } catch (error) {
    throw new CliError('CLI_INPUT', `${flag} ${p}: no such file or folder`, { cause: error, details: { file: p } });
  }
  if (!stat.isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => filesUnder(path.join(p, name), flag));
}

export interface MatchInputs {
  readonly vulnerabilities: Vulnerability[];
  readonly kev: Map<string, KevEntry>;
  readonly epss: Map<string, EpssScore>;
  readonly problems: InputProblem[];
}

export async function loadFeeds(paths: readonly string[]): Promise<MatchInputs> {
  const out: MatchInputs = { vulnerabilities: [], kev: new Map(), epss: new Map(), problems: [] };
  for (const p of paths) {
    const direct = !statSafe(p);
    for (const file of filesUnder(p)) {
      const result = await parseFeed(readInput(file, '--vulns'), file);
      // Inside a folder, files that are no feed at all (READMEs, schemas) are skipped quietly.
      if (result.kind === 'unrecognised') {
        if (direct) out.problems.push(...result.problems);
        continue;
      }
      out.problems.push(...result.problems);
      if (result.kind === 'vulnerabilities') out.vulnerabilities.push(...result.vulnerabilities);
      else if (result.kind === 'kev') for (const k of result.kev) out.kev.set(k.cve, k);
      else for (const e of result.epss) out.epss.set(e.cve, e);
    }
  }
  return out;
}

function statSafe(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Pairs SBOMs with devices: same normalised manufacturer and model. */
export function subjectsOf(devices: readonly MatchableDevice[], sboms: readonly Sbom[]): MatchSubject[] {
  const subjects: MatchSubject[] = [];
  const attached = new Set<MatchableDevice>();
  for (const sbom of sboms) {
    const maker = sbom.subject.manufacturer;
    const model = sbom.subject.name;
    const owners =
      maker === null || model === null
        ? []
        : devices.filter(
            (d) =>
              normaliseVendor(d.manufacturer) === normaliseVendor(maker) &&
              normaliseModel(d.model, d.manufacturer) === normaliseModel(model, maker),
          );
    const identity = sbomIdentity(sbom);
    if (owners.length === 0)
      subjects.push({ device: null, components: sbom.components, vex: sbom.vex, sbom: identity });
    for (const device of owners) {
      attached.add(device);
      subjects.push({ device, components: sbom.components, vex: sbom.vex, sbom: identity });
    }
  }
  for (const device of devices) if (!attached.has(device)) subjects.push({ device, components: [] });
  return subjects;
}

/** The public JSON shape of one finding (field names fixed by the `ward match` contract). */
function publicFinding(f: Finding): Record<string, unknown> {
  return {
    id: f.id,
    device: f.device,
    component: f.component,
    purl: f.purl,
    cpe: f.cpe,
    vulnerability: f.vulnerability,
    aliases: f.aliases,
    source: f.source,
    matchedBy: f.matchedBy,
    confidence: f.confidence,
    cvss: f.cvss,
    kev: f.kev,
    epss: f.epss,
    vexStatus: f.vexStatus,
    justification: f.justification,
    explanation: f.explanation,
    because: f.because,
  };
}

export function matchCommand(program: Command, io: CliIo): void {
  program
    .command('match')
    .description('match SBOMs and an inventory against vulnerability feeds, without a store')
    .option('--sbom <files...>', 'SBOM files (CycloneDX, SPDX)')
    .option('--inventory <file>', 'FHIR R4 Bundle of Devices, or CSV with id,manufacturer,model,firmware')
    .requiredOption('--vulns <paths...>', 'feed files or folders: NVD API 2.0, CVE JSON 5, OSV, CSAF, KEV, EPSS')
    .option('--json', 'print {"findings":[…]} as JSON')
    .action(async (flags: MatchFlags) => {
      const feeds = await loadFeeds(flags.vulns);
      const problems: InputProblem[] = [...feeds.problems];
      const devices: MatchableDevice[] = [];
      if (flags.inventory !== undefined) {
        const inv = parseInventory(readInput(flags.inventory, '--inventory'), flags.inventory);
        const fatal = inv.problems.find((p) => p.record === null);
        if (fatal !== undefined) {
          throw new IntelMatchError(fatal.code, `--inventory ${flags.inventory}: ${fatal.message}`, {
            details: { file: fatal.file, field: fatal.field },
          });
        }
        devices.push(...inv.devices);
        problems.push(...inv.problems);
      }
      const sboms: Sbom[] = [];
      for (const file of flags.sbom ?? []) {
        const parsed = parseSbom(readInput(file, '--sbom'), file);
        problems.push(...parsed.problems);
        if (parsed.sbom === null)
          throw new CliError('CLI_INPUT', `--sbom ${file}: not an SBOM Ward can read`, { details: { file } });
        sboms.push(parsed.sbom);
      }
      if (sboms.length === 0 && devices.length === 0) {
        throw new CliError('CLI_USAGE', 'give --sbom files, an --inventory, or both', { details: { field: 'sbom' } });
      }
      const index = VulnerabilityIndex.of(feeds.vulnerabilities);
      const findings = matchAll(index, subjectsOf(devices, sboms), { kev: feeds.kev, epss: feeds.epss });
      emit(io, flags, { findings: findings.map(publicFinding), problems }, () =>
        findings.length === 0
          ? `No findings (${String(sboms.length)} SBOMs, ${String(devices.length)} devices, ${String(index.size)} vulnerabilities).\n`
          : table([
              ['DEVICE', 'COMPONENT', 'VULNERABILITY', 'RULE', 'CONFIDENCE', 'CVSS', 'KEV', 'VEX'],
              ...findings.map((f) => [
                f.device ?? '-',
                f.component,
                f.vulnerability,
                f.matchedBy,
                f.confidence,
                f.cvss === null ? '-' : String(f.cvss.score),
                f.kev ? 'yes' : '',
                f.vexStatus ?? '',
              ]),
            ]),
      );
    });
}
