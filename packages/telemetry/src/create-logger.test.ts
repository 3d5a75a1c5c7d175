// Unit tests of createLogger: redaction of headers and secret fields, serializers without
// bodies, level handling and the OTel log bridge wiring.
import { Writable } from 'node:stream';
import type { LogRecord, Logger as OtelLogger } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { REDACT_PATHS } from './redact.js';

function capture(): {
  stream: Writable;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  const raw = (): string => chunks.join('');
  const lines = (): Record<string, unknown>[] =>
    raw()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines, raw };
}

const SECRETS = {
  bearer: 'Bearer eyJhbGciOiJFUzI1NiJ9.c2VjcmV0LXRva2Vu.sig-AAAA',
  password: 'hunter2-correct-horse',
  privateKey: '-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg',
  d: 'nVZ5dCvZQk3x8mQmE9k0yYtdm0_ZrGbkQX0w8uVxXyA',
  cookie: 'session=s3ss10n-c00k13',
  apiKey: 'ak_live_0123456789abcdef',
  clientSecret: 'cs-9f8e7d6c5b4a',
};

describe('createLogger redaction', () => {
  it('censors credentials in headers and secret fields up to two levels deep', () => {
    const out = capture();
    const log = createLogger({ level: 'info', name: 'kms', destination: out.stream });
    log.info(
      {
        req: { headers: { authorization: SECRETS.bearer, 'x-api-key': SECRETS.apiKey } },
        user: { name: 'alice', password: SECRETS.password },
        key: { kid: 'k1', jwk: { kty: 'EC', crv: 'P-256', x: 'pub-x', d: SECRETS.d } },
        material: { wrapped: { privateKey: SECRETS.privateKey } },
        headers: { cookie: SECRETS.cookie },
        clientSecret: SECRETS.clientSecret,
      },
      'key created',
    );
    const raw = out.raw();
    for (const value of Object.values(SECRETS)) expect(raw).not.toContain(value);
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 30,
      name: 'kms',
      msg: 'key created',
      user: { name: 'alice', password: '[redacted]' },
      material: { wrapped: { privateKey: '[redacted]' } },
      headers: { cookie: '[redacted]' },
      clientSecret: '[redacted]',
      // `key` itself is a secret field name: the whole object is censored.
      key: '[redacted]',
    });
  });

  it('censors a JWK d member nested two levels deep and keeps public members', () => {
    const out = capture();
    const log = createLogger({ level: 'info', name: 'jose', destination: out.stream });
    log.info({ result: { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'pub', d: SECRETS.d } } }, 'ok');
    expect(out.raw()).not.toContain(SECRETS.d);
    expect(out.lines()[0]).toMatchObject({
      result: { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'pub', d: '[redacted]' } },
    });
  });

  it('censors symmetric and RSA private JWK members and OAuth wire names', () => {
    const out = capture();
    const log = createLogger({ level: 'info', name: 'kms', destination: out.stream });
    const rsa = {
      kty: 'RSA',
      n: 'pub-n',
      e: 'AQAB',
      d: 'rsa-d',
      p: 'rsa-p',
      q: 'rsa-q',
      dp: 'rsa-dp',
      dq: 'rsa-dq',
      qi: 'rsa-qi',
    };
    log.info(
      {
        jwk: { kty: 'oct', k: 'c3ltbWV0cmljLWtleS1ieXRlcw' },
        wrapped: { jwk: rsa },
        grant: {
          access_token: 'at-123',
          refresh_token: 'rt-456',
          id_token: 'idt-789',
          code_verifier: 'cv-000',
        },
        barrier: { unsealKeys: ['uk-1'], shares: ['share-1'], passphrase: 'pp-2' },
      },
      'keys',
    );
    const raw = out.raw();
    for (const secret of [
      'c3ltbWV0cmljLWtleS1ieXRlcw',
      'rsa-d',
      'rsa-p',
      'rsa-q',
      'rsa-dp',
      'rsa-dq',
      'rsa-qi',
      'at-123',
      'rt-456',
      'idt-789',
      'cv-000',
      'uk-1',
      'share-1',
      'pp-2',
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({
      wrapped: { jwk: { kty: 'RSA', n: 'pub-n', e: 'AQAB' } },
    });
  });

  it('lists every required path', () => {
    for (const path of [
      'req.headers.authorization',
      'req.headers.cookie',
      'res.headers["set-cookie"]',
      'req.headers["x-api-key"]',
      'password',
      '*.token',
      '*.*.unsealKey',
      '*.*.d',
    ]) {
      expect(REDACT_PATHS).toContain(path);
    }
  });
});

describe('createLogger serializers and options', () => {
  it('serializes req and res without bodies, headers or query strings', () => {
    const out = capture();
    const log = createLogger({ level: 'info', name: 'ca', destination: out.stream, base: {} });
    log.info(
      {
        req: {
          method: 'POST',
          url: '/ca/api/v1/certs?access_token=s3cr3t-query-token',
          ip: '127.0.0.1',
          routeOptions: { url: '/ca/api/v1/certs' },
          socket: { remotePort: 5555 },
          headers: { authorization: SECRETS.bearer },
          body: { password: SECRETS.password },
        },
        res: { statusCode: 201, body: 'secret body' },
      },
      'done',
    );
    const [line] = out.lines();
    expect(line).toEqual({
      level: 30,
      time: expect.any(Number) as number,
      name: 'ca',
      msg: 'done',
      req: {
        method: 'POST',
        url: '/ca/api/v1/certs',
        route: '/ca/api/v1/certs',
        remoteAddress: '127.0.0.1',
        remotePort: 5555,
      },
      res: { statusCode: 201 },
    });
  });

  it('drops lines below the configured level and binds base fields', () => {
    const out = capture();
    const log = createLogger({
      level: 'warn',
      name: 'kms',
      destination: out.stream,
      base: { instance: 'i-1' },
    });
    log.info('hidden');
    log.warn('shown');
    expect(out.lines()).toEqual([
      { level: 40, time: expect.any(Number) as number, name: 'kms', instance: 'i-1', msg: 'shown' },
    ]);
  });

  it('emits redacted lines to the OTel logger when telemetry is enabled', () => {
    const records: LogRecord[] = [];
    const emitter: OtelLogger = { emit: (r) => records.push(r), enabled: () => true };
    const out = capture();
    const log = createLogger({
      level: 'info',
      name: 'kms',
      destination: out.stream,
      telemetry: { enabled: true, logEmitter: emitter },
    });
    log.info({ user: { password: SECRETS.password } }, 'login');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      severityText: 'INFO',
      severityNumber: 9,
      body: 'login',
      attributes: { name: 'kms', user: { password: '[redacted]' } },
    });
    expect(JSON.stringify(records)).not.toContain(SECRETS.password);
  });

  it('does not bridge when telemetry is disabled', () => {
    const records: LogRecord[] = [];
    const emitter: OtelLogger = { emit: (r) => records.push(r), enabled: () => true };
    const out = capture();
    const log = createLogger({
      level: 'info',
      name: 'kms',
      destination: out.stream,
      telemetry: { enabled: false, logEmitter: emitter },
    });
    log.info('plain');
    expect(records).toEqual([]);
    expect(out.lines()).toHaveLength(1);
  });
});
