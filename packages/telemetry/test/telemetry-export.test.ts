// Integration: a real Fastify app with telemetryPlugin on 127.0.0.1 exports spans, the HTTP
// duration histogram and log records over OTLP gRPC to an in-process receiver; two telemetry
// instances in one process export under their own service names.
import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCryptoOperationCounter,
  createLogger,
  startTelemetry,
  telemetryConfigSchema,
  telemetryPlugin,
  type Telemetry,
} from '../src/index.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

type App = Awaited<ReturnType<typeof buildApp>>;

const sink = new Writable({ write: (_c, _e, cb) => cb() });

async function buildApp(telemetry: Telemetry) {
  const loggerInstance = createLogger({
    level: 'info',
    name: telemetry.serviceName,
    destination: sink,
    telemetry,
  });
  const app = Fastify({ loggerInstance });
  await app.register(telemetryPlugin, { telemetry });
  app.get('/items/:id', (request) => {
    request.log.info({ item: (request.params as { id: string }).id }, 'item read');
    return { id: (request.params as { id: string }).id };
  });
  app.get('/boom', () => {
    throw new Error('kaboom');
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

function baseUrl(app: { server: Server }): string {
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new TypeError('no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}

describe('OTLP export through telemetryPlugin', () => {
  let receiver: OtlpReceiver;
  let kms: Telemetry;
  let ca: Telemetry;
  let kmsApp: App;
  let caApp: App;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const config = telemetryConfigSchema.parse({
      otlp: { endpoint: receiver.endpoint, exportIntervalMs: 60_000 },
    });
    kms = await startTelemetry({
      serviceName: 'cryptoutil-kms',
      serviceVersion: '1.2.3',
      config,
      instanceId: 'kms-1',
    });
    ca = await startTelemetry({ serviceName: 'cryptoutil-ca', serviceVersion: '1.2.3', config });
    kmsApp = await buildApp(kms);
    caApp = await buildApp(ca);

    const kmsUrl = baseUrl(kmsApp);
    expect((await fetch(`${kmsUrl}/items/42`)).status).toBe(200);
    expect((await fetch(`${kmsUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${kmsUrl}/boom`)).status).toBe(500);
    const traced = await fetch(`${kmsUrl}/items/7`, {
      headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01` },
    });
    expect(traced.status).toBe(200);
    expect((await fetch(`${baseUrl(caApp)}/items/1`)).status).toBe(200);
    createCryptoOperationCounter(kms.meter).add({
      product: 'kms',
      operation: 'encrypt',
      algorithm: 'A256GCM',
      outcome: 'success',
    });

    await kms.forceFlush();
    await ca.forceFlush();
  });

  afterAll(async () => {
    await kmsApp.close();
    await caApp.close();
    await kms.shutdown();
    await ca.shutdown();
    await receiver.close();
  });

  it('exports server spans named by method and route with semconv attributes', () => {
    const spans = receiver.spans.filter((s) => s.service === 'cryptoutil-kms');
    expect(spans.map((s) => s.name).sort()).toEqual([
      'GET',
      'GET /boom',
      'GET /items/:id',
      'GET /items/:id',
    ]);
    const ok = spans.find((s) => s.attributes['url.path'] === '/items/42');
    expect(ok).toMatchObject({
      resource: {
        'service.name': 'cryptoutil-kms',
        'service.version': '1.2.3',
        'service.instance.id': 'kms-1',
      },
      kind: 2,
      statusCode: 0,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/items/:id',
        'http.response.status_code': 200,
        'url.scheme': 'http',
        'server.port': Number(new URL(baseUrl(kmsApp)).port),
      },
    });
    const notFound = spans.find((s) => s.name === 'GET');
    expect(notFound?.attributes['http.response.status_code']).toBe(404);
    expect(notFound?.attributes).not.toHaveProperty('http.route');
    expect(notFound?.attributes).not.toHaveProperty('error.type');
    const failed = spans.find((s) => s.name === 'GET /boom');
    expect(failed).toMatchObject({
      statusCode: 2,
      attributes: { 'http.response.status_code': 500, 'error.type': 'Error' },
    });
  });

  it('continues the trace of an incoming traceparent', () => {
    const child = receiver.spans.find((s) => s.attributes['url.path'] === '/items/7');
    expect(child?.traceId).toBe(PARENT_TRACE);
    expect(child?.parentSpanId).toBe(PARENT_SPAN);
    const root = receiver.spans.find((s) => s.attributes['url.path'] === '/items/42');
    expect(root?.parentSpanId).toBe('');
    expect(root?.traceId).not.toBe(PARENT_TRACE);
  });

  it('exports the http.server.request.duration histogram per route and status', () => {
    const points = receiver.points.filter(
      (p) => p.service === 'cryptoutil-kms' && p.metric === 'http.server.request.duration',
    );
    const byKey = Object.fromEntries(
      points.map((p) => [
        `${String(p.attributes['http.route'])} ${String(p.attributes['http.response.status_code'])}`,
        p,
      ]),
    );
    expect(Object.keys(byKey).sort()).toEqual(['/boom 500', '/items/:id 200', 'undefined 404']);
    expect(byKey['/items/:id 200']).toMatchObject({
      unit: 's',
      count: 2,
      attributes: { 'http.request.method': 'GET', 'url.scheme': 'http' },
      bounds: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    });
    expect(byKey['undefined 404']?.count).toBe(1);
    expect(byKey['/boom 500']).toMatchObject({ count: 1, attributes: { 'error.type': 'Error' } });
  });

  it('exports the crypto operations counter', () => {
    const point = receiver.points.find((p) => p.metric === 'cryptoutil.crypto.operations');
    expect(point).toMatchObject({
      service: 'cryptoutil-kms',
      value: 1,
      attributes: {
        product: 'kms',
        operation: 'encrypt',
        algorithm: 'A256GCM',
        outcome: 'success',
      },
    });
  });

  it('exports request log records carrying the trace id of their request', () => {
    const child = receiver.spans.find((s) => s.attributes['url.path'] === '/items/7');
    const line = receiver.logs.find((l) => l.body === 'item read' && l.attributes.item === '7');
    expect(line).toMatchObject({
      service: 'cryptoutil-kms',
      severityText: 'INFO',
      traceId: PARENT_TRACE,
      spanId: child?.spanId,
    });
    const completed = receiver.logs.filter(
      (l) => l.service === 'cryptoutil-kms' && l.body === 'request completed',
    );
    expect(completed).toHaveLength(4);
    for (const l of completed) expect(l.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps each product under its own service name', () => {
    const caSpans = receiver.spans.filter((s) => s.service === 'cryptoutil-ca');
    expect(caSpans.map((s) => s.name)).toEqual(['GET /items/:id']);
    expect(receiver.logs.some((l) => l.service === 'cryptoutil-ca' && l.body === 'item read')).toBe(
      true,
    );
    expect(new Set(receiver.spans.map((s) => s.service))).toEqual(
      new Set(['cryptoutil-kms', 'cryptoutil-ca']),
    );
  });
});

describe('Telemetry lifecycle', () => {
  it('flushes on shutdown, once, and ignores flushes afterwards', async () => {
    const receiver = await startOtlpReceiver();
    const config = telemetryConfigSchema.parse({ otlp: { endpoint: receiver.endpoint } });
    const telemetry = await startTelemetry({
      serviceName: 'cryptoutil-identity',
      serviceVersion: '0',
      config,
    });
    telemetry.tracer.startSpan('token issued').end();
    const first = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(first);
    await first;
    await telemetry.forceFlush();
    expect(receiver.spans.map((s) => [s.service, s.name])).toEqual([
      ['cryptoutil-identity', 'token issued'],
    ]);
    await receiver.close();
  });
});
