// One product's OpenTelemetry pipeline: its own tracer, meter and logger providers, each
// exporting over OTLP gRPC. Nothing is registered as the global provider, so several products
// in one process (`cryptoutil dev`) export under their own service.name.
import { randomUUID } from 'node:crypto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import { ensureGlobalContext } from './context-setup.js';
import { createOtlpOptions } from './otlp-options.js';
import type { StartTelemetryOptions } from './start-telemetry.js';
import { INSTRUMENTATION_SCOPE, type Telemetry } from './telemetry.js';

function withinBudget(work: Promise<void>, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`telemetry flush exceeded ${budgetMs} ms; unsent data dropped`)),
      budgetMs,
    );
    timer.unref();
  });
  return Promise.race([work, budget]).finally(() => clearTimeout(timer));
}

export async function startOtlpPipeline(
  options: StartTelemetryOptions,
  resolved: { serviceName: string; endpoint: string; shutdownBudgetMs: number },
): Promise<Telemetry> {
  const { serviceName, endpoint, shutdownBudgetMs } = resolved;
  const { caFile, headers, exportIntervalMs } = options.config.otlp;

  const exporterOptions = await createOtlpOptions({ endpoint, caFile, headers });
  ensureGlobalContext();
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: serviceName,
    [ATTR_SERVICE_VERSION]: options.serviceVersion,
    [ATTR_SERVICE_INSTANCE_ID]: options.instanceId ?? randomUUID(),
  });
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter(exporterOptions()) }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(exporterOptions()),
        exportIntervalMillis: exportIntervalMs,
        exportTimeoutMillis: Math.min(exportIntervalMs, 30_000),
      }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter(exporterOptions()) })],
  });
  const providers = [tracerProvider, meterProvider, loggerProvider];
  let stopping: Promise<void> | undefined;

  return {
    enabled: true,
    serviceName,
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE, options.serviceVersion),
    meter: meterProvider.getMeter(INSTRUMENTATION_SCOPE, options.serviceVersion),
    logEmitter: loggerProvider.getLogger(INSTRUMENTATION_SCOPE, options.serviceVersion),
    forceFlush: async () => {
      if (stopping !== undefined) return;
      await Promise.all(providers.map((p) => p.forceFlush()));
    },
    shutdown: () => {
      // Provider shutdown flushes pending spans, metrics and log records first. A collector
      // that accepts connections but never answers must not hold the process past a container
      // stop grace period, so the flush has a budget; what it could not send is dropped.
      stopping ??= withinBudget(
        Promise.all(providers.map((p) => p.shutdown())).then(() => undefined),
        shutdownBudgetMs,
      );
      return stopping;
    },
  };
}
