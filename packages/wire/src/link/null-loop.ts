/**
 * @module null-loop
 * BSD loopback (NULL: the address family in the capturing host's byte order; LOOP: in network byte
 * order), raw IP (RAW 101 and the 12/14 variants, IPV4 228, IPV6 229).
 */
import type { PacketState } from '../net/packet-state.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, LinkResult } from './link-types.js';

// AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
function familyType(af: number): number {
  if (af === 2) return ETHERTYPE_IPV4;
  if (af === 10 || af === 24 || af === 28 || af === 30) return ETHERTYPE_IPV6;
  return 0;
}

export function decodeNullLoop(s: PacketState): LinkResult {
  const b = s.data;
  if (b.length < 4) return LinkResult.Malformed;
  const le = ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0;
  const be = (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
  const type = familyType(le < 256 ? le : be);
  if (type === 0) return LinkResult.Skipped;
  s.etherType = type;
  s.l3Off = 4;
  return LinkResult.Network;
}

/** Raw IP: the version nibble says which. */
export function decodeRawIp(s: PacketState): LinkResult {
  const b = s.data;
  if (b.length < 1) return LinkResult.Malformed;
  const v = (b[0] ?? 0) >> 4;
  if (v === 4) s.etherType = ETHERTYPE_IPV4;
  else if (v === 6) s.etherType = ETHERTYPE_IPV6;
  else return LinkResult.Malformed;
  s.l3Off = 0;
  return LinkResult.Network;
}

export function decodeIpv4Link(s: PacketState): LinkResult {
  s.etherType = ETHERTYPE_IPV4;
  s.l3Off = 0;
  return LinkResult.Network;
}

export function decodeIpv6Link(s: PacketState): LinkResult {
  s.etherType = ETHERTYPE_IPV6;
  s.l3Off = 0;
  return LinkResult.Network;
}
