import type {
  DhcpEvent,
  DicomAssociateEvent,
  DicomDimseEvent,
  DnsEvent,
  FlowEndEvent,
  Hl7MessageEvent,
  SshBannerEvent,
  TlsClientHelloEvent,
  WireEvent,
} from '@ward/wire';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@ward/core';
import { observationId } from './observation.js';
import { Observer } from './observe.js';
import { flow, on, T0 } from './test-helpers.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';

function observe(events: readonly WireEvent[]): Observer {
  const o = new Observer();
  for (const e of events) o.sink(e);
  return o;
}

const values = (o: Observer, kind: string, subject?: string) =>
  o
    .observations()
    .filter((x) => x.kind === kind && (subject === undefined || x.subject === subject))
    .map((x) => x.value);

describe('observation ids', () => {
  it('are the SHA-256 of canonical JSON: key order does not matter, values do', () => {
    const a = observationId('hl7-app', 'ip:10.0.0.1', { application: 'A', facility: 'F', role: 'sender' });
    const b = observationId('hl7-app', 'ip:10.0.0.1', { role: 'sender', facility: 'F', application: 'A' });
    const c = observationId('hl7-app', 'ip:10.0.0.1', { application: 'A', facility: 'F', role: 'receiver' });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
  });

  it('keeps one observation per fact however often it is seen, with first and last time', () => {
    const f = flow({ ip: '10.0.0.155', port: 4000 }, { ip: '10.0.0.126', port: 6661 });
    const msg = (n: number) =>
      on<Hl7MessageEvent>(f, 'toServer', n, {
        kind: 'hl7',
        sendingApplication: 'ADT1',
        sendingFacility: 'MCM',
        receivingApplication: 'LABADT',
        receivingFacility: 'MCM',
        messageType: 'ADT^A01',
        controlId: `MSG${String(n)}`,
        version: '2.3',
      });
    const o = observe([msg(5), msg(1), msg(9)]);
    const apps = o.observations().filter((x) => x.kind === 'hl7-app' && x.subject === 'ip:10.0.0.155');
    expect(apps).toHaveLength(1);
    expect(apps[0]?.firstSeen).toBe(T0 + 1e6);
    expect(apps[0]?.lastSeen).toBe(T0 + 9e6);
    // The same events observed again give the same ids: a rerun duplicates nothing.
    const again = observe([msg(9), msg(1), msg(5)]);
    expect(
      again
        .observations()
        .map((x) => x.id)
        .sort(),
    ).toEqual(
      o
        .observations()
        .map((x) => x.id)
        .sort(),
    );
  });
});

