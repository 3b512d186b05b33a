/**
 * @module app/dhcp
 * DHCP over UDP 67/68 (RFC 2131/2132): the fields a passive inventory needs (hostname, vendor
 * class, the option-55 parameter list that fingerprints an operating system, client id, FQDN,
 * vendor-specific info), read from the options field and, when option 52 says so, from the `file`
 * and `sname` fields. Repeated options are concatenated (RFC 3396). Pad (0) and end (255) handled.
 */
import type { AppContext, AppDecoderFactory, DhcpEvent, Direction, Micros } from '../events.js';
import { hexOf, ipv4Of, macOf, u16be, u32be, utf8Of } from './bytes.js';

const MAGIC = 0x63825363;
const OPTIONS_AT = 240;
const FILE_AT = 108;
const FILE_END = 236;
const SNAME_AT = 44;
const SNAME_END = 108;
const WANTED = new Set([12, 50, 52, 53, 55, 57, 60, 61, 81, 43]);

type Options = Map<number, Uint8Array[]>;

/** Walks one option area; returns the offset of a problem, or -1. */
function walkOptions(b: Uint8Array, start: number, end: number, into: Options): number {
  let at = start;
  while (at < end) {
    const code = b[at] ?? 0;
    if (code === 0) {
      at++;
      continue;
    }
    if (code === 255) return -1;
    if (at + 1 >= end) return at;
    const length = b[at + 1] ?? 0;
    if (at + 2 + length > end) return at;
    if (WANTED.has(code)) {
      const list = into.get(code) ?? [];
      list.push(b.subarray(at + 2, at + 2 + length));
      into.set(code, list);
    }
    at += 2 + length;
  }
  return -1; // no end option: tolerated (many clients pad to the end instead)
}

function joined(options: Options, code: number): Uint8Array | undefined {
  const parts = options.get(code);
  if (parts === undefined) return undefined;
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Presentation form of a DNS wire-format name (RFC 4702 §2.3.1 canonical encoding). */
function wireName(b: Uint8Array, start: number): string {
  const labels: string[] = [];
  let at = start;
  while (at < b.length && labels.length < 128) {
    const length = b[at] ?? 0;
    if (length === 0 || length > 63 || at + 1 + length > b.length) break;
    labels.push(utf8Of(b, at + 1, at + 1 + length, 63));
    at += 1 + length;
  }
  return labels.join('.');
}

type DhcpFields = Omit<DhcpEvent, 'ts' | 'flow' | 'direction'>;

/** Decodes one BOOTP/DHCP message; an error carries the offset of the problem in the datagram. */
export function parseDhcp(
  b: Uint8Array,
): { ok: true; value: DhcpFields } | { ok: false; offset: number; detail: string } {
  if (b.length < OPTIONS_AT) return { ok: false, offset: b.length, detail: 'shorter than a BOOTP header and cookie' };
  const op = b[0];
  if (op !== 1 && op !== 2) return { ok: false, offset: 0, detail: 'op is neither BOOTREQUEST nor BOOTREPLY' };
  const cookie = u32be(b, 236);
  if (cookie !== MAGIC) return { ok: false, offset: 236, detail: 'no DHCP magic cookie' };
  const options: Options = new Map();
  const bad = walkOptions(b, OPTIONS_AT, b.length, options);
  if (bad >= 0) return { ok: false, offset: bad, detail: 'option runs past the end of the datagram' };
  const overload = joined(options, 52)?.[0] ?? 0;
  if ((overload & 1) !== 0) {
    const at = walkOptions(b, FILE_AT, FILE_END, options);
    if (at >= 0) return { ok: false, offset: at, detail: 'option runs past the end of the file field' };
  }
  if ((overload & 2) !== 0) {
    const at = walkOptions(b, SNAME_AT, SNAME_END, options);
    if (at >= 0) return { ok: false, offset: at, detail: 'option runs past the end of the sname field' };
  }
  const hlen = b[2] ?? 0;
  const type = joined(options, 53);
  const hostname = joined(options, 12);
  const requested = joined(options, 50);
  const params = joined(options, 55);
  const maxSize = joined(options, 57);
  const vendorClass = joined(options, 60);
  const clientId = joined(options, 61);
  const fqdn = joined(options, 81);
  const vendor = joined(options, 43);
  const ciaddr = ipv4Of(b, 12);
  const yiaddr = ipv4Of(b, 16);
  return {
    ok: true,
    value: {
      kind: 'dhcp',
      messageType: type !== undefined && type.length >= 1 ? (type[0] ?? null) : null,
      clientMac: macOf(b, 28, hlen >= 1 && hlen <= 16 ? Math.min(hlen, 16) : 6),
      ...(hostname === undefined ? {} : { hostname: utf8Of(hostname, 0, hostname.length) }),
      ...(requested?.length === 4 ? { requestedIp: ipv4Of(requested, 0) } : {}),
      ...(params === undefined ? {} : { paramList: [...params] }),
      ...(maxSize?.length === 2 ? { maxMessageSize: u16be(maxSize, 0) } : {}),
      ...(vendorClass === undefined ? {} : { vendorClass: utf8Of(vendorClass, 0, vendorClass.length) }),
      ...(clientId === undefined ? {} : { clientId: hexOf(clientId) }),
      ...(fqdn !== undefined && fqdn.length >= 3
        ? { fqdn: ((fqdn[0] ?? 0) & 0x04) !== 0 ? wireName(fqdn, 3) : utf8Of(fqdn, 3, fqdn.length) }
        : {}),
      ...(vendor === undefined ? {} : { vendorSpecific: hexOf(vendor) }),
      ...(yiaddr === '0.0.0.0' ? {} : { yourIp: yiaddr }),
      ...(ciaddr === '0.0.0.0' ? {} : { clientIp: ciaddr }),
    },
  };
}

function decodeDhcp(ctx: AppContext, direction: Direction, data: Uint8Array, ts: Micros): void {
  const r = parseDhcp(data);
  if (r.ok) ctx.emit({ ts, flow: ctx.flow, direction, ...r.value });
  else ctx.error('WIRE_DHCP_MALFORMED', r.offset, r.detail, ts);
}

export const dhcpDecoder: AppDecoderFactory = {
  protocol: 'dhcp',
  udpPorts: [67, 68],
  decodeUdp: decodeDhcp,
};
