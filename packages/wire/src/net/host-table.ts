/**
 * @module host-table
 * `host` events, once per distinct (MAC, IP) pair, from ARP, NDP and IP over a link that carries
 * MACs. The set of pairs seen is bounded; past the bound the oldest pairs are forgotten (and may be
 * reported again).
 */
import type { HostEvent, Micros, WireEvent } from '../events.js';

// Second hex digit of the first octet odd: 1 3 5 7 9 b d f.
const GROUP_FIRST_OCTET = new Set([0x31, 0x33, 0x35, 0x37, 0x39, 0x62, 0x64, 0x66]);

export class HostTable {
  private readonly seen = new Set<string>();

  constructor(
    private readonly emit: (event: WireEvent) => void,
    private readonly maxHosts: number,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** Reports (mac, ip) unless seen; ignores unspecified, broadcast and multicast MACs. */
  observe(mac: string, ip: string, via: HostEvent['via'], ts: Micros, vlans: readonly number[] | undefined): void {
    // Group bit of the first octet (broadcast, multicast): no such source exists.
    if (GROUP_FIRST_OCTET.has(mac.charCodeAt(1)) || mac === '00:00:00:00:00:00') return;
    const key = mac + ip;
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.maxHosts) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.add(key);
    const event: HostEvent =
      vlans === undefined ? { kind: 'host', ts, mac, ip, via } : { kind: 'host', ts, mac, ip, via, vlans };
    this.emit(event);
  }
}
