import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseLogger } from './create-database.js';
import { parseInt8 } from './postgres-dialect.js';

function recordingLogger(): DatabaseLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (fields: Record<string, unknown>, msg: string): void => {
    lines.push(`${msg} ${JSON.stringify(fields)}`);
  };
  return { lines, debug: log, info: log, warn: log };
}

describe('createDatabase', () => {
  it('opens in-memory SQLite by default and answers ping', async () => {
    const database = createDatabase({});
    expect(database.dialect).toBe('sqlite');
    await expect(database.ping()).resolves.toBeUndefined();
    const { rows } = await sql<{ v: number }>`select 6 * 7 as v`.execute(database.kysely);
    expect(rows).toEqual([{ v: 42 }]);
    await database.destroy();
  });

  it('closes once however often destroy is called', async () => {
    const logger = recordingLogger();
    const database = createDatabase({ url: ':memory:' }, { logger });
    await database.ping();
    await Promise.all([database.destroy(), database.destroy()]);
    await database.destroy();
    expect(logger.lines.filter((l) => l.startsWith('database closed'))).toHaveLength(1);
    await expect(database.ping()).rejects.toThrow();
  });

  it('logs the redacted URL only', async () => {
    const logger = recordingLogger();
    const database = createDatabase({ url: 'postgres://kms:hunter2@127.0.0.1:1/kms' }, { logger });
    expect(database.dialect).toBe('postgres');
    await database.destroy();
    expect(logger.lines[0]).toBe(
      'database opened {"database":"postgres://***@127.0.0.1:1/kms","dialect":"postgres"}',
    );
    expect(logger.lines.join('\n')).not.toContain('hunter2');
  });

  it('refuses an invalid config without echoing it', () => {
    expect(() => createDatabase({ url: 'mysql://root:hunter2@h/db' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});

describe('parseInt8', () => {
  it('reads safe integers as numbers and refuses the rest', () => {
    expect(parseInt8('1700000000000')).toBe(1_700_000_000_000);
    expect(parseInt8('-5')).toBe(-5);
    expect(() => parseInt8('9007199254740993')).toThrow(RangeError);
  });
});
