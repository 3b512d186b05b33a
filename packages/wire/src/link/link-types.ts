/**
 * @module link-types
 * The LINKTYPE_* values wire decodes (https://www.tcpdump.org/linktypes.html) and the ethertypes
 * the link layers hand on.
 */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_FDDI = 10;
export const LINKTYPE_RAW_12 = 12;
export const LINKTYPE_RAW_14 = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NORDIC_BLE = 272;
export const LINKTYPE_LINUX_SLL2 = 276;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;

/** What a link decoder made of a frame. */
export const LinkResult = {
  /** `state.etherType` and `state.l3Off` are set. */
  Network: 0,
  /** A frame with no network payload for us (management, control, protected, other ethertype). */
  Skipped: 1,
  /** Shorter than its headers or inconsistent. */
  Malformed: 2,
  /** A link type wire does not decode. */
  Unsupported: 3,
  /** Fully handled by the link layer (BLE). */
  Consumed: 4,
} as const;
export type LinkResult = (typeof LinkResult)[keyof typeof LinkResult];
