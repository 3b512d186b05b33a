import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haveSharedData, haveTshark, pcapDir, tcpStreams, tsharkFields } from '../../../../test/support/tshark.js';
import type { SshBannerEvent } from '../events.js';
import { detectSsh, sshDecoder } from './ssh.js';
import { feedTcp, rechunk } from './test-helpers.js';

const enc = new TextEncoder();

describe('SSH identification', () => {
  it('reads both banners, after other server lines, across chunkings', () => {
    const items = [
      {
        kind: 'data' as const,
        direction: 'toClient' as const,
        data: enc.encode('Welcome\r\nSSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\0\0\0'),
        ts: 1,
      },
      {
        kind: 'data' as const,
        direction: 'toServer' as const,
        data: enc.encode('SSH-2.0-PuTTY_Release_0.78\n\0\0'),
        ts: 2,
      },
    ];
    for (const sizes of [[100], [1], [2, 9]]) {
      const rec = feedTcp(sshDecoder, rechunk(items, sizes));
      expect(rec.errors).toEqual([]);
      expect((rec.events as SshBannerEvent[]).map((e) => `${e.direction} ${e.banner}`)).toEqual([
        'toClient SSH-2.0-OpenSSH_9.2p1 Debian-2',
        'toServer SSH-2.0-PuTTY_Release_0.78',
      ]);
    }
    expect(detectSsh(enc.encode('SSH-2.0-x'))).toBe(true);
  });

  it('bounds lines and reports garbage; never throws', () => {
    const long = feedTcp(sshDecoder, [
      { kind: 'data', direction: 'toServer', data: new Uint8Array(5000).fill(0x41), ts: 0 },
    ]);
    expect(long.errors.map((e) => e.code)).toEqual(['WIRE_SSH_MALFORMED']);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
        feedTcp(sshDecoder, [
          { kind: 'data', direction: 'toServer', data: Uint8Array.from([0x53, 0x53, 0x48, 0x2d, ...b]), ts: 0 },
        ]);
      }),
    );
  });
});

describe.skipIf(!haveSharedData || !haveTshark)('SSH against tshark on zeek-traces/ssl-and-ssh-using-sslh.pcap', () => {
  it('reads the same banners', () => {
    const pcap = join(pcapDir, 'zeek-traces/ssl-and-ssh-using-sslh.pcap');
    const peer = tsharkFields(pcap, 'ssh.protocol', ['tcp.stream', 'ssh.protocol'], ['-d', 'tcp.port==443,ssh']).map(
      (r) => `${r[0] ?? ''} ${r[1] ?? ''}`,
    );
    const ours = tcpStreams(pcap)
      .filter((s) => s.items.some((i) => i.kind === 'data' && detectSsh(i.data)))
      .flatMap((s) =>
        (feedTcp(sshDecoder, s.items).events as SshBannerEvent[]).map((e) => `${String(s.stream)} ${e.banner}`),
      );
    expect(ours.sort()).toEqual(peer.sort());
    expect(peer.length).toBe(2);
  });
});