describe('Observer', () => {
  it('records HL7 applications with sender and receiver roles; an ACK keeps the roles of the exchange', () => {
    const f = flow({ ip: '10.0.0.155', port: 4000 }, { ip: '10.0.0.126', port: 6661 });
    const o = observe([
      on<Hl7MessageEvent>(f, 'toServer', 1, {
        kind: 'hl7',
        sendingApplication: 'ADT1',
        sendingFacility: 'MCM',
        receivingApplication: 'LABADT',
        receivingFacility: 'MCM2',
        messageType: 'ADT^A01',
        controlId: 'X1',
        version: '2.3',
      }),
      on<Hl7MessageEvent>(f, 'toClient', 2, {
        kind: 'hl7',
        sendingApplication: 'LABADT',
        sendingFacility: 'MCM2',
        receivingApplication: 'ADT1',
        receivingFacility: 'MCM',
        messageType: 'ACK',
        controlId: 'X2',
        version: '2.3',
        ackCode: 'AA',
      }),
    ]);
    expect(values(o, 'hl7-app', 'ip:10.0.0.155')).toEqual([{ application: 'ADT1', facility: 'MCM', role: 'sender' }]);
    expect(values(o, 'hl7-app', 'ip:10.0.0.126')).toEqual([
      { application: 'LABADT', facility: 'MCM2', role: 'receiver' },
    ]);
    expect(values(o, 'hl7-peer', 'ip:10.0.0.126')).toEqual([{ peer: '10.0.0.155' }]);
  });

  it('takes the SCU from the A-ASSOCIATE-RQ, the SCP from the AC, and SOP classes from DIMSE requests', () => {
    const f = flow({ ip: '10.1.0.5', port: 50000 }, { ip: '10.1.0.9', port: 104 });
    const o = observe([
      on<DicomAssociateEvent>(f, 'toServer', 1, {
        kind: 'dicom-associate',
        pdu: 'rq',
        callingAeTitle: 'CT_SCANNER',
        calledAeTitle: 'PACS',
        presentationContexts: [
          { id: 1, abstractSyntax: CT, transferSyntaxes: ['1.2.840.10008.1.2'] },
          { id: 3, abstractSyntax: '1.2.840.10008.5.1.4.1.1.4', transferSyntaxes: ['1.2.840.10008.1.2'] },
        ],
      }),
      on<DicomAssociateEvent>(f, 'toClient', 2, {
        kind: 'dicom-associate',
        pdu: 'ac',
        callingAeTitle: 'CT_SCANNER',
        calledAeTitle: 'PACS',
        presentationContexts: [
          { id: 1, transferSyntaxes: ['1.2.840.10008.1.2'], result: 0 },
          { id: 3, transferSyntaxes: [], result: 3 },
        ],
      }),
      on<DicomDimseEvent>(f, 'toServer', 3, {
        kind: 'dicom-dimse',
        command: 'C-STORE-RQ',
        commandField: 1,
        affectedSopClass: CT,
      }),
      on<DicomDimseEvent>(f, 'toClient', 4, {
        kind: 'dicom-dimse',
        command: 'C-STORE-RSP',
        commandField: 0x8001,
        status: 0,
      }),
    ]);
    expect(values(o, 'dicom-ae', 'ip:10.1.0.5')).toEqual([{ aeTitle: 'CT_SCANNER', role: 'SCU' }]);
    expect(values(o, 'dicom-ae', 'ip:10.1.0.9')).toEqual([{ aeTitle: 'PACS', role: 'SCP' }]);
    expect(values(o, 'dicom-sop', 'ip:10.1.0.5')).toEqual([
      { sopClass: CT, role: 'SCU', command: 'A-ASSOCIATE' },
      { sopClass: CT, role: 'SCU', command: 'C-STORE' },
    ]);
    expect(values(o, 'dicom-peer', 'ip:10.1.0.9')).toEqual([{ peer: '10.1.0.5', role: 'SCP', command: 'C-STORE' }]);
  });

  it('gives no SCP role to a called AE that rejected the association', () => {
    const f = flow({ ip: '10.1.0.5', port: 50000 }, { ip: '10.1.0.9', port: 104 });
    const o = observe([
      on<DicomAssociateEvent>(f, 'toServer', 1, {
        kind: 'dicom-associate',
        pdu: 'rq',
        callingAeTitle: 'X',
        calledAeTitle: 'PACS',
        presentationContexts: [],
      }),
      on<DicomAssociateEvent>(f, 'toClient', 2, {
        kind: 'dicom-associate',
        pdu: 'rj',
        callingAeTitle: '',
        calledAeTitle: '',
        presentationContexts: [],
        reject: { result: 1, source: 1, reason: 7 },
      }),
    ]);
    expect(values(o, 'dicom-ae', 'ip:10.1.0.9')).toEqual([]);
  });

  it('binds DHCP fingerprints and hostnames to the client hardware address, and the ACKed address to it', () => {
    const f = flow({ ip: '0.0.0.0', port: 68 }, { ip: '255.255.255.255', port: 67 }, 'udp');
    const g = flow({ ip: '10.0.0.1', port: 67 }, { ip: '10.0.0.77', port: 68 }, 'udp');
    const o = observe([
      on<DhcpEvent>(f, 'toServer', 1, {
        kind: 'dhcp',
        messageType: 3,
        clientMac: '00:0A:95:9D:68:16',
        hostname: 'pump-12',
        vendorClass: 'MSFT 5.0',
        paramList: [1, 3, 6, 15],
      }),
      on<DhcpEvent>(g, 'toServer', 2, {
        kind: 'dhcp',
        messageType: 5,
        clientMac: '00:0a:95:9d:68:16',
        yourIp: '10.0.0.77',
      }),
    ]);
    expect(values(o, 'dhcp', 'mac:00:0a:95:9d:68:16')).toEqual([
      { hostname: 'pump-12', vendorClass: 'MSFT 5.0', paramList: '1,3,6,15' },
    ]);
    expect(values(o, 'hostname', 'mac:00:0a:95:9d:68:16')).toEqual([{ name: 'pump-12', source: 'dhcp' }]);
    expect(values(o, 'binding', 'mac:00:0a:95:9d:68:16')).toEqual([{ ip: '10.0.0.77', via: 'dhcp' }]);
    // Broadcast and unspecified addresses are never subjects.
    expect(o.observations().some((x) => x.subject.includes('255.255.255.255') || x.subject.includes('0.0.0.0'))).toBe(
      false,
    );
  });

  it('names IPs from DNS A, AAAA and reverse answers; records the names a client looked up', () => {
    const f = flow({ ip: '192.168.1.20', port: 5353 }, { ip: '192.168.1.1', port: 53 }, 'udp');
    const o = observe([
      on<DnsEvent>(f, 'toClient', 1, {
        kind: 'dns',
        mdns: false,
        response: true,
        rcode: 0,
        queries: [{ name: 'pacs.example.org', type: 1 }],
        answers: [
          { name: 'pacs.example.org', type: 1, data: '192.168.1.50' },
          { name: '50.1.168.192.in-addr.arpa', type: 12, data: 'pacs-2.example.org' },
          {
            name: 'b.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
            type: 12,
            data: 'v6.example.org',
          },
        ],
      }),
    ]);
    expect(values(o, 'hostname', 'ip:192.168.1.50')).toEqual([
      { name: 'pacs.example.org', source: 'dns' },
      { name: 'pacs-2.example.org', source: 'dns' },
    ]);
    expect(values(o, 'hostname', 'ip:2001:db8::b')).toEqual([{ name: 'v6.example.org', source: 'dns' }]);
    expect(values(o, 'dns-query', 'ip:192.168.1.20')).toEqual([{ name: 'pacs.example.org' }]);
  });

  it('counts a server as seen only when it answered, and a service only when known', () => {
    const f = flow({ ip: '10.0.0.2', port: 40000 }, { ip: '10.0.0.3', port: 443 });
    const end = (packetsToClient: number, handshake: boolean): FlowEndEvent => ({
      kind: 'flow-end',
      ts: T0,
      flow: f,
      firstTs: T0,
      packetsToServer: 3,
      packetsToClient,
      bytesToServer: 100,
      bytesToClient: 100,
      handshake,
    });
    expect(
      observe([end(0, false)])
        .observations()
        .map((x) => x.subject),
    ).toEqual(['ip:10.0.0.2']);
    const o = observe([end(2, true)]);
    expect(values(o, 'service', 'ip:10.0.0.3')).toEqual([
      { role: 'server', transport: 'tcp', port: 443, protocol: null },
    ]);
    expect(values(o, 'service', 'ip:10.0.0.2')).toEqual([
      { role: 'client', transport: 'tcp', port: 443, protocol: null },
    ]);
  });

  it('records TLS SNI and JA4 on the ClientHello sender', () => {
    const f = flow({ ip: '10.0.0.2', port: 40000 }, { ip: '93.184.216.34', port: 443 });
    const o = observe([
      on<TlsClientHelloEvent>(f, 'toServer', 1, {
        kind: 'tls-client-hello',
        sni: 'example.com',
        alpn: ['h2'],
        versions: ['TLS 1.3'],
        ja4: 't13d1516h2_8daaf6152771_b186095e22b6',
      }),
    ]);
    expect(values(o, 'tls-sni', 'ip:10.0.0.2')).toEqual([{ sni: 'example.com' }]);
    expect(values(o, 'tls-ja4', 'ip:10.0.0.2')).toHaveLength(1);
  });

  it('reports what changed since the last batch', () => {
    const f = flow({ ip: '10.0.0.2', port: 40000 }, { ip: '10.0.0.3', port: 22 });
    const o = new Observer();
    o.sink(on<SshBannerEvent>(f, 'toClient', 1, { kind: 'ssh-banner', banner: 'SSH-2.0-OpenSSH_9.2p1' }));
    expect(o.takeChanged()).toHaveLength(1);
    expect(o.takeChanged()).toHaveLength(0);
    o.sink(on<SshBannerEvent>(f, 'toClient', 1, { kind: 'ssh-banner', banner: 'SSH-2.0-OpenSSH_9.2p1' }));
    expect(o.takeChanged()).toHaveLength(0);
    o.sink(on<SshBannerEvent>(f, 'toClient', 2, { kind: 'ssh-banner', banner: 'SSH-2.0-OpenSSH_9.2p1' }));
    expect(o.takeChanged()).toHaveLength(1);
  });
});
