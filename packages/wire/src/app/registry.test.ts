import { describe, expect, it } from 'vitest';
import type { AppProtocol } from '../events.js';
import { APP_DECODERS } from './registry.js';

describe('APP_DECODERS', () => {
  it('holds one decoder per protocol, each with a way in, and no port claimed twice', () => {
    const protocols = APP_DECODERS.map((d) => d.protocol);
    expect(new Set(protocols).size).toBe(protocols.length);
    expect([...protocols].sort()).toEqual(
      (['dhcp', 'dicom', 'dns', 'hl7', 'http', 'mdns', 'rdp', 'smb2', 'ssh', 'tls'] satisfies AppProtocol[]).sort(),
    );
    for (const d of APP_DECODERS) {
      expect(d.createTcp !== undefined || d.decodeUdp !== undefined, d.protocol).toBe(true);
      if (d.createTcp !== undefined) expect((d.tcpPorts ?? []).length > 0 || d.detect !== undefined).toBe(true);
    }
    const tcp = APP_DECODERS.flatMap((d) => d.tcpPorts ?? []);
    const udp = APP_DECODERS.flatMap((d) => d.udpPorts ?? []);
    expect(new Set(tcp).size).toBe(tcp.length);
    expect(new Set(udp).size).toBe(udp.length);
  });

  it('detects each protocol by content only for its own first bytes', () => {
    const enc = new TextEncoder();
    const samples: Record<string, Uint8Array> = {
      hl7: Uint8Array.from([0x0b, ...enc.encode('MSH|^~\\&|')]),
      dicom: Uint8Array.from([1, 0, 0, 0, 0, 200, 0, 1, 0, 0]),
      tls: Uint8Array.from([0x16, 3, 1, 0, 200, 1, 0, 0]),
      smb2: Uint8Array.from([0, 0, 0, 100, 0xfe, 0x53, 0x4d, 0x42]),
      rdp: Uint8Array.from([3, 0, 0, 19, 14, 0xe0, 0, 0]),
      ssh: enc.encode('SSH-2.0-OpenSSH_9.2'),
      http: enc.encode('GET / HTTP/1.1\r\n'),
    };
    for (const [protocol, first] of Object.entries(samples)) {
      const matching = APP_DECODERS.filter((d) => d.detect?.(first, 'toServer') === true).map((d) => d.protocol);
      expect(matching, protocol).toEqual([protocol]);
    }
  });
});
