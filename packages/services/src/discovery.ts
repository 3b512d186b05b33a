/**
 * @module discovery
 * Passive discovery feeding the inventory: what a capture shows (a file scanned, an upload decoded
 * as it streams in, or a live interface) is stored as observations and merged into the device
 * inventory with sensor provenance, through the inventory service, so each created or updated
 * device is a `device.*` event of the actor who asked.
 */
import { SensorError, scanStream, toObservationRow, type ScanResult, type ScanStats } from '@ward/sensor';
import type { InventoryService } from '@ward/inventory';
import type { Store } from '@ward/store';

export interface DiscoveryReport {
  readonly devices: number;
  readonly stats: ScanStats;
  readonly observations: { readonly inserted: number; readonly known: number };
  readonly inventory: { readonly created: number; readonly updated: number; readonly unchanged: number };
}

export class DiscoveryService {
  constructor(
    readonly store: Store,
    private readonly inventory: InventoryService,
  ) {}

  /**
   * Stores what a scan found: its observations (source `origin`), then its devices merged into the
   * inventory as seen by `sensor`.
   */
  async save(result: ScanResult, origin: string, sensor = 'local'): Promise<DiscoveryReport> {
    const recorded = await this.store.observations.record(result.observations.map((o) => toObservationRow(o, origin)));
    const merged = await this.inventory.applyDiscovery(result.devices, { kind: 'sensor', sensor });
    return {
      devices: result.devices.length,
      stats: result.stats,
      observations: { inserted: recorded.inserted, known: recorded.known },
      inventory: { created: merged.created, updated: merged.updated, unchanged: merged.unchanged },
    };
  }

  /**
   * Decodes one capture as it streams in (pcap or pcapng, gzip or not) and saves what it shows. A
   * stream that fails (cut off, over its limit) saves nothing and throws its error; bytes that are
   * no capture at all are SENSOR_CAPTURE_UNREADABLE.
   */
  async ingest(input: AsyncIterable<unknown>, name: string, sensor = 'upload'): Promise<DiscoveryReport> {
    const result = await scanStream(input, name, { failOnStreamError: true });
    if (result.stats.packets === 0 && result.stats.decodeErrors > 0) {
      throw new SensorError('SENSOR_CAPTURE_UNREADABLE', `${name} is not a pcap or pcapng capture`, {
        details: { file: name },
      });
    }
    return this.save(result, 'scan', sensor);
  }
}
