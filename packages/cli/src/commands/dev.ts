// `cryptoutil dev`: every product of this build in one process, each on its default ports,
// with in-memory SQLite and auto TLS. Until a product exists it says so and exits 0. Shutting
// one product down (its admin endpoint) leaves the others running; SIGTERM/SIGINT stop all,
// and a second signal forces exit.
import { startService, type AnyProductDefinition, type RunningService } from '@cryptoutil/server';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { products } from '../products.js';
import { CLI_VERSION } from '../version.js';
import { devConfig, loadProductConfig } from './product.js';
import { collect } from './tls.js';

interface DevOptions {
  config: string[];
  set: string[];
}

/**
 * The `--set` overrides for one product: unprefixed ones apply to every product, and
 * `<product>:<key>=<value>` (e.g. `jose:public.port=18060`) only to the one named.
 */
export function setsFor(
  product: AnyProductDefinition,
  available: readonly AnyProductDefinition[],
  sets: readonly string[],
): string[] {
  const names = new Set(available.map((p) => p.name));
  return sets.flatMap((entry) => {
    const match = /^([a-z]+):(.+)$/.exec(entry);
    if (!match || !names.has(match[1] as string)) return [entry];
    return match[1] === product.name ? [match[2] as string] : [];
  });
}

async function runAll(available: readonly AnyProductDefinition[], options: DevOptions, io: CliIo) {
  const services: RunningService[] = [];
  // Signals are heard from the start: one that arrives while later products still start stops
  // the ones already running, and no further product starts.
  let stopping: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping !== undefined) return io.exit(1);
    stopping = signal;
    void Promise.all(services.map((s) => s.shutdown(signal)));
  };
  io.signals.on('SIGTERM', onSignal);
  io.signals.on('SIGINT', onSignal);
  try {
    for (const product of available) {
      if (stopping !== undefined) break;
      const set = setsFor(product, available, options.set);
      const config = devConfig(
        product,
        loadProductConfig(product, { ...options, set, dev: true }, io),
        io,
      );
      const service = await startService(product, config, {
        version: CLI_VERSION,
        exit: () => undefined,
      });
      services.push(service);
      if (stopping !== undefined) void service.shutdown(stopping);
    }
    await Promise.all(services.map((s) => s.closed));
  } catch (err) {
    await Promise.all(services.map((s) => s.shutdown('start-up failed')));
    throw err;
  } finally {
    io.signals.off('SIGTERM', onSignal);
    io.signals.off('SIGINT', onSignal);
  }
}

export function registerDevCommand(program: Command, io: CliIo, available = products): void {
  program
    .command('dev')
    .description('run every product in one process (in-memory SQLite, auto TLS, dev unseal)')
    .option(
      '-c, --config <file>',
      'YAML config file applied to every product (repeatable)',
      collect,
      [],
    )
    .option(
      '-s, --set <key=value>',
      'override one config key of every product, or of one with <product>:<key>=<value> (repeatable)',
      collect,
      [],
    )
    .action(async (options: DevOptions) => {
      if (available.length === 0) {
        io.stdout(
          'cryptoutil dev: no product is built yet. The suite grows one product at a time (KMS first);\n' +
            'the foundation (config, TLS, telemetry, database and the dual-listener kit) is in place.\n',
        );
        return;
      }
      await runAll(available, options, io);
    });
}
