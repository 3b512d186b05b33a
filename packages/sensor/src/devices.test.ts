import type { DicomAssociateEvent, DicomDimseEvent, HostEvent, TlsClientHelloEvent, WireEvent } from '@ward/wire';
import { blankDiscoveredDevice, type DiscoveredDevice } from '@ward/core';
import { describe, expect, it } from 'vitest';
import { buildDevices, type SensorDevice } from './devices.js';
import { Observer } from './observe.js';
import type { OuiRegistry } from './oui.js';
import { loadRules } from './rules.js';
import { flow, on, T0 } from './test-helpers.js';

const rules = loadRules();
const oui: OuiRegistry = {
  size: 1,
  lookup: (mac) =>
    mac.startsWith('00:0a:95') ? 'Apple, Inc.' : mac.startsWith('00:00:f3') ? 'Sysmex Corporation' : null,
};

function devicesOf(events: readonly WireEvent[]): SensorDevice[] {
  const o = new Observer();
  for (const e of events) o.sink(e);
  return buildDevices(o.observations(), { rules, oui });
}

const host = (mac: string, ip: string, via: HostEvent['via'] = 'ip'): HostEvent => ({
  kind: 'host',
  ts: T0,
  mac,
  ip,
  via,
});

function store(scu: string, scp: string, calling: string, sop: string, n: number): WireEvent[] {
  const f = flow({ ip: scu, port: 40000 + n }, { ip: scp, port: 104 });
  return [
    on<DicomAssociateEvent>(f, 'toServer', n, {
      kind: 'dicom-associate',
      pdu: 'rq',
      callingAeTitle: calling,
      calledAeTitle: 'ARCHIVE',
      presentationContexts: [{ id: 1, abstractSyntax: sop, transferSyntaxes: ['1.2.840.10008.1.2.1'] }],
    }),
    on<DicomAssociateEvent>(f, 'toClient', n, {
      kind: 'dicom-associate',
      pdu: 'ac',
      callingAeTitle: calling,
      calledAeTitle: 'ARCHIVE',
      presentationContexts: [{ id: 1, transferSyntaxes: ['1.2.840.10008.1.2.1'], result: 0 }],
    }),
    on<DicomDimseEvent>(f, 'toServer', n, {
      kind: 'dicom-dimse',
      command: 'C-STORE-RQ',
      commandField: 1,
      affectedSopClass: sop,
    }),
  ];
}

describe('buildDevices', () => {
  it('types modalities by the SOP classes they store and the archive by the peers that store to it', () => {
    const devices = devicesOf([
      ...store('10.2.0.11', '10.2.0.5', 'CT01', '1.2.840.10008.5.1.4.1.1.2', 1),
      ...store('10.2.0.12', '10.2.0.5', 'MR01', '1.2.840.10008.5.1.4.1.1.4', 2),
    ]);
    const byIp = new Map(devices.map((d) => [d.ips[0], d]));
    expect(byIp.get('10.2.0.11')).toMatchObject({ type: 'ct', dicom: { aeTitles: ['CT01'], roles: ['SCU'] } });
    expect(byIp.get('10.2.0.12')).toMatchObject({ type: 'mr', dicom: { aeTitles: ['MR01'], roles: ['SCU'] } });
    const pacs = byIp.get('10.2.0.5');
    expect(pacs).toMatchObject({ type: 'pacs', dicom: { aeTitles: ['ARCHIVE'], roles: ['SCP'] } });
    expect(pacs?.evidence.map((e) => e.rule)).toEqual([
      'dicom.pacs-store-scp-many-peers',
      'dicom.pacs-store-scp-images',
    ]);
    // Two independent pieces of evidence: 1 − (1 − 0.8)(1 − 0.6).
    expect(pacs?.typeConfidence).toBe(0.92);
    expect(pacs?.dicom.sopClasses).toEqual(['1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.1.4']);
  });

  it('keeps a host with its MAC but treats a MAC carrying many routed addresses as a gateway', () => {
    const events: WireEvent[] = [host('00:0a:95:00:00:01', '10.0.0.10', 'arp'), host('00:0a:95:00:00:01', '10.0.0.10')];
    const router = '00:00:5e:00:01:01';
    events.push(host(router, '10.0.0.1', 'arp'));
    for (const ip of ['93.184.216.34', '151.101.1.69', '140.82.112.3']) {
      events.push(host(router, ip));
      const f = flow({ ip: '10.0.0.10', port: 50000, mac: '00:0a:95:00:00:01' }, { ip, port: 443, mac: router });
      events.push(
        on<TlsClientHelloEvent>(f, 'toServer', 1, {
          kind: 'tls-client-hello',
          sni: `${ip}.example`,
          alpn: [],
          versions: [],
          ja4: 'j',
        }),
      );
    }
    const devices = devicesOf(events);
    expect(devices.map((d) => [d.macs, d.ips, d.type])).toEqual([
      [[router], ['10.0.0.1'], 'it'],
      [['00:0a:95:00:00:01'], ['10.0.0.10'], 'unknown'],
    ]);
    const workstation = devices[1];
    expect(workstation?.vendor).toBe('Apple, Inc.');
    expect(workstation?.tls.sni).toHaveLength(3);
    // The public servers only served: peers, not devices on the site.
    expect(devices.some((d) => d.ips.includes('93.184.216.34'))).toBe(false);
  });

  it('gives an address to the MAC holding the strongest, then latest, binding', () => {
    const devices = devicesOf([
      { kind: 'host', ts: T0, mac: '00:0a:95:00:00:01', ip: '10.0.0.20', via: 'arp' },
      { kind: 'host', ts: T0 + 5e6, mac: '00:0a:95:00:00:02', ip: '10.0.0.20', via: 'ip' },
    ]);
    expect(devices.map((d) => [d.macs[0], d.ips])).toEqual([
      ['00:0a:95:00:00:01', ['10.0.0.20']],
      ['00:0a:95:00:00:02', []],
    ]);
  });

  it('uses the vendor rules on the OUI of the first MAC', () => {
    const [analyser] = devicesOf([host('00:00:f3:12:34:56', '10.3.0.4', 'arp')]);
    expect(analyser).toMatchObject({ vendor: 'Sysmex Corporation', type: 'lab-analyser', typeConfidence: 0.5 });
    expect(analyser?.evidence[0]?.rule).toBe('oui.lab-analyser-makers');
  });

  it('derives ids from the strongest identifier, the same on every run', () => {
    const events = [
      ...store('10.2.0.11', '10.2.0.5', 'CT01', '1.2.840.10008.5.1.4.1.1.2', 1),
      host('00:0a:95:00:00:09', '10.2.0.11', 'arp'),
    ];
    const a = devicesOf(events);
    const b = devicesOf([...events].reverse());
    expect(a.map((d) => d.id)).toEqual(b.map((d) => d.id));
    expect(new Set(a.map((d) => d.id)).size).toBe(a.length);
    expect(a.find((d) => d.ips.includes('10.2.0.11'))?.macs).toEqual(['00:0a:95:00:00:09']);
  });

  it('fills every field of the scan contract, empty where unseen', () => {
    const [d] = devicesOf([host('00:0a:95:00:00:01', '10.0.0.10', 'arp')]);
    // Everything but the identifiers and times is as a device of which nothing is known.
    const blank: Partial<DiscoveredDevice> = blankDiscoveredDevice(d?.id ?? '');
    expect(d).toMatchObject({ ...blank, macs: ['00:0a:95:00:00:01'], ips: ['10.0.0.10'], vendor: 'Apple, Inc.' });
    expect(d?.firstSeen).toBe(new Date(T0 / 1000).toISOString());
  });
});
