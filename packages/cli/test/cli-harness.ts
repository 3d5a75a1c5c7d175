// Drives the CLI in-process with captured output, as a user would from a shell.
import type { AnyProductDefinition } from '@cryptoutil/server';
import { runCli } from '../src/program.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(
  argv: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    products?: readonly AnyProductDefinition[];
  },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: options.env ?? {},
      cwd: options.cwd,
      exit: () => undefined,
    },
    options.products ?? [],
  );
  return { code, stdout, stderr };
}
