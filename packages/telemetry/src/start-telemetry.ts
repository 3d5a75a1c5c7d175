// Starts one product's telemetry: a no-op handle without an OTLP endpoint, else its own OTLP
// gRPC pipeline (otlp-pipeline.ts), loaded only then, since the SDK and gRPC exporters are
// about a quarter of the modules a product would otherwise load (start time and memory).
import type { TelemetryConfig } from './config.js';
import { createNoopTelemetry, type Telemetry } from './telemetry.js';

export interface StartTelemetryOptions {
  serviceName: string;
  serviceVersion: string;
  config: TelemetryConfig;
  /** service.instance.id; a random UUID when absent. */
  instanceId?: string;
  /** Flush budget of shutdown() in ms (default SHUTDOWN_BUDGET_MS). */
  shutdownBudgetMs?: number;
}

/** How long shutdown may spend flushing to the collector (Docker's stop grace is 10 s). */
export const SHUTDOWN_BUDGET_MS = 5_000;

export async function startTelemetry(options: StartTelemetryOptions): Promise<Telemetry> {
  const serviceName = options.config.serviceName ?? options.serviceName;
  if (options.config.otlp.endpoint === undefined) return createNoopTelemetry(serviceName);
  const { startOtlpPipeline } = await import('./otlp-pipeline.js');
  return startOtlpPipeline(options, {
    serviceName,
    endpoint: options.config.otlp.endpoint,
    shutdownBudgetMs: options.shutdownBudgetMs ?? SHUTDOWN_BUDGET_MS,
  });
}
