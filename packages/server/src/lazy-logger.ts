// Request loggers made on first use. Fastify builds a pino child per request, and pino
// serializes and redacts the child's bindings (request id, trace ids) when the child is made,
// even when nothing is ever logged at the configured level: a measurable share of a hot
// request (bench:kms). The child here is only made when a log call at an enabled level, or
// anything else, needs it; calls at disabled levels are no-ops, as pino's own would be.
//
// A class, not a Proxy: Fastify checks every request logger's methods (validateLogger reads
// each one twice), and methods on a prototype are found without making anything per request.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, Logger } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type LogArgs = Parameters<FastifyBaseLogger['info']>;

class LazyChildLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }

  #log(level: Level, args: LogArgs): void {
    // The kit's loggers are pino loggers (createLogger), which know their enabled levels; the
    // child keeps its parent's level unless someone sets its own.
    const target = this.#child ?? this.#parent;
    if (!(target as unknown as Logger).isLevelEnabled(level)) return;
    this.#real()[level](...args);
  }

  get level(): LevelWithSilentOrString {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#real().level = level;
  }

  trace(...args: LogArgs): void {
    this.#log('trace', args);
  }
  debug(...args: LogArgs): void {
    this.#log('debug', args);
  }
  info(...args: LogArgs): void {
    this.#log('info', args);
  }
  warn(...args: LogArgs): void {
    this.#log('warn', args);
  }
  error(...args: LogArgs): void {
    this.#log('error', args);
  }
  fatal(...args: LogArgs): void {
    this.#log('fatal', args);
  }
  silent(): void {
    // pino's own silent is a no-op too.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}
