// `cryptoutil <product> barrier status|seal|init|unseal|rotate`: the operator's side of the
// barrier admin API (ARCHITECTURE §4). Shares are read from files, never from the command line,
// so they stay out of shell history and the process list.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnyProductDefinition } from '@cryptoutil/server';
import type { Command } from 'commander';
import { callAdmin } from '../admin-client.js';
import { adminTarget } from '../admin-target.js';
import { CommandFailure, UsageError, type CliIo } from '../io.js';
import {
  loadProductConfig,
  withAdminOptions,
  withConfigOptions,
  type AdminOptions,
  type ConfigOptions,
} from './product.js';
import { toInt } from './tls.js';

type Options = ConfigOptions & AdminOptions;

async function call(
  context: { product: AnyProductDefinition; io: CliIo; options: Options },
  request: { method: 'GET' | 'POST'; path: string; body?: unknown },
): Promise<unknown> {
  const { product, io, options } = context;
  const target = adminTarget(product, loadProductConfig(product, options, io), options, io.cwd);
  const res = await callAdmin({
    method: request.method,
    url: new URL(`/admin/v1/barrier${request.path}`, target.url),
    ca: target.ca,
    cert: target.cert,
    key: target.key,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  if (res.status < 200 || res.status >= 300) {
    throw new CommandFailure(`barrier${request.path}: HTTP ${res.status}: ${res.body}`);
  }
  return JSON.parse(res.body) as unknown;
}

function readShare(cwd: string, file: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8').trim();
  } catch {
    throw new UsageError(`--share-file: cannot read ${resolve(cwd, file)}`);
  }
}

export function registerBarrierCommands(
  parent: Command,
  product: AnyProductDefinition,
  io: CliIo,
): void {
  const barrier = parent
    .command('barrier')
    .description('encryption at rest: status, seal, unseal, rotate');
  const sub = (name: string, description: string) =>
    withAdminOptions(withConfigOptions(barrier.command(name).description(description)));
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

  sub('status', 'show whether the barrier is sealed, its mode and current keys').action(
    async (options: Options) =>
      print(await call({ product, io, options }, { method: 'GET', path: '/status' })),
  );
  sub('seal', 'seal the barrier: every crypto operation answers 503 until unsealed').action(
    async (options: Options) =>
      print(await call({ product, io, options }, { method: 'POST', path: '/seal' })),
  );
  sub('init', 'shares mode: create the unseal key and print its shares once')
    .requiredOption('--shares <n>', 'how many shares to make', toInt)
    .requiredOption('--threshold <m>', 'how many shares unseal', toInt)
    .action(async (options: Options & { shares: number; threshold: number }) => {
      const body = { shares: options.shares, threshold: options.threshold };
      const result = (await call(
        { product, io, options },
        { method: 'POST', path: '/init', body },
      )) as {
        shares: string[];
        threshold: number;
      };
      io.stdout(
        `Unseal shares (shown once; give each to a different operator; any ${result.threshold} unseal):\n` +
          result.shares.map((share, i) => `  share ${i + 1}: ${share}\n`).join(''),
      );
    });
  sub('unseal', 'shares mode: submit one share (read from a file)')
    .requiredOption('--share-file <file>', 'file holding one share')
    .action(async (options: Options & { shareFile: string }) => {
      const body = { share: readShare(io.cwd, options.shareFile) };
      print(await call({ product, io, options }, { method: 'POST', path: '/unseal', body }));
    });
  sub('rotate', 'make a new current key at a level (root, intermediate, content)')
    .argument('<level>', 'root, intermediate or content')
    .requiredOption('--reason <text>', 'why, recorded with the key')
    .action(async (level: string, options: Options & { reason: string }) => {
      const body = { reason: options.reason };
      print(
        await call({ product, io, options }, { method: 'POST', path: `/rotate/${level}`, body }),
      );
    });
}
