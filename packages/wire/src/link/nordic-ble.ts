/**
 * @module nordic-ble
 * Nordic Semiconductor's nRF BLE sniffer frames (LINKTYPE_NORDIC_BLE, 272): a board byte, the
 * sniffer's packet header (payload length, protocol version, counter, packet id), an event header
 * (flags, channel, RSSI, event counter, timestamp), then the BLE link-layer packet. Only the
 * advertiser address of advertising-channel PDUs is kept. Anything unexpected is skipped, never
 * trusted.
 */

const ADVERTISING_ACCESS_ADDRESS = 0x8e89bed6;

/**
 * The advertiser address of a NORDIC_BLE frame, as six bytes' offset into `b` (little-endian on
 * the air), or -1 when the frame is not an advertising PDU with a CRC that checked.
 */
export function bleAdvertiserOffset(b: Uint8Array): number {
  if (b.length < 8) return -1;
  const version = b[3] ?? 0;
  const id = b[6] ?? 0;
  if (version < 1 || version > 3) return -1;
  // Packet ids 0x02 (EVENT_PACKET / ADV_PDU) and 0x06 (DATA_PDU) carry a BLE packet.
  if (id !== 0x02 && id !== 0x06) return -1;
  const hdrLen = b[7] ?? 0;
  if (hdrLen < 2) return -1;
  const flags = b[8] ?? 0;
  if ((flags & 1) === 0) return -1; // CRC failed
  const ll = 7 + hdrLen;
  if (ll + 6 > b.length) return -1;
  const aa = ((b[ll] ?? 0) | ((b[ll + 1] ?? 0) << 8) | ((b[ll + 2] ?? 0) << 16) | ((b[ll + 3] ?? 0) << 24)) >>> 0;
  if (aa !== ADVERTISING_ACCESS_ADDRESS) return -1;
  const pduType = (b[ll + 4] ?? 0) & 0x0f;
  const pduLen = b[ll + 5] ?? 0;
  const payload = ll + 6;
  let addr: number;
  switch (pduType) {
    case 0: // ADV_IND
    case 1: // ADV_DIRECT_IND
    case 2: // ADV_NONCONN_IND
    case 4: // SCAN_RSP
    case 6: // ADV_SCAN_IND
      addr = payload;
      break;
    case 3: // SCAN_REQ: ScanA, AdvA
    case 5: // CONNECT_IND: InitA, AdvA
      addr = payload + 6;
      break;
    default:
      return -1;
  }
  if (addr + 6 > payload + pduLen || addr + 6 > b.length) return -1;
  return addr;
}

/** `aa:bb:cc:dd:ee:ff` of a BLE address stored least-significant byte first. */
export function formatBleAddress(b: Uint8Array, off: number): string {
  const parts: string[] = [];
  for (let i = 5; i >= 0; i--) parts.push((b[off + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}
