// Request loggers made on first use. Fastify builds a pino child per request, and pino
// serializes and redacts the child's bindings (request id, trace ids) when the child is made,
// even when nothing is ever logged at the configured level: a measurable share of a hot
// request (bench:kms). The child here is only made when a log call at an enabled level, or
// anything else, needs it; calls at disabled levels are no-ops, as pino's own would be.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

const LEVEL_METHODS: ReadonlySet<string> = new Set([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
]);
const LAZY_METHODS: ReadonlySet<string> = new Set([...LEVEL_METHODS, 'child']);
const noop = (): void => undefined;

export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  // The kit's loggers are pino loggers (createLogger), which know their enabled levels.
  const pino = logger as unknown as Logger;
  let child: FastifyBaseLogger | undefined;
  const real = (): FastifyBaseLogger => (child ??= logger.child(bindings, options));
  return new Proxy(logger, {
    get(_target, property) {
      if (child === undefined && typeof property === 'string' && LAZY_METHODS.has(property)) {
        // Fastify checks these are functions (validateLogger): answer without making the child.
        if (LEVEL_METHODS.has(property) && !pino.isLevelEnabled(property)) return noop;
        return (...args: unknown[]): unknown =>
          (Reflect.get(real(), property) as (...a: unknown[]) => unknown).apply(child, args);
      }
      const target = real();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
    set(_target, property, value) {
      return Reflect.set(real(), property, value);
    },
  });
}
