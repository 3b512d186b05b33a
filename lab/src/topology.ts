/**
 * @module topology
 * The lab's network: one namespace per device, each with one veth (`eth0`, its own MAC and
 * address) plugged into a bridge that lives in a switch namespace of its own. The hospital bridge
 * (`br0`, 10.77.0.0/16) is the one captured, like a SPAN port; outside devices (198.51.100.0/24,
 * TEST-NET-2) sit on a second bridge (`br1`) reached through the router (10.77.0.1 / 198.51.100.1).
 * Nothing is created in the root namespace, so deleting the run's namespaces removes every
 * interface; `/etc/netns/<ns>/resolv.conf` points hospital devices at the lab's resolver.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { runSync } from './processes.js';
import type { DeviceSpec, Scenario } from './scenario.js';

/** Every lab namespace starts with this; `ward lab clean` looks for it. */
export const NAMESPACE_PREFIX = 'wardlab-';
export const ROUTER_OUTSIDE_IP = '198.51.100.1';
export const HOSPITAL_DOMAIN = 'hospital.lan';

export interface LabDevice extends DeviceSpec {
  readonly index: number;
  readonly ns: string;
  readonly mac: string;
  readonly hostname: string;
  /** The router's second MAC (outside bridge), else null. */
  readonly outsideMac: string | null;
}

export interface Topology {
  readonly runId: string;
  readonly prefix: string;
  readonly switchNs: string;
  readonly devices: readonly LabDevice[];
}

/** A fresh run id (6 hex digits): names never collide with another run's. */
export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** The default MAC of a device: locally administered, derived from scenario and device name. */
export function macOf(scenario: string, device: string, salt = ''): string {
  const digest = createHash('sha256').update(`${scenario}/${device}${salt}`).digest();
  return ['02', '77', ...[...digest.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Assigns namespaces and MACs (no system change). */
export function layOut(scenario: Scenario, runId: string): Topology {
  const prefix = `${NAMESPACE_PREFIX}${runId}`;
  const seen = new Set<string>(scenario.devices.flatMap((d) => (d.mac === undefined ? [] : [d.mac])));
  const devices = scenario.devices.map((spec, index): LabDevice => {
    let mac = spec.mac;
    for (let salt = 0; mac === undefined || (spec.mac === undefined && seen.has(mac)); salt++)
      mac = macOf(scenario.name, spec.name, salt === 0 ? '' : `#${String(salt)}`);
    seen.add(mac);
    const router = spec.services.includes('router');
    return {
      ...spec,
      index,
      ns: `${prefix}-d${String(index)}`,
      mac,
      hostname: spec.hostname ?? spec.name,
      outsideMac: router ? macOf(scenario.name, spec.name, '#outside') : null,
    };
  });
  return { runId, prefix, switchNs: `${prefix}-sw`, devices };
}

/** The namespaces of a topology (switch first). */
export function namespacesOf(topology: Topology): string[] {
  return [topology.switchNs, ...topology.devices.map((d) => d.ns)];
}

function inside(ns: string, script: string): void {
  runSync(['ip', 'netns', 'exec', ns, 'sh', '-c', script]);
}

/** Creates the namespaces, bridges and veths. Throws on the first failure (the caller tears down). */
export function buildTopology(topology: Topology, created: string[]): void {
  const noV6 =
    'sysctl -q -e -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1; true';
  const { switchNs } = topology;
  runSync(['ip', 'netns', 'add', switchNs]);
  created.push(switchNs);
  inside(
    switchNs,
    `${noV6}; ip link set lo up && ip link add br0 type bridge stp_state 0 forward_delay 0 && ` +
      'ip link add br1 type bridge stp_state 0 forward_delay 0 && ip link set br0 up && ip link set br1 up',
  );
  const dns = topology.devices.find((d) => d.services.includes('dns-dhcp'));
  const router = topology.devices.find((d) => d.services.includes('router'));
  const switchBatch: string[] = [];
  for (const device of topology.devices) {
    runSync(['ip', 'netns', 'add', device.ns]);
    created.push(device.ns);
    inside(device.ns, `${noV6}; ip link set lo up`);
    const bridge = device.zone === 'hospital' ? 'br0' : 'br1';
    switchBatch.push(`link add p${String(device.index)} type veth peer name eth0 netns ${device.ns}`);
    switchBatch.push(`link set p${String(device.index)} master ${bridge} up`);
    if (device.outsideMac !== null) {
      switchBatch.push(`link add q${String(device.index)} type veth peer name eth1 netns ${device.ns}`);
      switchBatch.push(`link set q${String(device.index)} master br1 up`);
    }
  }
  runSync(['ip', '-n', switchNs, '-batch', '-'], `${switchBatch.join('\n')}\n`);
  for (const device of topology.devices) {
    const mask = device.zone === 'hospital' ? 16 : 24;
    const batch = [
      `link set eth0 address ${device.mac}`,
      `addr add ${device.ip}/${String(mask)} dev eth0`,
      'link set eth0 up',
    ];
    if (device.outsideMac !== null) {
      batch.push(
        `link set eth1 address ${device.outsideMac}`,
        `addr add ${ROUTER_OUTSIDE_IP}/24 dev eth1`,
        'link set eth1 up',
      );
    } else if (device.zone === 'outside') {
      batch.push(`route add default via ${ROUTER_OUTSIDE_IP}`);
    } else if (router !== undefined) {
      batch.push(`route add default via ${router.ip}`);
    }
    runSync(['ip', '-n', device.ns, '-batch', '-'], `${batch.join('\n')}\n`);
    // No segmentation or checksum offload: the capture then holds frames as a wire carries them.
    const offloads = (dev: string): string => `ethtool -K ${dev} tx off sg off tso off gso off gro off >/dev/null 2>&1`;
    inside(
      device.ns,
      device.outsideMac === null
        ? `${offloads('eth0')}; true`
        : `${offloads('eth0')}; ${offloads('eth1')}; sysctl -q -w net.ipv4.ip_forward=1`,
    );
    if (device.zone === 'hospital' && dns !== undefined) {
      mkdirSync(`/etc/netns/${device.ns}`, { recursive: true });
      writeFileSync(
        `/etc/netns/${device.ns}/resolv.conf`,
        `search ${HOSPITAL_DOMAIN}\nnameserver ${dns.ip}\noptions timeout:2 attempts:2\n`,
      );
    }
  }
}

/** Kills every process left in the namespaces and deletes them (and their /etc/netns files). */
export function destroyNamespaces(namespaces: readonly string[]): string[] {
  const problems: string[] = [];
  for (const ns of namespaces) {
    try {
      const pids = runSync(['ip', 'netns', 'pids', ns])
        .split('\n')
        .filter((p) => /^\d+$/.test(p));
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
    } catch {
      // namespace already gone
    }
  }
  for (const ns of namespaces) {
    try {
      runSync(['ip', 'netns', 'del', ns]);
    } catch (error) {
      if (listNamespaces().includes(ns)) problems.push(error instanceof Error ? error.message : String(error));
    }
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  }
  return problems;
}

/** Names of the network namespaces on this machine. */
export function listNamespaces(): string[] {
  return runSync(['ip', 'netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}
