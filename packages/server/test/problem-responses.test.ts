// Every error over the real public listener leaves as application/problem+json (RFC 9457):
// malformed JSON, wrong media type, oversize body, unknown route, schema validation, and a
// thrown Error that becomes a generic 500 whose cause only reaches the log.
import { describe, expect, it } from 'vitest';
import { INTERNAL_SECRET, useRunningFixture } from './fixture-app.js';
import { send, type TestResponse } from './support/https-client.js';

const running = useRunningFixture();

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

function postItems(body: string | Buffer, contentType = 'application/json'): Promise<TestResponse> {
  return send({
    port: running.bound.public.port,
    path: '/service/api/v1/items',
    method: 'POST',
    ca: running.tls.ca,
    headers: { authorization: 'Bearer good-token', 'content-type': contentType },
    body,
  });
}

function expectProblem(res: TestResponse, status: number, slug: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_JSON);
  expect(res.json()).toMatchObject({ type: `urn:cryptoutil:problem:${slug}`, status });
}

describe('problem responses', () => {
  it('answers malformed JSON with 400 malformed-json', async () => {
    const res = await postItems('{"name": ');
    expectProblem(res, 400, 'malformed-json');
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:malformed-json',
      title: 'Malformed JSON body',
      status: 400,
    });
  });

  it('answers an unsupported content type with 415', async () => {
    expectProblem(await postItems('name=x', 'text/plain'), 415, 'unsupported-media-type');
  });

  it('answers a body over the 2 MiB default limit with 413', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), count: 1 }));
    expectProblem(await postItems(body), 413, 'payload-too-large');
  });

  it('answers an unknown route with 404 not-found', async () => {
    const res = await send({
      port: running.bound.public.port,
      path: '/service/api/v1/nothing-here',
      ca: running.tls.ca,
    });
    expectProblem(res, 404, 'not-found');
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:not-found',
      title: 'Not found',
      status: 404,
    });
  });

  it('lists every failing field of a schema validation', async () => {
    const res = await postItems(JSON.stringify({ name: '', count: 1.5 }));
    expectProblem(res, 400, 'validation');
    const body = res.json<{ errors: { path: string; message: string }[]; detail: string }>();
    expect(body.detail).toBe('2 field(s) failed validation');
    expect(body.errors.map((error) => error.path)).toEqual(['body.name', 'body.count']);
    for (const error of body.errors) expect(error.message).toMatch(/\S/);
  });

  it('turns a thrown Error into a generic 500 and logs the cause with the request id', async () => {
    const res = await send({
      port: running.bound.public.port,
      path: '/service/api/v1/boom',
      ca: running.tls.ca,
      headers: { 'x-request-id': 'boom-1' },
    });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe(PROBLEM_JSON);
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:internal',
      title: 'Internal server error',
      status: 500,
    });
    expect(res.text).not.toContain(INTERNAL_SECRET);
    expect(res.text).not.toContain('stack');
    const logged = running.fixture.log.lines.find(
      (line) => line.reqId === 'boom-1' && line.msg === 'request failed',
    );
    expect(logged).toMatchObject({ level: 50, problem: 'urn:cryptoutil:problem:internal' });
    expect((logged?.err as { message: string }).message).toBe(`query failed: ${INTERNAL_SECRET}`);
  });

  it('never answers admin paths on the public listener', async () => {
    for (const [method, path] of [
      ['GET', '/admin/v1/livez'],
      ['GET', '/admin/v1/readyz'],
      ['POST', '/admin/v1/shutdown'],
    ] as const) {
      const res = await send({ port: running.bound.public.port, path, method, ca: running.tls.ca });
      expectProblem(res, 404, 'not-found');
    }
  });

  it('serves /.well-known without authentication', async () => {
    const res = await send({
      port: running.bound.public.port,
      path: '/.well-known/fixture-metadata',
      ca: running.tls.ca,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ issuer: 'fixture' });
  });
});
