// The Telemetry handle a product holds: its tracer, meter and OTel log emitter, plus flush and
// shutdown. `createNoopTelemetry` is the handle when no collector is configured.
import {
  createNoopMeter,
  ProxyTracerProvider,
  type Logger as OtelLogger,
  type Meter,
  type Tracer,
} from '@opentelemetry/api';

export interface Telemetry {
  /** True when signals are exported to a collector. */
  readonly enabled: boolean;
  /** The service.name resource attribute of this instance. */
  readonly serviceName: string;
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** OTel logger receiving pino records (see createLogger); absent when disabled. */
  readonly logEmitter?: OtelLogger;
  forceFlush(): Promise<void>;
  /** Flushes and stops exporting; idempotent. */
  shutdown(): Promise<void>;
}

export const INSTRUMENTATION_SCOPE = '@cryptoutil/telemetry';

export function createNoopTelemetry(serviceName: string): Telemetry {
  // A provider without delegate always hands out the API's no-op tracer, whatever the global
  // provider is, so a disabled product never records into another product's pipeline.
  const tracer = new ProxyTracerProvider().getTracer(INSTRUMENTATION_SCOPE);
  return {
    enabled: false,
    serviceName,
    tracer,
    meter: createNoopMeter(),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
