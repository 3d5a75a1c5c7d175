import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../test/support/capture-logger.js';
import { buildAdminApp } from './admin-app.js';
import { createKitApp } from './kit-app.js';
import { createServerRuntime, type ServerRuntime, type ServerRuntimeOptions } from './runtime.js';

const loopback = { host: '127.0.0.1', port: 0 };
let cleanup: ServerRuntime | undefined;
afterEach(() => cleanup?.shutdown('test end'));

function runtimeWith(overrides: Partial<ServerRuntimeOptions> = {}) {
  const log = captureLogger();
  const exitCodes: number[] = [];
  const adminApp = overrides.adminApp ?? buildAdminApp({ https: {} });
  const runtime = createServerRuntime({
    publicApp: createKitApp({ name: 'public', https: {} }),
    adminApp,
    publicListen: loopback,
    adminListen: loopback,
    drainTimeoutMs: 1_000,
    logger: log.logger,
    exit: (code) => void exitCodes.push(code),
    ...overrides,
  });
  cleanup = runtime;
  return { runtime, log, exitCodes, adminApp };
}

describe('createServerRuntime', () => {
  it('refuses an admin app not built by buildAdminApp', () => {
    expect(() => runtimeWith({ adminApp: createKitApp({ name: 'admin', https: {} }) })).toThrow(
      new TypeError('adminApp must be built with buildAdminApp'),
    );
  });

  it('refuses an admin listen address off the loopback interface', () => {
    expect(() => runtimeWith({ adminListen: { host: '0.0.0.0', port: 0 } })).toThrow(
      new TypeError('admin listener must bind a loopback address, got 0.0.0.0'),
    );
  });

  it('starts once and reports the bound ports', async () => {
    const { runtime } = runtimeWith();
    const first = runtime.start();
    expect(runtime.start()).toBe(first);
    const bound = await first;
    expect(bound.public.host).toBe('127.0.0.1');
    expect(bound.public.port).toBeGreaterThan(0);
    expect(bound.admin.port).toBeGreaterThan(0);
    expect(bound.admin.port).not.toBe(bound.public.port);
  });

  it('closes the public listener when the admin listener cannot listen', async () => {
    const blocker = runtimeWith();
    const taken = (await blocker.runtime.start()).admin.port;
    const publicApp = createKitApp({ name: 'public', https: {} });
    const second = createServerRuntime({
      publicApp,
      adminApp: buildAdminApp({ https: {} }),
      publicListen: loopback,
      adminListen: { host: '127.0.0.1', port: taken },
      drainTimeoutMs: 100,
      logger: captureLogger().logger,
    });
    await expect(second.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(publicApp.server.listening).toBe(false);
  });

  it('runs every hook even when one fails, and a signal shutdown then exits 1', async () => {
    const ran: string[] = [];
    const { runtime, log, exitCodes } = runtimeWith({
      onShutdown: [
        () => Promise.reject(new Error('db close failed')),
        () => Promise.resolve(void ran.push('telemetry')),
      ],
    });
    await runtime.start();
    const signals = new EventEmitter();
    const remove = runtime.installSignalHandlers(signals);
    signals.emit('SIGTERM', 'SIGTERM');
    await runtime.shutdown('join');
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['telemetry']);
    expect(exitCodes).toEqual([1]);
    expect(log.lines.find((line) => line.msg === 'shutdown hook failed')).toMatchObject({
      hook: 0,
      level: 50,
    });
    expect(log.lines.find((line) => line.msg === 'shutdown started')).toMatchObject({
      reason: 'SIGTERM',
    });
    remove();
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });

  it('forces exit(1) on a second signal while shutting down, and exits 0 after a clean one', async () => {
    let release: () => void = () => undefined;
    const { runtime, log, exitCodes } = runtimeWith({
      onShutdown: [() => new Promise<void>((resolve) => (release = resolve))],
    });
    await runtime.start();
    const signals = new EventEmitter();
    runtime.installSignalHandlers(signals);
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGTERM', 'SIGTERM');
    expect(exitCodes).toEqual([1]);
    expect(
      log.lines.find((line) => line.msg === 'second signal during shutdown, forcing exit'),
    ).toMatchObject({
      signal: 'SIGTERM',
    });
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await runtime.shutdown('join');
    await new Promise((resolve) => setImmediate(resolve));
    expect(exitCodes).toEqual([1, 0]);
  });

  it('goes on with every step when a listener fails to close, then exits 1', async () => {
    const publicApp = createKitApp({ name: 'public', https: {} });
    publicApp.addHook('onClose', () => Promise.reject(new Error('close failed')));
    const ran: string[] = [];
    const { runtime, log, exitCodes, adminApp } = runtimeWith({
      publicApp,
      onShutdown: [() => Promise.resolve(void ran.push('db closed'))],
    });
    await runtime.start();
    const signals = new EventEmitter();
    runtime.installSignalHandlers(signals);
    signals.emit('SIGTERM', 'SIGTERM');
    await runtime.shutdown('join');
    expect(ran).toEqual(['db closed']);
    expect(adminApp.server.listening).toBe(false);
    expect(exitCodes).toEqual([1]);
    expect(log.lines.some((line) => line.msg === 'listener failed to close cleanly')).toBe(true);
    cleanup = undefined;
  });
});
