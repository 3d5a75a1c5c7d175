import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/support/capture-logger.js';
import { ReadinessCheckError, runReadinessChecks } from './readiness.js';

describe('runReadinessChecks', () => {
  it('is ready with no checks', async () => {
    const { logger } = captureLogger();
    expect(await runReadinessChecks([], 100, logger)).toEqual({ ready: true, checks: {} });
  });

  it('reports safe reasons only and logs the causes', async () => {
    const log = captureLogger();
    const report = await runReadinessChecks(
      [
        { name: 'database', check: () => Promise.resolve() },
        { name: 'barrier', check: () => Promise.reject(new ReadinessCheckError('sealed')) },
        {
          name: 'queue',
          check: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=x')),
        },
        { name: 'hangs', check: () => new Promise<void>(() => undefined) },
      ],
      20,
      log.logger,
    );
    expect(report).toEqual({
      ready: false,
      checks: { database: 'ok', barrier: 'sealed', queue: 'failed', hangs: 'timeout' },
    });
    expect(
      log.lines.filter((line) => line.msg === 'readiness check failed').map((line) => line.check),
    ).toEqual(['barrier', 'queue', 'hangs']);
    expect(log.text()).toContain('ECONNREFUSED 10.0.0.7');
  });
});
