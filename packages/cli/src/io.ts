import type { SignalSource } from '@cryptoutil/server';

// What a command may touch of the outside world, passed in so tests drive the CLI in-process:
// output streams, the environment and the working directory. Exit codes: 0 ok, 1 failure,
// 2 usage or configuration error.
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Ends the process once a long-running command (server, dev) has shut down. */
  readonly exit: (code: number) => void;
  /** Where SIGTERM/SIGINT come from: `process` in main.ts, an emitter in tests. */
  readonly signals: SignalSource;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage or configuration mistake by the caller: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that ran and failed (an unhealthy service, a refused request): exit code 1. */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}
