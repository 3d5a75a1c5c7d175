import { isSecret } from '@cryptoutil/config';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { databaseConfigSchema } from './database-config.js';

describe('databaseConfigSchema', () => {
  it('defaults to in-memory SQLite with migrations on', () => {
    expect(databaseConfigSchema.parse({})).toEqual({
      url: ':memory:',
      pool: { max: 10, idleTimeoutMs: 30_000, connectionTimeoutMs: 10_000 },
      migrate: true,
    });
  });

  it('accepts postgres URLs, pool limits and migrate=false', () => {
    const config = databaseConfigSchema.parse({
      url: 'postgresql://kms@db:5432/kms',
      pool: { max: 4 },
      migrate: false,
    });
    expect(config).toEqual({
      url: 'postgresql://kms@db:5432/kms',
      pool: { max: 4, idleTimeoutMs: 30_000, connectionTimeoutMs: 10_000 },
      migrate: false,
    });
  });

  it('names the failing key path and never the value', () => {
    const result = databaseConfigSchema.safeParse({
      url: 'mysql://root:hunter2@h/db',
      pool: { max: 0 },
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => i.path.join('.')).sort();
    expect(issues).toEqual(['pool.max', 'url']);
    expect(JSON.stringify(result.error?.issues)).not.toContain('hunter2');
  });

  it('marks url as a secret field, at the field and under its default', () => {
    const field = databaseConfigSchema.shape.url;
    expect(isSecret(field)).toBe(true);
    expect(
      isSecret(
        (field as unknown as { _zod: { def: { innerType: z.ZodType } } })._zod.def.innerType,
      ),
    ).toBe(true);
    expect(isSecret(databaseConfigSchema.shape.migrate)).toBe(false);
  });

  it('describes every key', () => {
    const shape = databaseConfigSchema.shape;
    const pool = (
      shape.pool as unknown as {
        _zod: { def: { innerType: z.ZodObject<Record<string, z.ZodType>> } };
      }
    )._zod.def.innerType;
    const described = [shape.url, shape.pool, shape.migrate, ...Object.values(pool.shape)].map(
      (s) => s.description,
    );
    expect(described).toHaveLength(6);
    for (const d of described) expect(d).toMatch(/\w{3,}/);
  });
});
