import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { lazyChildLogger } from './lazy-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

describe('lazyChildLogger', () => {
  it('makes no child for calls at disabled levels', () => {
    const { logger, lines } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    const log = lazyChildLogger(logger, { reqId: 'r1' }, {});
    log.info('not logged');
    log.debug('not logged');
    // What Fastify's validateLogger looks at must not make the child either.
    for (const method of ['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child'] as const) {
      expect(typeof log[method]).toBe('function');
    }
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('makes the child once, with its bindings, when a call is enabled', async () => {
    const { logger, lines } = capture('info');
    const child = vi.spyOn(logger, 'child');
    const log = lazyChildLogger(logger, { reqId: 'r2' }, {});
    log.info('first');
    log.warn({ extra: 1 }, 'second');
    expect(log.level).toBe('info');
    await new Promise((r) => setImmediate(r));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['r2', 'first'],
      ['r2', 'second'],
    ]);
  });

  it('forwards writes to the child', () => {
    const { logger } = capture('info');
    const log = lazyChildLogger(logger, { reqId: 'r3' }, {});
    log.level = 'error';
    expect(log.level).toBe('error');
    expect(logger.level).toBe('info');
  });

  it('shares its methods between request loggers: nothing is made per request to check them', () => {
    const { logger } = capture('warn');
    const [a, b] = [lazyChildLogger(logger, { reqId: 'a' }, {}), lazyChildLogger(logger, {}, {})];
    for (const method of ['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child'] as const) {
      expect(Reflect.get(a, method)).toBe(Reflect.get(b, method));
    }
  });

  it('makes grandchildren from the child, with both bindings', async () => {
    const { logger, lines } = capture('info');
    const log = lazyChildLogger(logger, { reqId: 'r4' }, {});
    log.child({ part: 'x' }).info('nested');
    log.silent('never');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.reqId, l.part, l.msg])).toEqual([['r4', 'x', 'nested']]);
  });

  it('writes at every enabled level through the child, with the level numbers of pino', async () => {
    const { logger, lines } = capture('trace');
    const log = lazyChildLogger(logger, { reqId: 'r5' }, {});
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.fatal('f');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.reqId, l.msg])).toEqual([
      [10, 'r5', 't'],
      [20, 'r5', 'd'],
      [30, 'r5', 'i'],
      [40, 'r5', 'w'],
      [50, 'r5', 'e'],
      [60, 'r5', 'f'],
    ]);
  });
});
