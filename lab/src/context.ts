/**
 * @module context
 * What the services and actions of one run share: the scenario, its laid-out topology, the run's
 * working folder and logs, the process table, and where the real programs and sample files live.
 */
import type { ProcessTable } from './processes.js';
import type { Scenario } from './scenario.js';
import type { LabDevice, Topology } from './topology.js';

export interface LabPaths {
  /** pydicom's real DICOM test files. */
  readonly dicomDir: string;
  /** The real HL7 v2 messages (`../shared/data/hl7v2`). */
  readonly hl7Dir: string;
  /** Folders of real FHIR R4 JSON resources the FHIR service serves. */
  readonly fhirDirs: readonly string[];
  /** The lab's node agents (`lab/agents`). */
  readonly agentsDir: string;
  /** The node binary. */
  readonly node: string;
}

export interface LabContext {
  readonly scenario: Scenario;
  readonly topology: Topology;
  readonly byName: ReadonlyMap<string, LabDevice>;
  /** Temporary working folder of the run (configs, shares, keys), removed at teardown. */
  readonly runDir: string;
  /** `OUT/logs`: one log per device and service. */
  readonly logDir: string;
  readonly procs: ProcessTable;
  readonly paths: LabPaths;
}

/** The device called `name` (validated scenarios always have it). */
export function deviceOf(context: LabContext, name: string): LabDevice {
  const device = context.byName.get(name);
  if (device === undefined) throw new RangeError(`no device ${name}`);
  return device;
}

/** The device running `service`, if any. */
export function serverOf(context: LabContext, service: LabDevice['services'][number]): LabDevice | undefined {
  return context.topology.devices.find((d) => d.services.includes(service));
}
