// A minimal product built only with the kit's public API: a stub authenticator and session
// resolver, a few routes covering scopes, validation, errors and a slow operation, readiness
// checks, and ordered shutdown hooks that record what ran.
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import {
  ProblemError,
  ReadinessCheckError,
  buildAdminApp,
  buildPublicApp,
  createServerRuntime,
  problems,
  publicListenerSchema,
  type ApiRoutes,
  type BoundAddresses,
  type Authenticator,
  type Principal,
  type ReadinessCheck,
  type SessionResolver,
} from '../src/index.js';
import { captureLogger, type CapturedLogger } from './support/capture-logger.js';
import { deferred, type Deferred } from './support/deferred.js';
import { testTls, type TestTls } from './support/certificates.js';

export const ALLOWED_ORIGIN = 'https://app.example.test';
export const INTERNAL_SECRET = 'db-password=hunter2';

const principals: Record<string, Principal> = {
  'good-token': {
    subject: 'alice',
    tenant: 't1',
    scopes: ['echo:read', 'items:write'],
    method: 'jwt',
  },
  'reader-token': { subject: 'carol', tenant: 't1', scopes: ['echo:read'], method: 'api-key' },
};

export const stubAuthenticator: Authenticator = {
  authenticate(request) {
    const header = request.headers.authorization;
    if (header === undefined) return Promise.resolve(undefined);
    const principal = principals[header.replace(/^Bearer /, '')];
    if (principal) return Promise.resolve(principal);
    return Promise.reject(
      new ProblemError(problems.invalidToken, {
        detail: 'token not accepted',
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      }),
    );
  },
};

export const stubSessions: SessionResolver = {
  resolve(request) {
    const session = request.cookies.session;
    return Promise.resolve(
      session === 'bob-session'
        ? { subject: 'bob', tenant: 't2', scopes: ['echo:read', 'items:write'], method: 'jwt' }
        : undefined,
    );
  },
};

export interface FixtureControls {
  /** Resolved by `/slow` when it starts; the test resolves `release` to let it answer. */
  slowStarted: Deferred;
  release: Deferred;
  checkFails: boolean;
}

function fixtureRoutes(controls: FixtureControls): ApiRoutes {
  return (app, _options, done) => {
    app.get('/echo', { config: { scopes: ['echo:read'] } }, (request) => ({
      principal: request.principal,
    }));
    app.get('/info', { config: { public: true } }, () => ({ service: 'fixture' }));
    app.post(
      '/items',
      {
        config: { scopes: ['items:write'] },
        schema: { body: z.object({ name: z.string().min(1), count: z.number().int().positive() }) },
      },
      (request) => ({ created: request.body.name, count: request.body.count }),
    );
    app.get('/boom', { config: { public: true } }, () => {
      throw new Error(`query failed: ${INTERNAL_SECRET}`);
    });
    app.get('/slow', { config: { public: true } }, async () => {
      controls.slowStarted.resolve();
      await controls.release.promise;
      return { slow: 'done' };
    });
    done();
  };
}

export interface Fixture {
  readonly runtime: ReturnType<typeof createServerRuntime>;
  readonly log: CapturedLogger;
  readonly controls: FixtureControls;
  /** Ordered record of shutdown steps. */
  readonly events: string[];
  readonly exitCodes: number[];
}

export function createFixture(tls: TestTls): Fixture {
  const log = captureLogger();
  const events: string[] = [];
  const exitCodes: number[] = [];
  const controls: FixtureControls = {
    slowStarted: deferred(),
    release: deferred(),
    checkFails: false,
  };
  const listener = publicListenerSchema.parse({
    port: 0,
    cors: { allowedOrigins: [ALLOWED_ORIGIN] },
  });
  const publicApp = buildPublicApp({
    https: tls.serverOptions,
    logger: log.logger,
    listener,
    authenticator: stubAuthenticator,
    sessions: stubSessions,
    routes: fixtureRoutes(controls),
    wellKnown: (app, _options, done) => {
      app.get('/fixture-metadata', () => ({ issuer: 'fixture' }));
      done();
    },
  });
  const checks: ReadinessCheck[] = [
    { name: 'database', check: () => Promise.resolve() },
    {
      name: 'barrier',
      check: () =>
        controls.checkFails ? Promise.reject(new ReadinessCheckError('sealed')) : Promise.resolve(),
    },
  ];
  const adminApp = buildAdminApp({ https: tls.serverOptions, logger: log.logger, checks });
  publicApp.addHook('onClose', (_app, done) => {
    events.push('public closed');
    done();
  });
  adminApp.addHook('onClose', (_app, done) => {
    events.push('admin closed');
    done();
  });
  const runtime = createServerRuntime({
    publicApp,
    adminApp,
    publicListen: { host: '127.0.0.1', port: 0 },
    adminListen: { host: '127.0.0.1', port: 0 },
    drainTimeoutMs: 10_000,
    onShutdown: [
      () => Promise.resolve(void events.push('database closed')),
      () => Promise.resolve(void events.push('telemetry flushed')),
    ],
    logger: log.logger,
    exit: (code) => void exitCodes.push(code),
  });
  return { runtime, log, controls, events, exitCodes };
}

export interface RunningFixture {
  readonly tls: TestTls;
  readonly fixture: Fixture;
  readonly bound: BoundAddresses;
}

/** Starts the fixture on both real listeners before a file's tests, shuts it down after. */
export function useRunningFixture(): RunningFixture {
  const running = {} as { tls: TestTls; fixture: Fixture; bound: BoundAddresses };
  beforeAll(async () => {
    running.tls = await testTls();
    running.fixture = createFixture(running.tls);
    running.bound = await running.fixture.runtime.start();
  });
  afterAll(() => running.fixture.runtime.shutdown('test end'));
  return running;
}
