// Builds the `cryptoutil` command tree and runs it, mapping outcomes to exit codes: 0 ok,
// 1 failure, 2 usage or configuration error (a config error prints every failing key path).
import { ConfigError } from '@cryptoutil/config';
import { TlsConfigError } from '@cryptoutil/tls';
import type { AnyProductDefinition } from '@cryptoutil/server';
import { Command, CommanderError } from 'commander';
import { registerApiKeyCommands } from './commands/apikey.js';
import { registerCaCeremonyCommands } from './commands/ca-ceremony.js';
import { registerDevCommand } from './commands/dev.js';
import { registerDocsCommand } from './commands/docs.js';
import { registerPlannedProduct, registerProductCommands } from './commands/product.js';
import { registerTlsCommands } from './commands/tls.js';
import { CommandFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.js';
import { CLI_VERSION } from './version.js';
import { PLANNED_PRODUCTS, products as builtProducts } from './products.js';

export function createProgram(
  io: CliIo,
  products: readonly AnyProductDefinition[] = builtProducts,
): Command {
  const program = new Command('cryptoutil')
    .description('cryptoutil: KMS, CA, JOSE authority and Identity in one suite')
    .version(CLI_VERSION)
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerDevCommand(program, io, products);
  for (const product of products) registerProductCommands(program, product, io);
  for (const name of PLANNED_PRODUCTS) {
    if (!products.some((p) => p.name === name)) registerPlannedProduct(program, name);
  }
  registerCaCeremonyCommands(program, io);
  registerTlsCommands(program, io);
  registerApiKeyCommands(program, io);
  registerDocsCommand(program, io, products);
  const exitOverride = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  products: readonly AnyProductDefinition[] = builtProducts,
): Promise<number> {
  const program = createProgram(io, products);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

function exitCodeFor(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Help and version end with their own codes of 0; parse errors were printed by commander.
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof ConfigError) {
    io.stderr(`cryptoutil: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof TlsConfigError) {
    io.stderr(`cryptoutil: invalid configuration:\n  ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    io.stderr(`cryptoutil: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof CommandFailure) {
    io.stderr(`cryptoutil: ${err.message}\n`);
    return EXIT_FAILURE;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`cryptoutil: ${message}\n`);
  return EXIT_FAILURE;
}
