/**
 * @module techniques
 * The MITRE ATT&CK technique behind each attack step: the ATT&CK for ICS id where one fits (the
 * label's `technique`), and the Enterprise id that names the behaviour exactly.
 */
import type { AttackKind } from './scenario.js';

export interface Technique {
  /** ATT&CK for ICS id, or null when no ICS technique fits. */
  readonly ics: string | null;
  readonly icsName: string | null;
  /** ATT&CK Enterprise id. */
  readonly enterprise: string;
  readonly enterpriseName: string;
  /** The ATT&CK for ICS tactic of `ics` (kebab-case). */
  readonly tactic: string;
}

export const TECHNIQUES: Readonly<Record<AttackKind, Technique>> = {
  'ping-sweep': {
    ics: 'T0846',
    icsName: 'Remote System Discovery',
    enterprise: 'T1018',
    enterpriseName: 'Remote System Discovery',
    tactic: 'discovery',
  },
  'port-scan': {
    ics: 'T0846',
    icsName: 'Remote System Discovery',
    enterprise: 'T1046',
    enterpriseName: 'Network Service Discovery',
    tactic: 'discovery',
  },
  'ssh-brute-force': {
    ics: 'T0812',
    icsName: 'Default Credentials',
    enterprise: 'T1110.001',
    enterpriseName: 'Brute Force: Password Guessing',
    tactic: 'lateral-movement',
  },
  'smb-ransomware': {
    ics: 'T0809',
    icsName: 'Data Destruction',
    enterprise: 'T1486',
    enterpriseName: 'Data Encrypted for Impact',
    tactic: 'inhibit-response-function',
  },
  'smb-lateral': {
    ics: 'T0867',
    icsName: 'Lateral Tool Transfer',
    enterprise: 'T1021.002',
    enterpriseName: 'Remote Services: SMB/Windows Admin Shares',
    tactic: 'lateral-movement',
  },
  'dicom-harvest': {
    ics: 'T0811',
    icsName: 'Data from Information Repositories',
    enterprise: 'T1213',
    enterpriseName: 'Data from Information Repositories',
    tactic: 'collection',
  },
  'dicom-rogue-store': {
    ics: 'T0848',
    icsName: 'Rogue Master',
    enterprise: 'T1565.002',
    enterpriseName: 'Data Manipulation: Transmitted Data Manipulation',
    tactic: 'initial-access',
  },
  'hl7-inject': {
    ics: 'T0855',
    icsName: 'Unauthorized Command Message',
    enterprise: 'T1565.002',
    enterpriseName: 'Data Manipulation: Transmitted Data Manipulation',
    tactic: 'impair-process-control',
  },
  exfiltrate: {
    ics: 'T0882',
    icsName: 'Theft of Operational Information',
    enterprise: 'T1048.002',
    enterpriseName: 'Exfiltration Over Asymmetric Encrypted Non-C2 Protocol',
    tactic: 'impact',
  },
  'beacon-https': {
    ics: 'T0869',
    icsName: 'Standard Application Layer Protocol',
    enterprise: 'T1071.001',
    enterpriseName: 'Application Layer Protocol: Web Protocols',
    tactic: 'command-and-control',
  },
  'beacon-dns': {
    ics: 'T0869',
    icsName: 'Standard Application Layer Protocol',
    enterprise: 'T1071.004',
    enterpriseName: 'Application Layer Protocol: DNS',
    tactic: 'command-and-control',
  },
};
