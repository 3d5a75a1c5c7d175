// Unit tests of telemetryPlugin with telemetry disabled (no trace ids bound, requests served
// unchanged) and of the request attribute derivation.
import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { describeRequest } from './http-attributes.js';
import { createNoopTelemetry } from './telemetry.js';
import { telemetryPlugin } from './telemetry-plugin.js';

describe('telemetryPlugin disabled', () => {
  it('serves requests and binds no trace ids into request logs', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        cb();
      },
    });
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
