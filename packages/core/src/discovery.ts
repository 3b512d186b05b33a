/**
 * @module discovery
 * What passive discovery knows about one device: the shape of a device in `ward scan --json`
 * (a public contract — extend it, never rename a field). The sensor builds it from wire events;
 * the inventory merges it into device records with `sensor` provenance.
 */

/** One piece of evidence behind a device-type decision, naming the rule that used it. */
export interface DiscoveryEvidence {
  /** The fingerprint rule's id, from the rules data file. */
  readonly rule: string;
  /** What was seen, in words: `DICOM C-STORE SCP (CT Image Storage)`. */
  readonly detail: string;
  /** The rule's weight toward `type`. */
  readonly weight: number;
}

export interface DiscoveredDevice {
  /** Deterministic: derived from the strongest identifier (MAC, else IP + stable evidence). */
  readonly id: string;
  readonly macs: readonly string[];
  readonly ips: readonly string[];
  readonly hostnames: readonly string[];
  /** OUI vendor of the first MAC (IEEE registry), or null. */
  readonly vendor: string | null;
  /** One of core's DEVICE_TYPES (as a string here so older readers keep working when it grows). */
  readonly type: string;
  /** 0…1. */
  readonly typeConfidence: number;
  readonly evidence: readonly DiscoveryEvidence[];
  readonly dicom: {
    readonly aeTitles: readonly string[];
    /** 'SCU' and/or 'SCP'. */
    readonly roles: readonly string[];
    readonly sopClasses: readonly string[];
  };
  readonly hl7: {
    readonly applications: readonly string[];
    readonly facilities: readonly string[];
    readonly messageTypes: readonly string[];
    /** 'sender' and/or 'receiver'. */
    readonly roles: readonly string[];
  };
  readonly tls: { readonly sni: readonly string[]; readonly ja4: readonly string[] };
  readonly dns: { readonly names: readonly string[] };
  readonly dhcp: {
    readonly hostname: string | null;
    readonly vendorClass: string | null;
    /** Option 55 as a comma-separated list, e.g. `1,3,6,15,119,252`. */
    readonly paramList: string | null;
  };
  /** First and last time seen, ISO 8601. */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

/** A device seen with nothing known of it yet: every list empty, every value null. */
export function blankDiscoveredDevice(id: string): DiscoveredDevice {
  return {
    id,
    macs: [],
    ips: [],
    hostnames: [],
    vendor: null,
    type: 'unknown',
    typeConfidence: 0,
    evidence: [],
    dicom: { aeTitles: [], roles: [], sopClasses: [] },
    hl7: { applications: [], facilities: [], messageTypes: [], roles: [] },
    tls: { sni: [], ja4: [] },
    dns: { names: [] },
    dhcp: { hostname: null, vendorClass: null, paramList: null },
  };
}
