// The suite's pino logger: JSON lines, secrets redacted (REDACT_PATHS), request/response
// serializers without bodies or headers, and, when telemetry is enabled, every line also
// emitted as an OTLP log record of the product's own LoggerProvider.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from './config.js';
import { createOtelLogBridge } from './otel-log-bridge.js';
import { REDACT_CENSOR, REDACT_PATHS } from './redact.js';
import { serializeRequest, serializeResponse } from './serializers.js';
import type { Telemetry } from './telemetry.js';

export interface CreateLoggerOptions {
  level: LogLevel;
  /** Logged as `name` on every line (the product, e.g. `kms`). */
  name: string;
  /** Where JSON lines go; stdout when absent. */
  destination?: DestinationStream;
  /** Extra fields bound on every line; replaces pino's pid/hostname defaults. */
  base?: Record<string, unknown>;
  /** When enabled, lines are also exported as OTLP log records. */
  telemetry?: Pick<Telemetry, 'enabled' | 'logEmitter'>;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const emitter = options.telemetry?.enabled === true ? options.telemetry.logEmitter : undefined;
  const pinoOptions: LoggerOptions = {
    level: options.level,
    name: options.name,
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    serializers: {
      req: serializeRequest,
      res: serializeResponse,
      err: pino.stdSerializers.err,
    },
    ...(options.base !== undefined ? { base: options.base } : {}),
    ...(emitter !== undefined ? { hooks: { streamWrite: createOtelLogBridge(emitter) } } : {}),
  };
  return options.destination !== undefined
    ? pino(pinoOptions, options.destination)
    : pino(pinoOptions);
}
