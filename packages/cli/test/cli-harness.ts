// Drives the CLI in-process with captured output, as a user would from a shell.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { freePort } from '@cryptoutil/server/testing';
import type { AnyProductDefinition, SignalSource } from '@cryptoutil/server';
import { runCli } from '../src/program.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  readonly products?: readonly AnyProductDefinition[];
  readonly signals?: SignalSource;
  readonly exit?: (code: number) => void;
}

export async function cli(argv: readonly string[], options: CliOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: options.env ?? {},
      cwd: options.cwd,
      exit: options.exit ?? (() => undefined),
      signals: options.signals ?? new EventEmitter(),
    },
    options.products ?? [],
  );
  return { code, stdout, stderr };
}

/**
 * Starts a long-running command (`server`, `dev`) and resolves once `cryptoutil fixture health
 * livez <probeArgs>` answers 0; fails early, with its stderr, if the command ends first.
 * `done` is the command's own outcome, settled when it shuts down (an object, because an async
 * function cannot resolve with a still-pending promise).
 */
export async function startLive(
  argv: readonly string[],
  probeArgs: readonly string[],
  options: CliOptions,
): Promise<{ readonly done: Promise<CliRun> }> {
  const running = cli(argv, options);
  let ended: CliRun | undefined;
  void running.then((r) => (ended = r));
  for (let attempt = 0; ; attempt++) {
    if (ended) throw new Error(`${argv.join(' ')} ended with ${ended.code}: ${ended.stderr}`);
    const probe = await cli(['fixture', 'health', 'livez', ...probeArgs], options);
    if (probe.code === 0) return { done: running };
    if (attempt >= 100) throw new Error(`${argv.join(' ')} did not become live: ${probe.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `-s` flags for a live server in `cwd`: free public and admin ports, auto TLS under
 * `cwd/tls`, then each of `settings` (`key=value`) in order.
 */
export async function liveFlags(cwd: string, ...settings: string[]): Promise<string[]> {
  const pairs = [
    `public.port=${await freePort()}`,
    `admin.port=${await freePort()}`,
    `tls.dir=${join(cwd, 'tls')}`,
    ...settings,
  ];
  return pairs.flatMap((pair) => ['-s', pair]);
}
