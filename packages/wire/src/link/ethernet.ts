/**
 * @module ethernet
 * Ethernet II and IEEE 802.3 with LLC/SNAP, under any stack of 802.1Q / 802.1ad (QinQ) tags
 * (0x8100, 0x88a8 and the older 0x9100).
 */
import { MAX_VLANS, type PacketState } from '../net/packet-state.js';
import { LinkResult } from './link-types.js';

function isVlanTag(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100;
}

/** Reads an ethertype at `off` (after the addresses), following VLAN tags and LLC/SNAP. */
export function decodeEtherType(s: PacketState, off: number): LinkResult {
  const b = s.data;
  const end = b.length;
  if (off + 2 > end) return LinkResult.Malformed;
  let type = ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
  off += 2;
  while (isVlanTag(type)) {
    if (off + 4 > end || s.vlanCount >= MAX_VLANS) return LinkResult.Malformed;
    s.vlans[s.vlanCount++] = (((b[off] ?? 0) << 8) | (b[off + 1] ?? 0)) & 0x0fff;
    type = ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0);
    off += 4;
  }
  if (type < 0x0600) {
    // 802.3 length field: LLC follows; only SNAP carries an ethertype.
    return decodeLlc(s, off);
  }
  s.etherType = type;
  s.l3Off = off;
  return LinkResult.Network;
}

/** LLC header at `off`: SNAP (AA AA 03, OUI, ethertype) gives an ethertype; anything else is skipped. */
export function decodeLlc(s: PacketState, off: number): LinkResult {
  const b = s.data;
  if (off + 3 > b.length) return LinkResult.Malformed;
  if (b[off] !== 0xaa || b[off + 1] !== 0xaa || b[off + 2] !== 0x03) return LinkResult.Skipped;
  if (off + 8 > b.length) return LinkResult.Malformed;
  s.etherType = ((b[off + 6] ?? 0) << 8) | (b[off + 7] ?? 0);
  s.l3Off = off + 8;
  return LinkResult.Network;
}

export function decodeEthernet(s: PacketState): LinkResult {
  if (s.data.length < 14) return LinkResult.Malformed;
  s.dstMacOff = 0;
  s.srcMacOff = 6;
  return decodeEtherType(s, 12);
}

/** FDDI: frame control, then destination and source (bit-swapped in some captures, so not used as MACs), then LLC. */
export function decodeFddi(s: PacketState): LinkResult {
  if (s.data.length < 13) return LinkResult.Malformed;
  return decodeLlc(s, 13);
}
