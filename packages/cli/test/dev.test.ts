import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, liveFlags, startLive } from './cli-harness.js';
import { setsFor } from '../src/commands/dev.js';
import { fixtureProduct } from './fixture-product.js';

async function startDev(signals: EventEmitter, exits: number[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'cu-cli-dev-'));
  const flags = await liveFlags(cwd, 'telemetry.logLevel=silent');
  const products = [fixtureProduct];
  const dev = (
    await startLive(['dev', ...flags], flags, {
      cwd,
      products,
      signals,
      exit: (c) => exits.push(c),
    })
  ).done;
  return { dev, flags, cwd, products };
}

describe('cryptoutil dev with a product', () => {
  it('runs the product on its dev settings and stops on SIGTERM', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const { dev, flags, cwd, products } = await startDev(signals, exits);
    const readyz = await cli(['fixture', 'health', 'readyz', ...flags], { cwd, products });
    expect(JSON.parse(readyz.stdout).checks.database).toBe('ok');
    signals.emit('SIGTERM', 'SIGTERM');
    const keyFile = join(cwd, 'data', 'dev', 'fixture.api-key');
    expect(await dev).toEqual({
      code: 0,
      stdout: `fixture: dev API key (all fixture scopes, tenant default) written to ${keyFile}\n`,
      stderr: '',
    });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^cu_dev-fixture_[A-Za-z0-9_-]+\n$/);
    expect(exits).toEqual([]);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('forces exit 1 on a second signal', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const { dev } = await startDev(signals, exits);
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    await dev;
  });

  it('ends when the product is shut down through its admin API', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const { dev, flags, cwd, products } = await startDev(signals, exits);
    expect((await cli(['fixture', 'shutdown', ...flags], { cwd, products })).stdout).toBe(
      'shutdown requested\n',
    );
    expect((await dev).code).toBe(0);
    expect(exits).toEqual([]);
  });

  it('stops cleanly on a signal that arrives while a product is still starting', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const cwd = mkdtempSync(join(tmpdir(), 'cu-cli-dev-'));
    let release = (): void => undefined;
    let started = (): void => undefined;
    const starting = new Promise<void>((resolve) => (started = resolve));
    const slow = {
      ...fixtureProduct,
      async createService(context: Parameters<typeof fixtureProduct.createService>[0]) {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return fixtureProduct.createService(context);
      },
    };
    const flags = await liveFlags(cwd, 'telemetry.logLevel=silent');
    const dev = cli(['dev', ...flags], {
      cwd,
      products: [slow],
      signals,
      exit: (c) => exits.push(c),
    });
    await starting;
    signals.emit('SIGTERM', 'SIGTERM');
    release();
    expect((await dev).code).toBe(0);
    expect(exits).toEqual([]);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 2 when a product config is invalid, starting nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cu-cli-dev-'));
    const res = await cli(['dev', '-s', 'admin.address=10.0.0.1'], {
      cwd,
      products: [fixtureProduct],
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('admin.address: address must be a loopback address');
  });
});

describe('setsFor', () => {
  const kms = { ...fixtureProduct, name: 'kms' };
  const jose = { ...fixtureProduct, name: 'jose' };
  const sets = ['telemetry.logLevel=warn', 'kms:public.port=1', 'jose:public.port=2', 'ca:x=1'];

  it('gives each product the unprefixed overrides and its own, prefix removed', () => {
    expect(setsFor(kms, [kms, jose], sets)).toEqual([
      'telemetry.logLevel=warn',
      'public.port=1',
      'ca:x=1',
    ]);
    expect(setsFor(jose, [kms, jose], sets)).toEqual([
      'telemetry.logLevel=warn',
      'public.port=2',
      'ca:x=1',
    ]);
  });

  it('leaves values with colons alone', () => {
    expect(setsFor(kms, [kms], ['database.url=postgres://h:5432/db'])).toEqual([
      'database.url=postgres://h:5432/db',
    ]);
  });
});
