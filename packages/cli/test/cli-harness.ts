// Drives the CLI in-process with captured output, as a user would from a shell.
import { EventEmitter } from 'node:events';
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
