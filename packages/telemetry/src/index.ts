// @cryptoutil/telemetry public API: pino logging with redaction, per-product OpenTelemetry
// pipelines over OTLP gRPC, and the Fastify request instrumentation.
export {
  LOG_LEVELS,
  otlpConfigSchema,
  telemetryConfigSchema,
  type LogLevel,
  type TelemetryConfig,
  type TelemetryConfigInput,
} from './config.js';
export { createLogger, type CreateLoggerOptions } from './create-logger.js';
export {
  BARRIER_STATE_METRIC,
  BARRIER_STATES,
  createCryptoOperationCounter,
  CRYPTO_OPERATIONS_METRIC,
  observeBarrierState,
  type CryptoOperation,
  type CryptoOperationCounter,
  type CryptoOutcome,
} from './crypto-metrics.js';
export { createHttpServerDurationHistogram, HTTP_DURATION_BUCKETS } from './http-metrics.js';
export { createOtelLogBridge } from './otel-log-bridge.js';
export { REDACT_CENSOR, REDACT_PATHS, SECRET_FIELD_NAMES } from './redact.js';
export {
  serializeRequest,
  serializeResponse,
  type SerializedRequest,
  type SerializedResponse,
} from './serializers.js';
export {
  SHUTDOWN_BUDGET_MS,
  startTelemetry,
  type StartTelemetryOptions,
} from './start-telemetry.js';
export { createNoopTelemetry, type Telemetry } from './telemetry.js';
export { telemetryPlugin, type TelemetryPluginOptions } from './telemetry-plugin.js';
