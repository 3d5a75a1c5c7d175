// `cryptoutil <product> server|migrate|health|shutdown`: the commands every product has.
// `server --dev` means embedded in-memory SQLite, auto TLS and (once the barrier exists) dev
// unseal, on the product's default ports.
import { resolve } from 'node:path';
import { loadConfig } from '@cryptoutil/config';
import {
  migrateService,
  startService,
  type AnyProductDefinition,
  type ServiceConfig,
} from '@cryptoutil/server';
import type { Command } from 'commander';
import { CommandFailure, UsageError, type CliIo } from '../io.js';
import { callAdmin } from '../admin-client.js';
import { CLI_VERSION } from '../version.js';
import { adminTarget } from '../admin-target.js';
import { registerBarrierCommands } from './barrier.js';
import { collect } from './tls.js';
import { withDevCredentials } from './dev-credentials.js';

export interface ConfigOptions {
  config: string[];
  set: string[];
  dev?: boolean;
}

/** Dev presets sit below files, env and flags, so any of them can still override a preset. */
export const DEV_PRESET = {
  database: { url: ':memory:' },
  tls: { mode: 'auto' },
} as const;

export function loadProductConfig(
  product: AnyProductDefinition,
  options: ConfigOptions,
  io: CliIo,
): ServiceConfig {
  // The product's schema extends ServiceConfig (createServiceConfigSchema), so its output does too.
  return loadConfig({
    schema: product.configSchema,
    files: options.config.map((f) => resolve(io.cwd, f)),
    env: io.env,
    envPrefixes: ['CRYPTOUTIL_', `CRYPTOUTIL_${product.name.toUpperCase()}__`],
    flags: options.set,
    ...(options.dev ? { base: structuredClone<Record<string, unknown>>(DEV_PRESET) } : {}),
  }) as ServiceConfig;
}

/** Adds dev mode's API key when the config has no credentials, and says where it is. */
export function devConfig(
  product: AnyProductDefinition,
  config: ServiceConfig,
  io: CliIo,
): ServiceConfig {
  const dev = withDevCredentials(product, config, io.cwd);
  if (dev.keyFile !== undefined) {
    io.stdout(
      `${product.name}: dev API key (all ${product.name} scopes, tenant ${config.auth.defaultTenant}) written to ${dev.keyFile}\n`,
    );
  }
  return dev.config;
}

export function withConfigOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'YAML config file (repeatable; later files win)', collect, [])
    .option(
      '-s, --set <key=value>',
      'override one config key (repeatable; highest precedence)',
      collect,
      [],
    );
}

export function registerProductCommands(
  program: Command,
  product: AnyProductDefinition,
  io: CliIo,
): void {
  const cmd = program.command(product.name).description(product.title);
  withConfigOptions(cmd.command('server').description(`run the ${product.title}`))
    .option('--dev', 'in-memory SQLite, auto TLS, dev unseal, default ports')
    .action(async (options: ConfigOptions) => {
      let config = loadProductConfig(product, options, io);
      if (options.dev) config = devConfig(product, config, io);
      const service = await startService(product, config, { version: CLI_VERSION, exit: io.exit });
      service.installSignalHandlers(io.signals);
      await service.closed;
    });
  withConfigOptions(cmd.command('migrate').description('apply pending database migrations')).action(
    async (options: ConfigOptions) => {
      const config = loadProductConfig(product, options, io);
      const applied = await migrateService(product, config);
      io.stdout(
        applied.length === 0
          ? 'no pending migrations\n'
          : `applied migrations ${applied.join(', ')}\n`,
      );
    },
  );
  const health = cmd.command('health').description('probe the admin listener');
  for (const probe of ['livez', 'readyz'] as const) {
    withAdminOptions(
      withConfigOptions(health.command(probe).description(`GET /admin/v1/${probe}`)),
    ).action(async (options: ConfigOptions & AdminOptions) => {
      const target = adminTarget(product, loadProductConfig(product, options, io), options, io.cwd);
      const res = await callAdmin({
        method: 'GET',
        url: new URL(`/admin/v1/${probe}`, target.url),
        ca: target.ca,
        cert: target.cert,
        key: target.key,
      });
      io.stdout(`${res.body}\n`);
      if (res.status !== 200) throw new CommandFailure(`${probe}: HTTP ${res.status}`);
    });
  }
  withAdminOptions(
    withConfigOptions(
      cmd.command('shutdown').description('ask the server to shut down gracefully'),
    ),
  ).action(async (options: ConfigOptions & AdminOptions) => {
    const target = adminTarget(product, loadProductConfig(product, options, io), options, io.cwd);
    const res = await callAdmin({
      method: 'POST',
      url: new URL('/admin/v1/shutdown', target.url),
      ca: target.ca,
      cert: target.cert,
      key: target.key,
    });
    if (res.status !== 202) throw new CommandFailure(`shutdown: HTTP ${res.status}: ${res.body}`);
    io.stdout('shutdown requested\n');
  });
  registerBarrierCommands(cmd, product, io);
}

export interface AdminOptions {
  url?: string;
  cacert?: string;
  cert?: string;
  key?: string;
}

export function withAdminOptions(command: Command): Command {
  return command
    .option(
      '--url <url>',
      'admin listener base URL (default: from config, https://127.0.0.1:<admin.port>)',
    )
    .option('--cacert <file>', 'CA certificate to trust (default: from the tls config)')
    .option('--cert <file>', 'client certificate chain (PEM) when admin.clientAuth is required')
    .option('--key <file>', 'private key (PEM) of --cert');
}

export function registerPlannedProduct(program: Command, name: string): void {
  program
    .command(name, { hidden: true })
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError(`${name} is not part of this build yet; it arrives with its own issue`);
    });
}
