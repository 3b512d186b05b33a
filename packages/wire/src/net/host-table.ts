/**
 * @module host-table
 * `host` events, once per distinct (MAC, IP) pair, from ARP, NDP and IP over a link that carries
 * MACs. The set of pairs seen is bounded; past the bound the oldest pairs are forgotten (and may be
 * reported again).
 */
import type { HostEvent, Micros, WireEvent } from '../events.js';

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
    if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return;
    // Group bit of the first octet: multicast sources do not exist.
    if ((parseInt(mac.slice(0, 2), 16) & 1) === 1) return;
    const key = `${mac}|${ip}`;
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
