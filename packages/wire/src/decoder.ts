/**
 * @module decoder
 * The whole of wire in one object: capture bytes in (pushed in chunks cut anywhere), events out.
 * capture → link → network → flow table and TCP reassembly → application decoders (chosen by port,
 * then by content). Nothing here throws on hostile bytes; problems are `decode-error` events.
 */
import { CaptureReader } from './capture/capture-reader.js';
import { DEFAULT_CAPTURE_LIMITS, type CaptureLimits, type CapturedPacket } from './capture/capture-types.js';
import { WireError } from './errors.js';
import type { AppDecoderFactory, EventSink, Micros, WireEvent } from './events.js';
import { DEFAULT_FLOW_LIMITS, FlowTable, type FlowLimits } from './flow/flow-table.js';
import type { Wlan80211Counters } from './link/ieee802-11.js';
import { decodeLink } from './link/link-layer.js';
import { LINKTYPE_NORDIC_BLE, LinkResult } from './link/link-types.js';
import { bleAdvertiserOffset, formatBleAddress } from './link/nordic-ble.js';
import { DEFAULT_FRAGMENT_LIMITS, type FragmentLimits } from './net/ip-fragments.js';
import { NetLayer } from './net/net-layer.js';
import { PacketState } from './net/packet-state.js';

/** Every bound of a decoder. All have defaults that keep a decoder well under 256 MB. */
export interface DecoderLimits extends CaptureLimits, FlowLimits {
  readonly fragments: FragmentLimits;
  /** Distinct (MAC, IP) pairs and BLE advertisers remembered for de-duplication. */
  readonly maxHosts: number;
  /** decode-error events passed on per code (all are counted in `stats().decodeErrors`). */
  readonly maxErrorEventsPerCode: number;
}

export const DEFAULT_DECODER_LIMITS: DecoderLimits = {
  ...DEFAULT_CAPTURE_LIMITS,
  ...DEFAULT_FLOW_LIMITS,
  fragments: DEFAULT_FRAGMENT_LIMITS,
  maxHosts: 65_536,
  maxErrorEventsPerCode: 1000,
};

export interface DecoderOptions {
  readonly sink: EventSink;
  /** Application decoders (the app registry's `APP_DECODERS` once merged); default none. */
  readonly decoders?: readonly AppDecoderFactory[];
  readonly limits?: Partial<Omit<DecoderLimits, 'fragments'>> & { readonly fragments?: Partial<FragmentLimits> };
}

/** The `stats` of `ward scan --json`. */
export interface DecoderStats {
  readonly packets: number;
  /** Captured bytes of all packets. */
  readonly bytes: number;
  readonly flows: number;
  readonly decodeErrors: number;
  /** The capture was cut short mid-record. */
  readonly truncated: boolean;
}

/** Finer counters, for diagnostics and tests. */
export interface DecoderCounters {
  readonly linkTypes: Readonly<Record<number, number>>;
  readonly skippedFrames: number;
  readonly malformedFrames: number;
  readonly unsupportedFrames: number;
  readonly wlan: Readonly<Wlan80211Counters>;
  readonly ipv4: number;
  readonly ipv6: number;
  readonly arp: number;
  readonly fragments: number;
  readonly activeFlows: number;
  readonly bufferedBytes: number;
  readonly fragmentBytes: number;
  readonly hosts: number;
  readonly bleAdvertisers: number;
}

export interface Decoder {
  push(chunk: Uint8Array): void;
  end(): void;
  stats(): DecoderStats;
  counters(): DecoderCounters;
}

function checkLimits(l: DecoderLimits): void {
  const positive: [string, number][] = [
    ['maxPacketBytes', l.maxPacketBytes],
    ['maxBlockBytes', l.maxBlockBytes],
    ['maxFlows', l.maxFlows],
    ['maxFlowBufferBytes', l.maxFlowBufferBytes],
    ['maxTotalBufferBytes', l.maxTotalBufferBytes],
    ['maxHosts', l.maxHosts],
    ['maxErrorEventsPerCode', l.maxErrorEventsPerCode],
    ['fragments.maxDatagrams', l.fragments.maxDatagrams],
    ['fragments.maxFragments', l.fragments.maxFragments],
    ['fragments.maxBytes', l.fragments.maxBytes],
  ];
  for (const [name, v] of positive) {
    if (!Number.isFinite(v) || v < 1)
      throw new WireError('WIRE_LIMITS_INVALID', `limits.${name} must be a positive number`);
  }
}

