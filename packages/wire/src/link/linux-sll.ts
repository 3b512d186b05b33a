/**
 * @module linux-sll
 * Linux "cooked" captures (`tcpdump -i any`): LINUX_SLL (16-byte header) and LINUX_SLL2 (20 bytes).
 * The link-layer address is the sender's; it is used as the source MAC when it is six bytes long.
 */
import type { PacketState } from '../net/packet-state.js';
import { decodeEtherType, decodeLlc } from './ethernet.js';
import { LinkResult } from './link-types.js';

const ARPHRD_ETHER = 1;

function finish(
  s: PacketState,
  protoOff: number,
  hatype: number,
  halen: number,
  addrOff: number,
  l3: number,
): LinkResult {
  const b = s.data;
  const proto = ((b[protoOff] ?? 0) << 8) | (b[protoOff + 1] ?? 0);
  if (halen === 6 && hatype === ARPHRD_ETHER) s.srcMacOff = addrOff;
  if (proto === 0x0004) return decodeLlc(s, l3);
  if (proto < 0x0600) return LinkResult.Skipped;
  if (proto === 0x8100 || proto === 0x88a8 || proto === 0x9100) return decodeEtherType(s, protoOff);
  s.etherType = proto;
  s.l3Off = l3;
  return LinkResult.Network;
}

export function decodeLinuxSll(s: PacketState): LinkResult {
  const b = s.data;
  if (b.length < 16) return LinkResult.Malformed;
  const hatype = ((b[2] ?? 0) << 8) | (b[3] ?? 0);
  const halen = ((b[4] ?? 0) << 8) | (b[5] ?? 0);
  return finish(s, 14, hatype, halen, 6, 16);
}

export function decodeLinuxSll2(s: PacketState): LinkResult {
  const b = s.data;
  if (b.length < 20) return LinkResult.Malformed;
  const hatype = ((b[8] ?? 0) << 8) | (b[9] ?? 0);
  const halen = b[11] ?? 0;
  return finish(s, 0, hatype, halen, 12, 20);
}
