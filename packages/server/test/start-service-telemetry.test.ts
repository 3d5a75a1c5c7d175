// A product started by startService exports its request spans, duration metric and log lines
// over OTLP gRPC under its own service name, and the log line carries the span's trace id.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../telemetry/test/otlp-receiver.js';
import { createServiceConfigSchema, defineProduct, startService } from '../src/index.js';
import { send } from './support/https-client.js';

const schema = createServiceConfigSchema({ publicPort: 0, adminPort: 0 });
const product = defineProduct({
  name: 'observed',
  title: 'Observed service',
  configSchema: schema,
  migrations: [],
  createService: () =>
    Promise.resolve({
      routes: (app, _o, done) => {
        app.get('/things/:id', { config: { public: true } }, () => ({ ok: true }));
        done();
      },
    }),
});

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'cu-otel-'));
  const config = schema.parse({
    tls: { dir: join(dir, 'tls') },
    telemetry: { otlp: { endpoint: receiver.endpoint, exportIntervalMs: 60_000 } },
  });
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const service = await startService(product, config, {
    version: '4.5.6',
    logDestination: sink,
    exit: () => undefined,
  });
  const res = await send({
    port: service.addresses.public.port,
    path: '/service/api/v1/things/9',
    ca: service.ca.join('\n'),
  });
  expect(res.status).toBe(200);
  // Shutdown flushes every pipeline before the admin listener closes.
  await service.shutdown('test');
});

afterAll(() => receiver.close());

describe('startService telemetry', () => {
  it('exports the request span under the product service name', () => {
    const span = receiver.spans.find((s) => s.name === 'GET /service/api/v1/things/:id');
    expect(span).toMatchObject({
      service: 'cryptoutil-observed',
      attributes: { 'http.route': '/service/api/v1/things/:id', 'http.response.status_code': 200 },
    });
    expect(span?.resource['service.version']).toBe('4.5.6');
  });

  it('exports the HTTP server duration histogram', () => {
    const point = receiver.points.find(
      (p) =>
        p.metric === 'http.server.request.duration' &&
        p.attributes['http.route'] === '/service/api/v1/things/:id',
    );
    expect(point).toMatchObject({ service: 'cryptoutil-observed', unit: 's', count: 1 });
  });

  it('exports the barrier state gauge, 1 for the current state (shutdown seals before the final flush)', () => {
    const states = receiver.points
      .filter((p) => p.metric === 'cryptoutil.barrier.state')
      .map((p) => [p.attributes.state, p.value]);
    expect(states).toEqual([
      ['sealed', 1],
      ['unsealed', 0],
    ]);
  });

  it('exports the one request log line with the span trace id', () => {
    const span = receiver.spans.find((s) => s.name === 'GET /service/api/v1/things/:id');
    const lines = receiver.logs.filter((l) => l.body === 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'cryptoutil-observed', traceId: span?.traceId });
  });
});

describe('startService with an unreachable collector', () => {
  it('still shuts down cleanly (exit 0): the final flush is best effort', async () => {
    const closed = await startOtlpReceiver();
    const endpoint = closed.endpoint;
    await closed.close();
    const dir = mkdtempSync(join(tmpdir(), 'cu-otel-down-'));
    const config = schema.parse({
      tls: { dir: join(dir, 'tls') },
      telemetry: { otlp: { endpoint, exportIntervalMs: 60_000 } },
    });
    const lines: string[] = [];
    const capture = new Writable({
      write: (chunk: Buffer, _e, done) => {
        lines.push(chunk.toString());
        done();
      },
    });
    const exits: number[] = [];
    const service = await startService(product, config, {
      version: '1',
      logDestination: capture,
      exit: (code) => exits.push(code),
    });
    await send({
      port: service.addresses.public.port,
      path: '/service/api/v1/things/1',
      ca: service.ca.join('\n'),
    });
    const signals = new EventEmitter();
    service.installSignalHandlers(signals);
    signals.emit('SIGTERM', 'SIGTERM');
    await service.closed;
    await vi.waitFor(() => expect(exits).toEqual([0]), { timeout: 10_000 });
  }, 20_000);
});
