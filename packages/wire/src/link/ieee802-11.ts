/**
 * @module ieee802-11
 * IEEE 802.11 frames, bare (IEEE802_11) or behind a radiotap header (IEEE802_11_RADIOTAP). Data
 * frames carrying LLC/SNAP are decoded to their network layer with the source address as MAC;
 * management, control, null-data and protected (encrypted) frames are counted and skipped.
 */
import type { PacketState } from '../net/packet-state.js';
import { decodeLlc } from './ethernet.js';
import { LinkResult } from './link-types.js';

/** Why a frame was skipped, for the decoder's counters. */
export interface Wlan80211Counters {
  management: number;
  control: number;
  protected: number;
  noData: number;
}

export function decodeIeee80211(s: PacketState, off: number, end: number, counters: Wlan80211Counters): LinkResult {
  const b = s.data;
  if (off + 2 > end) return LinkResult.Malformed;
  const fc0 = b[off] ?? 0;
  const fc1 = b[off + 1] ?? 0;
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  if (type === 0) {
    counters.management++;
    return LinkResult.Skipped;
  }
  if (type !== 2) {
    counters.control++;
    return LinkResult.Skipped;
  }
  if (fc1 & 0x40) {
    counters.protected++;
    return LinkResult.Skipped;
  }
  // Subtypes with bit 2 set carry no data (null, CF-ack/poll without data).
  if (subtype & 0x4) {
    counters.noData++;
    return LinkResult.Skipped;
  }
  const toDs = fc1 & 1;
  const fromDs = (fc1 >> 1) & 1;
  let hdr = 24;
  if (toDs && fromDs) hdr += 6;
  const qos = (subtype & 0x8) !== 0;
  if (qos) {
    hdr += 2;
    if (fc1 & 0x80) hdr += 4; // HT control
  }
  if (off + hdr > end) return LinkResult.Malformed;
  // Addresses: 1 at +4, 2 at +10, 3 at +16, 4 at +24.
  s.dstMacOff = off + (toDs ? 16 : 4);
  s.srcMacOff = off + (toDs && fromDs ? 24 : fromDs ? 16 : 10);
  return decodeLlc(s, off + hdr);
}

/** Radiotap: header length, then the 802.11 frame; the Flags field says whether an FCS trails it. */
export function decodeRadiotap(s: PacketState, counters: Wlan80211Counters): LinkResult {
  const b = s.data;
  if (b.length < 8) return LinkResult.Malformed;
  const len = (b[2] ?? 0) | ((b[3] ?? 0) << 8);
  if (len < 8 || len > b.length) return LinkResult.Malformed;
  // Walk the present bitmaps to find the Flags field (bit 1), which follows TSFT (bit 0, 8 bytes aligned to 8).
  let p = 4;
  let present = 0;
  let words = 0;
  for (;;) {
    if (p + 4 > len || words > 8) return LinkResult.Malformed;
    const w = ((b[p] ?? 0) | ((b[p + 1] ?? 0) << 8) | ((b[p + 2] ?? 0) << 16) | ((b[p + 3] ?? 0) << 24)) >>> 0;
    if (words === 0) present = w;
    words++;
    p += 4;
    if ((w & 0x80000000) === 0) break;
  }
  let end = b.length;
  if (present & 2) {
    let f = p;
    if (present & 1) f = ((f + 7) & ~7) + 8;
    if (f < len && ((b[f] ?? 0) & 0x10) !== 0) end -= 4; // FCS at end
  }
  return decodeIeee80211(s, len, end, counters);
}
