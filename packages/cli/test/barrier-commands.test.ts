// The operator's barrier workflow through the CLI against a running product in shares mode:
// init prints the shares once, unseal takes them from files, rotate and seal act and report.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, liveFlags, startLive } from './cli-harness.js';
import { fixtureProduct } from './fixture-product.js';

describe('cryptoutil <product> barrier', () => {
  it('inits shares, unseals from share files, rotates and seals', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cu-cli-barrier-'));
    const products = [fixtureProduct];
    const flags = await liveFlags(cwd, 'barrier.mode=shares', 'telemetry.logLevel=silent');
    const run = (argv: string[]) => cli(argv, { cwd, products });
    const server = (await startLive(['fixture', 'server', ...flags], flags, { cwd, products }))
      .done;
    expect((await run(['fixture', 'health', 'readyz', ...flags])).code).toBe(1);

    const init = await run([
      'fixture',
      'barrier',
      'init',
      '--shares',
      '3',
      '--threshold',
      '2',
      ...flags,
    ]);
    expect(init.code).toBe(0);
    const shares = [...init.stdout.matchAll(/share \d: (\S+)/g)].map((m) => m[1] ?? '');
    expect(shares).toHaveLength(3);
    shares.forEach((share, i) => writeFileSync(join(cwd, `share-${i}`), `${share}\n`));

    const first = await run(['fixture', 'barrier', 'unseal', '--share-file', 'share-0', ...flags]);
    expect(JSON.parse(first.stdout)).toMatchObject({ sealed: true, progress: 1, threshold: 2 });
    const second = await run(['fixture', 'barrier', 'unseal', '--share-file', 'share-2', ...flags]);
    expect(JSON.parse(second.stdout)).toMatchObject({ sealed: false });
    expect((await run(['fixture', 'health', 'readyz', ...flags])).code).toBe(0);

    const rotated = await run([
      'fixture',
      'barrier',
      'rotate',
      'intermediate',
      '--reason',
      'drill',
      ...flags,
    ]);
    expect(JSON.parse(rotated.stdout)).toMatchObject({
      level: 'intermediate',
      kid: expect.any(String) as string,
    });
    const bad = await run([
      'fixture',
      'barrier',
      'rotate',
      'everything',
      '--reason',
      'x',
      ...flags,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('barrier/rotate/everything: HTTP 400');
    const status = JSON.parse((await run(['fixture', 'barrier', 'status', ...flags])).stdout);
    expect(status).toMatchObject({ sealed: false, mode: 'shares', keyCounts: { intermediate: 2 } });
    expect(JSON.parse((await run(['fixture', 'barrier', 'seal', ...flags])).stdout)).toMatchObject({
      sealed: true,
    });
    expect(
      (await run(['fixture', 'barrier', 'unseal', '--share-file', 'nope', ...flags])).code,
    ).toBe(2);

    await run(['fixture', 'shutdown', ...flags]);
    expect((await server).code).toBe(0);
  });
});