class WireDecoder implements Decoder {
  private readonly reader: CaptureReader;
  private readonly state = new PacketState();
  private readonly flows: FlowTable;
  private readonly net: NetLayer;
  private readonly emit: (event: WireEvent) => void;
  private readonly wlan: Wlan80211Counters = { management: 0, control: 0, protected: 0, noData: 0 };
  private readonly linkTypes: Record<number, number> = {};
  private readonly ble = new Set<string>();
  private readonly maxHosts: number;
  private packets = 0;
  private bytes = 0;
  private errors = 0;
  private skipped = 0;
  private malformed = 0;
  private unsupported = 0;
  private lastTs: Micros = 0;
  private ended = false;

  constructor(options: DecoderOptions) {
    const { fragments, ...rest } = options.limits ?? {};
    const limits: DecoderLimits = {
      ...DEFAULT_DECODER_LIMITS,
      ...rest,
      fragments: { ...DEFAULT_FRAGMENT_LIMITS, ...fragments },
    };
    checkLimits(limits);
    this.maxHosts = limits.maxHosts;
    const sink = options.sink;
    const perCode = new Map<string, number>();
    const cap = limits.maxErrorEventsPerCode;
    this.emit = (event) => {
      if (event.kind === 'decode-error') {
        // Every error is counted; a flood of one code (a hostile capture) is not all passed on.
        this.errors++;
        const n = (perCode.get(event.code) ?? 0) + 1;
        perCode.set(event.code, n);
        if (n > cap) return;
      }
      sink(event);
    };
    this.flows = new FlowTable(this.emit, options.decoders ?? [], limits);
    this.net = new NetLayer(this.emit, this.flows, limits.fragments, limits.maxHosts);
    this.reader = new CaptureReader(
      (p) => {
        this.packet(p);
      },
      (code, offset, detail) => {
        this.emit({
          kind: 'decode-error',
          ts: this.lastTs,
          code,
          layer: this.reader.format ?? 'capture',
          offset,
          detail,
        });
      },
      limits,
    );
  }

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    this.reader.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.reader.end();
    this.flows.end();
  }

  private packet(p: CapturedPacket): void {
    this.packets++;
    this.bytes += p.data.length;
    if (p.ts > this.lastTs) this.lastTs = p.ts;
    const lt = p.linkType;
    this.linkTypes[lt] = (this.linkTypes[lt] ?? 0) + 1;
    const s = this.state;
    s.reset(p.data, p.ts);
    if (lt === LINKTYPE_NORDIC_BLE) {
      this.bleFrame(p);
      return;
    }
    const r = decodeLink(s, lt, this.wlan);
    if (r === LinkResult.Network) {
      this.net.network(s);
      return;
    }
    if (r === LinkResult.Skipped) this.skipped++;
    else if (r === LinkResult.Unsupported) this.unsupported++;
    else if (r === LinkResult.Malformed) {
      this.malformed++;
      this.emit({
        kind: 'decode-error',
        ts: p.ts,
        code: 'WIRE_PACKET_MALFORMED',
        layer: 'link',
        offset: p.fileOffset,
        detail: `frame of link type ${String(lt)} shorter than its headers`,
      });
    }
  }

  private bleFrame(p: CapturedPacket): void {
    const off = bleAdvertiserOffset(p.data);
    if (off < 0) {
      this.skipped++;
      return;
    }
    const address = formatBleAddress(p.data, off);
    if (this.ble.has(address)) return;
    if (this.ble.size >= this.maxHosts) {
      const oldest = this.ble.values().next();
      if (!oldest.done) this.ble.delete(oldest.value);
    }
    this.ble.add(address);
    this.emit({ kind: 'ble-advertiser', ts: p.ts, address });
  }

  stats(): DecoderStats {
    return {
      packets: this.packets,
      bytes: this.bytes,
      flows: this.flows.created,
      decodeErrors: this.errors,
      truncated: this.reader.truncated,
    };
  }

  counters(): DecoderCounters {
    const n = this.net.counters;
    return {
      linkTypes: { ...this.linkTypes },
      skippedFrames: this.skipped,
      malformedFrames: this.malformed,
      unsupportedFrames: this.unsupported,
      wlan: { ...this.wlan },
      ipv4: n.ipv4,
      ipv6: n.ipv6,
      arp: n.arp,
      fragments: n.fragments,
      activeFlows: this.flows.size,
      bufferedBytes: this.flows.bufferedBytes,
      fragmentBytes: this.net.fragments.heldBytes,
      hosts: this.net.hosts.size,
      bleAdvertisers: this.ble.size,
    };
  }
}

/** Creates a decoder: push capture chunks, call `end()`, read `stats()`. Events go to `sink` as they happen. */
export function createDecoder(options: DecoderOptions): Decoder {
  return new WireDecoder(options);
}
