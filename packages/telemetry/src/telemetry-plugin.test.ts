// Unit tests of telemetryPlugin with telemetry disabled (no trace ids bound, requests served
// unchanged) and of the request attribute derivation.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { createNoopMeter } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.js';
import { describeRequest } from './http-attributes.js';
import { createNoopTelemetry, type Telemetry } from './telemetry.js';
import { telemetryPlugin } from './telemetry-plugin.js';

function captureLines(): { destination: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      cb();
    },
  });
  return { destination, lines };
}

function memoryTelemetry(): { telemetry: Telemetry; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const telemetry: Telemetry = {
    enabled: true,
    serviceName: 'test',
    tracer: provider.getTracer('test'),
    meter: createNoopMeter(),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
  return { telemetry, exporter };
}

describe('telemetryPlugin enabled', () => {
  it('binds the span ids into every request log line, incoming request included', async () => {
    const { telemetry, exporter } = memoryTelemetry();
    const { destination, lines } = captureLines();
    const app = Fastify({
      loggerInstance: createLogger({ level: 'info', name: 'kms', destination }),
    });
    await app.register(telemetryPlugin, { telemetry });
    app.get('/keys/:kid', (request) => {
      request.log.info('in handler');
      return { ok: true };
    });
    // A not-found handler set after the plugin gets its logger factory too.
    app.setNotFoundHandler((request, reply) => {
      request.log.info('not found');
      return reply.code(404).send({ status: 404 });
    });
    expect((await app.inject({ url: '/keys/k1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/nope' })).statusCode).toBe(404);
    await app.close();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['GET /keys/:kid', 'GET']);
    const requestLines = lines.filter((l) => 'reqId' in l);
    expect(requestLines.map((l) => l.msg)).toEqual([
      'incoming request',
      'in handler',
      'request completed',
      'incoming request',
      'not found',
      'request completed',
    ]);
    const ids = spans.map((s) => [s.spanContext().traceId, s.spanContext().spanId]);
    expect(requestLines.map((l) => [l.trace_id, l.span_id])).toEqual([
      ids[0],
      ids[0],
      ids[0],
      ids[1],
      ids[1],
      ids[1],
    ]);
  });

  it('ends the span of a request the client abandons, marked aborted', async () => {
    const { telemetry, exporter } = memoryTelemetry();
    const app = Fastify();
    await app.register(telemetryPlugin, { telemetry });
    let release: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      app.get('/slow', async () => {
        resolve();
        await new Promise<void>((r) => (release = r));
        return { ok: true };
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    await arrived;
    socket.destroy();
    await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /slow');
    expect(span?.attributes['error.type']).toBe('aborted');
    release();
    await app.close();
  });

  it('keeps a child logger factory the product set before the plugin', async () => {
    const { telemetry, exporter } = memoryTelemetry();
    const { destination, lines } = captureLines();
    const app = Fastify({
      loggerInstance: createLogger({ level: 'info', name: 'kms', destination }),
    });
    app.setChildLoggerFactory((logger, bindings, opts) =>
      logger.child({ ...bindings, tenant: 'acme' }, opts),
    );
    await app.register(telemetryPlugin, { telemetry });
    app.get('/t', () => 'ok');
    expect((await app.inject({ url: '/t' })).statusCode).toBe(200);
    await app.close();
    const [span] = exporter.getFinishedSpans();
    const incoming = lines.find((l) => l.msg === 'incoming request');
    expect(incoming).toMatchObject({ tenant: 'acme', trace_id: span?.spanContext().traceId });
  });

  it('still traces routes registered before the plugin and the default 404', async () => {
    const { telemetry, exporter } = memoryTelemetry();
    const { destination, lines } = captureLines();
    const app = Fastify({
      loggerInstance: createLogger({ level: 'info', name: 'kms', destination }),
    });
    app.get('/early', (request) => {
      request.log.info('early handler');
      return 'ok';
    });
    await app.register(telemetryPlugin, { telemetry });
    expect((await app.inject({ url: '/early' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/gone' })).statusCode).toBe(404);
    await app.close();
    const [span, notFound] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /early');
    const handler = lines.find((l) => l.msg === 'early handler');
    expect(handler?.trace_id).toBe(span?.spanContext().traceId);
    // Fastify's built-in 404 context predates the plugin: only its "incoming request" line,
    // logged before the first hook, lacks the ids.
    expect(notFound?.name).toBe('GET');
    const missing = lines.find((l) => l.msg === 'Route GET:/gone not found');
    expect(missing?.trace_id).toBe(notFound?.spanContext().traceId);
  });
});

describe('telemetryPlugin disabled', () => {
  it('serves requests and binds no trace ids into request logs', async () => {
    const { destination, lines } = captureLines();
    const telemetry = createNoopTelemetry('cryptoutil-jose');
    const app = Fastify({
      loggerInstance: createLogger({ level: 'info', name: 'jose', destination }),
    });
    await app.register(telemetryPlugin, { telemetry });
    app.get('/keys/:kid', (request) => {
      request.log.info('in handler');
      return { ok: true };
    });
    const res = await app.inject({
      url: '/keys/k1',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ url: '/missing' })).statusCode).toBe(404);
    await app.close();
    const handlerLine = lines.find((l) => l.msg === 'in handler');
    expect(handlerLine).toBeDefined();
    expect(lines.every((l) => !('trace_id' in l) && !('span_id' in l))).toBe(true);
  });
});

describe('describeRequest', () => {
  function fake(method: string, url: string, route?: string): FastifyRequest {
    return {
      method,
      url,
      protocol: 'https',
      port: null,
      socket: { localPort: 8443 },
      routeOptions: { url: route },
    } as unknown as FastifyRequest;
  }

  it('normalizes unknown methods to _OTHER and keeps the original', () => {
    const info = describeRequest(fake('PROPFIND', '/dav?depth=1'));
    expect(info.method).toBe('_OTHER');
    expect(info.route).toBeUndefined();
    expect(info.spanAttributes).toEqual({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PROPFIND',
      'url.scheme': 'https',
      'url.path': '/dav',
      'server.port': 8443,
    });
    expect(info.metricAttributes).toEqual({
      'http.request.method': '_OTHER',
      'url.scheme': 'https',
    });
  });

  it('includes the route template for matched routes', () => {
    const info = describeRequest(fake('DELETE', '/kms/api/v1/keys/abc', '/kms/api/v1/keys/:id'));
    expect(info.metricAttributes).toEqual({
      'http.request.method': 'DELETE',
      'url.scheme': 'https',
      'http.route': '/kms/api/v1/keys/:id',
    });
  });
});
