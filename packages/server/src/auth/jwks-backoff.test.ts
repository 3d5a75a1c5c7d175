import type { FetchImplementation } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { JWKS_BACKOFF_MAX_MS, withJwksBackoff } from './jwks-backoff.js';

const KEYS = '{"keys":[{"kty":"EC","kid":"a"}]}';
const init = {} as Parameters<FetchImplementation>[1];

function fixture(answers: Array<() => Promise<Response>>) {
  let clock = 1_000_000;
  const inner = vi.fn<FetchImplementation>(() => {
    const next = answers.shift();
    if (!next) throw new Error('unexpected fetch');
    return next();
  });
  const failures: Array<{ reason: string; retryInMs: number }> = [];
  const fetch = withJwksBackoff(inner, {
    now: () => clock,
    onFailure: (f) => failures.push(f),
  });
  return {
    fetch: () => fetch('https://issuer/jwks', init),
    inner,
    failures,
    tick: (ms: number) => (clock += ms),
  };
}

const ok =
  (body = KEYS) =>
  () =>
    Promise.resolve(new Response(body, { status: 200 }));
const status = (code: number) => () => Promise.resolve(new Response('{}', { status: code }));
const refused = () => () => Promise.reject(new Error('connect ECONNREFUSED'));

describe('withJwksBackoff', () => {
  it('passes a good key set through', async () => {
    const f = fixture([ok()]);
    const res = await f.fetch();
    expect([res.status, await res.text()]).toEqual([200, KEYS]);
    expect(f.failures).toEqual([]);
  });

  it('without a good set: fails, then fails fast without downloading during the backoff', async () => {
    const f = fixture([refused(), ok()]);
    await expect(f.fetch()).rejects.toThrow('connect ECONNREFUSED');
    await expect(f.fetch()).rejects.toThrow('JWKS unavailable: backing off');
    expect(f.inner).toHaveBeenCalledTimes(1);
    expect(f.failures).toEqual([{ reason: 'Error', retryInMs: 1000 }]);
    f.tick(1000);
    expect(await (await f.fetch()).text()).toBe(KEYS);
  });

  it('with a good set: serves it through an outage and doubles the backoff up to its cap', async () => {
    const f = fixture([ok(), status(503), refused(), ok('not json')]);
    await f.fetch();
    expect(await (await f.fetch()).text()).toBe(KEYS); // 503 → the last good set
    expect(await (await f.fetch()).text()).toBe(KEYS); // backing off: no download
    f.tick(1000);
    expect(await (await f.fetch()).text()).toBe(KEYS); // refused → last good, 2 s backoff
    f.tick(2000);
    expect(await (await f.fetch()).text()).toBe(KEYS); // not a key set → last good
    expect(f.failures).toEqual([
      { reason: 'HTTP 503', retryInMs: 1000 },
      { reason: 'Error', retryInMs: 2000 },
      { reason: 'not a JWK set', retryInMs: 4000 },
    ]);
    expect(f.inner).toHaveBeenCalledTimes(4);
  });

  it('caps the backoff and resets it after a success', async () => {
    const answers = Array.from({ length: 10 }, () => status(500));
    const f = fixture([...answers, ok(), status(500)]);
    for (let i = 0; i < 10; i += 1) {
      expect((await f.fetch()).status).toBe(500); // no good set: the failing answer itself
      f.tick(JWKS_BACKOFF_MAX_MS);
    }
    expect(f.failures.at(-1)).toEqual({ reason: 'HTTP 500', retryInMs: JWKS_BACKOFF_MAX_MS });
    await f.fetch();
    await f.fetch();
    expect(f.failures.at(-1)).toEqual({ reason: 'HTTP 500', retryInMs: 1000 });
  });

  it('hands jose the body of a 200 that is not a key set when there is nothing better', async () => {
    const f = fixture([ok('not json')]);
    const res = await f.fetch();
    expect([res.status, await res.text()]).toEqual([200, 'not json']);
  });
});
