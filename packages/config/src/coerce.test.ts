import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coerceString } from './coerce.js';
import { ConfigError } from './config-error.js';

describe('coerceString', () => {
  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['-1.5', -1.5],
    ['', ''],
    ['   ', '   '],
    ['12abc', '12abc'],
    ['Infinity', 'Infinity'],
  ])('number %j becomes %j', (raw, expected) => {
    expect(coerceString(z.number().optional(), raw)).toEqual(expected);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    [' on ', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['Off', false],
    ['maybe', 'maybe'],
  ])('boolean %j becomes %j', (raw, expected) => {
    expect(coerceString(z.boolean().default(false), raw)).toBe(expected);
  });

  it('splits lists on commas, trims and coerces each element', () => {
    expect(coerceString(z.array(z.number()), '1, 2,3')).toEqual([1, 2, 3]);
    expect(coerceString(z.array(z.string()), ' a , b ')).toEqual(['a', 'b']);
    expect(coerceString(z.array(z.string()), '')).toEqual([]);
  });

  it('reads JSON for lists, objects and unions', () => {
    expect(coerceString(z.array(z.string()), '["x,y"]')).toEqual(['x,y']);
    expect(coerceString(z.object({ a: z.number() }), ' {"a":1}')).toEqual({ a: 1 });
    expect(coerceString(z.record(z.string(), z.string()), '{"k":"v"}')).toEqual({ k: 'v' });
    expect(coerceString(z.union([z.object({ a: z.string() }), z.string()]), '{"a":"b"}')).toEqual({
      a: 'b',
    });
  });

  it('passes strings through when they are not JSON', () => {
    expect(coerceString(z.object({ a: z.number() }), 'plain')).toBe('plain');
    expect(coerceString(z.array(z.number()), '[1,')).toBe('[1,');
    expect(coerceString(z.string(), '{"a":1}')).toBe('{"a":1}');
  });
});

describe('ConfigError', () => {
  it('lists every issue on its own line, naming the root when the path is empty', () => {
    const err = new ConfigError([
      { path: 'public.port', message: 'too big' },
      { path: '', message: 'must be a mapping' },
    ]);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toBe(
      'invalid configuration:\n  public.port: too big\n  (root): must be a mapping',
    );
    expect(err.issues).toHaveLength(2);
  });
});
