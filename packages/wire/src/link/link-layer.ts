/**
 * @module link-layer
 * Dispatch on a packet's link type to the decoder that finds its network layer.
 */
import type { PacketState } from '../net/packet-state.js';
import { decodeEthernet, decodeFddi } from './ethernet.js';
import { decodeIeee80211, decodeRadiotap, type Wlan80211Counters } from './ieee802-11.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_FDDI,
  LINKTYPE_IEEE802_11,
  LINKTYPE_IEEE802_11_RADIOTAP,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  LINKTYPE_RAW_12,
  LINKTYPE_RAW_14,
  LinkResult,
} from './link-types.js';
import { decodeLinuxSll, decodeLinuxSll2 } from './linux-sll.js';
import { decodeIpv4Link, decodeIpv6Link, decodeNullLoop, decodeRawIp } from './null-loop.js';

/** Finds the network layer of `s.data` for `linkType` (NORDIC_BLE is handled by the decoder itself). */
export function decodeLink(s: PacketState, linkType: number, wlan: Wlan80211Counters): LinkResult {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return decodeEthernet(s);
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_12:
    case LINKTYPE_RAW_14:
      return decodeRawIp(s);
    case LINKTYPE_IPV4:
      return decodeIpv4Link(s);
    case LINKTYPE_IPV6:
      return decodeIpv6Link(s);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return decodeNullLoop(s);
    case LINKTYPE_LINUX_SLL:
      return decodeLinuxSll(s);
    case LINKTYPE_LINUX_SLL2:
      return decodeLinuxSll2(s);
    case LINKTYPE_IEEE802_11:
      return decodeIeee80211(s, 0, s.data.length, wlan);
    case LINKTYPE_IEEE802_11_RADIOTAP:
      return decodeRadiotap(s, wlan);
    case LINKTYPE_FDDI:
      return decodeFddi(s);
    default:
      return LinkResult.Unsupported;
  }
}
