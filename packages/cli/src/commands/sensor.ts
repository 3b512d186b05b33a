/**
 * @module commands/sensor
 * `ward sensor --interface IF [--filter BPF] [--duration S]`: live passive discovery. tcpdump
 * captures (Ward never sends a packet and needs no capture privilege of its own); observations go
 * to the store continuously, and the devices they show are merged into the inventory (with sensor
 * provenance, audited as the operating-system user's change) as the capture goes. SIGINT or SIGTERM (or the end of --duration) stops the capture, writes
 * the last batch and reports how tcpdump ended.
 */
import { Option, type Command } from 'commander';
import { runLiveSensor } from '@ward/sensor';
import { storeOptions, withServices, type StoreFlags } from '../context.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';

interface SensorFlags extends StoreFlags {
  readonly interface: string;
  readonly filter?: string;
  readonly duration?: string;
  readonly tcpdump?: string;
}

export function sensorCommand(program: Command, io: CliIo): void {
  storeOptions(
    program
      .command('sensor')
      .description('capture live with tcpdump and write observations to the store continuously')
      .requiredOption('-i, --interface <name>', 'network interface to listen on')
      .option('--filter <bpf>', 'BPF filter expression, e.g. "tcp port 104 or tcp port 2575"')
      .option('--duration <seconds>', 'stop after this many seconds (default: until SIGINT/SIGTERM)')
      .addOption(new Option('--tcpdump <path>', 'tcpdump executable').default('tcpdump').hideHelp()),
  ).action(async (flags: SensorFlags) => {
    const duration = flags.duration === undefined ? undefined : Number(flags.duration);
    if (duration !== undefined && !(Number.isFinite(duration) && duration > 0))
      throw new CliError('CLI_USAGE', '--duration must be a positive number of seconds', {
        details: { field: 'duration' },
      });
    await withServices(io, flags, async (services, actor) => {
      const store = services.store;
      const inventory = services.inventory(actor);
      const merged = { created: 0, updated: 0 };
      const controller = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        io.stderr(`ward: ${signal} received, stopping the capture\n`);
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const timer =
        duration === undefined
          ? undefined
          : setTimeout(() => {
              controller.abort();
            }, duration * 1000);
      try {
        const result = await runLiveSensor({
          interface: flags.interface,
          ...(flags.filter === undefined ? {} : { filter: flags.filter }),
          ...(flags.tcpdump === undefined ? {} : { tcpdump: flags.tcpdump }),
          store,
          signal: controller.signal,
          onFlush: (r) => {
            if (flags.json !== true)
              io.stderr(`ward sensor: +${String(r.inserted)} observations (${String(r.total)} this run)\n`);
          },
          onDevices: async (devices) => {
            const report = await inventory.applyDiscovery(devices, { kind: 'sensor', sensor: flags.interface });
            merged.created += report.created;
            merged.updated += report.updated;
            if (flags.json !== true && report.created + report.updated > 0)
              io.stderr(
                `ward sensor: inventory ${String(report.created)} devices created, ${String(report.updated)} updated\n`,
              );
          },
        });
        const summary = { interface: flags.interface, ...result, inventory: merged };
        io.stdout(
          flags.json === true
            ? `${JSON.stringify(summary, null, 2)}\n`
            : `Captured ${String(result.stats.packets)} packets on ${flags.interface}; ${String(result.observations)} observations, ` +
                `${String(result.inserted)} new in ${store.location}; inventory: ${String(merged.created)} devices created, ` +
                `${String(merged.updated)} updated; tcpdump exited ${String(result.tcpdump.exitCode ?? result.tcpdump.signal)}` +
                `${result.tcpdump.stderr === '' ? '' : `: ${result.tcpdump.stderr.split('\n').slice(-2).join(' ')}`}\n`,
        );
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
  });
}
