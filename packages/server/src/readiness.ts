// Readiness checks (ARCHITECTURE §2 readyz): each named check runs with its own timeout, all in
// parallel. Only fixed phrases reach the client: `ok`, `failed`, `timeout`, or the message of a
// `ReadinessCheckError`, which a check throws when its reason is safe to show (e.g. `sealed`).
import type { FastifyBaseLogger } from 'fastify';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** Thrown by a check whose message is a safe, fixed phrase shown in the readyz body. */
export class ReadinessCheckError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ReadinessCheckError';
  }
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** Check name -> `ok`, or the safe reason it failed. */
  readonly checks: Readonly<Record<string, string>>;
}

const TIMED_OUT = Symbol('timeout');

async function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.check(), timeout]);
    if (outcome === TIMED_OUT) throw new ReadinessCheckError('timeout');
  } finally {
    clearTimeout(timer);
  }
}

async function runOne(
  check: ReadinessCheck,
  timeoutMs: number,
  log: FastifyBaseLogger,
): Promise<string> {
  try {
    await withTimeout(check, timeoutMs);
    return 'ok';
  } catch (error) {
    log.warn({ err: error, check: check.name }, 'readiness check failed');
    return error instanceof ReadinessCheckError ? error.message : 'failed';
  }
}

export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
  log: FastifyBaseLogger,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs, log)));
  const report: Record<string, string> = {};
  checks.forEach((check, index) => {
    report[check.name] = results[index] ?? 'failed';
  });
  return { ready: results.every((result) => result === 'ok'), checks: report };
}
