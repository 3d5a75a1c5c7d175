// Unit tests of startTelemetry without a collector: the no-op handle records nothing, opens
// no connection and resolves flush and shutdown at once.
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { telemetryConfigSchema } from './config.js';
import { startTelemetry } from './start-telemetry.js';

describe('startTelemetry without an endpoint', () => {
  it('returns a disabled, no-op handle', async () => {
    const telemetry = await startTelemetry({
      serviceName: 'cryptoutil-kms',
      serviceVersion: '0.1.0',
      config: telemetryConfigSchema.parse({}),
    });
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.serviceName).toBe('cryptoutil-kms');
    expect(telemetry.logEmitter).toBeUndefined();
    const span = telemetry.tracer.startSpan('op');
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    span.end();
    const counter = telemetry.meter.createCounter('c');
    counter.add(1);
    expect(counter.constructor.name).toMatch(/Noop/);
    await expect(telemetry.forceFlush()).resolves.toBeUndefined();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });

  it('applies the serviceName override', async () => {
    const telemetry = await startTelemetry({
      serviceName: 'cryptoutil-kms',
      serviceVersion: '0.1.0',
      config: telemetryConfigSchema.parse({ serviceName: 'kms-eu-1' }),
    });
    expect(telemetry.serviceName).toBe('kms-eu-1');
  });

  it('does not register a global context manager', async () => {
    await startTelemetry({
      serviceName: 'x',
      serviceVersion: '0',
      config: telemetryConfigSchema.parse({}),
    });
    const key = Symbol('k');
    const ctx = context.active().setValue(key, 1);
    // With only the API's no-op manager, `with` does not propagate the context.
    expect(context.with(ctx, () => context.active().getValue(key))).toBeUndefined();
  });
});
