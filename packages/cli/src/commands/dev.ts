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

async function runAll(available: readonly AnyProductDefinition[], options: DevOptions, io: CliIo) {
  const services: RunningService[] = [];
  try {
    for (const product of available) {
      const config = devConfig(
        product,
        loadProductConfig(product, { ...options, dev: true }, io),
        io,
      );
      services.push(
        await startService(product, config, { version: CLI_VERSION, exit: () => undefined }),
      );
    }
  } catch (err) {
    await Promise.all(services.map((s) => s.shutdown('start-up failed')));
    throw err;
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return io.exit(1);
    stopping = true;
    void Promise.all(services.map((s) => s.shutdown(signal)));
  };
  io.signals.on('SIGTERM', onSignal);
  io.signals.on('SIGINT', onSignal);
  await Promise.all(services.map((s) => s.closed));
  io.signals.off('SIGTERM', onSignal);
  io.signals.off('SIGINT', onSignal);
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
      'override one config key of every product (repeatable)',
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
