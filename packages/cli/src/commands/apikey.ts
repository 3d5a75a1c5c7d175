// `cryptoutil apikey create`: makes a new API key for `Authorization: Bearer` and prints the key
// once (it is never stored) with the config entry holding only its HKDF-SHA-256 hash
// (ARCHITECTURE §6). The pepper is read from a file, never from the command line.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateApiKey, hashApiKey } from '@cryptoutil/server';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError, type CliIo } from '../io.js';
import { collect } from './tls.js';

interface ApiKeyOptions {
  pepperFile: string;
  tenant: string;
  scope: string[];
  id?: string;
}

export function registerApiKeyCommands(program: Command, io: CliIo): void {
  program
    .command('apikey')
    .description('API key tools')
    .command('create')
    .description('create an API key; prints the key once and the config entry with its hash')
    .requiredOption(
      '--pepper-file <file>',
      'file holding the pepper (auth.pepper), at least 32 characters',
    )
    .option('--tenant <tenant>', 'tenant of the key', 'default')
    .option('--scope <scope>', 'scope granted to the key (repeatable)', collect, [])
    .option('--id <id>', 'key id (letters, digits, -); random when absent')
    .action((options: ApiKeyOptions) => {
      const pepper = readPepper(resolve(io.cwd, options.pepperFile));
      let generated;
      try {
        generated = generateApiKey(options.id === undefined ? {} : { id: options.id });
      } catch (err) {
        throw new UsageError(`--id: ${(err as Error).message}`);
      }
      const entry = {
        id: generated.id,
        hash: hashApiKey(generated.key, pepper),
        tenant: options.tenant,
        scopes: options.scope,
      };
      io.stdout(
        [
          `API key (shown once; store it in your secret manager): ${generated.key}`,
          'add this entry to auth.apiKeys in the product configuration:',
          stringify({ auth: { apiKeys: [entry] } }),
        ].join('\n'),
      );
    });
}

function readPepper(file: string): string {
  let pepper: string;
  try {
    pepper = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    throw new UsageError(`--pepper-file: cannot read ${file}`);
  }
  if (pepper.length < 32)
    throw new UsageError('--pepper-file: the pepper must be at least 32 characters');
  return pepper;
}
