import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  childrenAt,
  defaultOf,
  describeOf,
  findUnknownKeys,
  listLeaves,
  schemaAt,
  unwrap,
} from './schema-walk.js';

const union = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('a'), onlyA: z.string(), shared: z.number() }),
  z.object({ mode: z.literal('b'), onlyB: z.boolean(), shared: z.number() }),
]);
const schema = z.object({
  plain: z.string(),
  wrapped: z.number().nullable().optional().readonly(),
  piped: z.string().transform((s) => s.length),
  list: z.array(z.object({ name: z.string() })),
  map: z.record(z.string(), z.object({ deep: z.number() })),
  union,
});

describe('unwrap, describeOf and defaultOf', () => {
  it('sees through optional, nullable, readonly, default and pipe', () => {
    expect(unwrap(schema.shape.wrapped)).toBeInstanceOf(z.ZodNumber);
    expect(unwrap(schema.shape.piped)).toBeInstanceOf(z.ZodString);
    expect(unwrap(z.string().default('x').optional())).toBeInstanceOf(z.ZodString);
  });

  it('finds descriptions and defaults under wrappers', () => {
    expect(describeOf(z.string().describe('inner').optional())).toBe('inner');
    expect(
      describeOf(
        z
          .string()
          .describe('in')
          .transform((s) => s),
      ),
    ).toBe('in');
    expect(describeOf(z.string())).toBeUndefined();
    expect(defaultOf(z.number().default(3).optional())).toEqual({ value: 3 });
    expect(defaultOf(z.number().optional())).toBeUndefined();
    expect(defaultOf(z.number())).toBeUndefined();
  });
});

describe('schemaAt and childrenAt', () => {
  it('walks objects, list elements, record values and union variants', () => {
    expect(schemaAt(schema, ['list', '0', 'name'])).toBeInstanceOf(z.ZodString);
    expect(schemaAt(schema, ['map', 'anything', 'deep'])).toBeInstanceOf(z.ZodNumber);
    expect(schemaAt(schema, ['union', 'onlyB'])).toBeInstanceOf(z.ZodBoolean);
    expect(childrenAt(union, 'shared')).toHaveLength(2);
    expect(schemaAt(schema, ['list', 'x'])).toBeUndefined();
    expect(schemaAt(schema, ['plain', 'below'])).toBeUndefined();
    expect(schemaAt(schema, ['missing'])).toBeUndefined();
    expect(schemaAt(schema, [])).toBe(schema);
  });
});

describe('listLeaves', () => {
  it('lists union keys once, with the variants that have them', () => {
    const leaves = listLeaves(z.object({ union }));
    expect(leaves.map((l) => l.path.join('.'))).toEqual([
      'union.mode',
      'union.onlyA',
      'union.shared',
      'union.onlyB',
    ]);
    const byPath = Object.fromEntries(leaves.map((l) => [l.path.join('.'), l]));
    expect(byPath['union.mode']?.variants).toHaveLength(2);
    expect(byPath['union.mode']?.onlyWhen).toBeUndefined();
    expect(byPath['union.onlyA']?.onlyWhen).toEqual({ key: 'mode', values: ['a'] });
    expect(byPath['union.onlyB']?.onlyWhen).toEqual({ key: 'mode', values: ['b'] });
    expect(byPath['union.shared']?.onlyWhen).toBeUndefined();
  });

  it('treats a non-object schema as one leaf', () => {
    expect(listLeaves(z.string(), ['x'])).toEqual([
      { path: ['x'], schema: expect.any(z.ZodString), variants: [expect.any(z.ZodString)] },
    ]);
  });
});

describe('findUnknownKeys', () => {
  it('reports keys no variant declares, at any depth, in lists too', () => {
    expect(
      findUnknownKeys(schema, {
        plain: 'x',
        typo: 1,
        list: [{ name: 'a' }, { name: 'b', extra: true }],
        map: { k: { deep: 1, whatever: 2 } },
        union: { mode: 'a', onlyA: 'x', onlyB: true, nope: 1 },
      }),
    ).toEqual(['typo', 'list.1.extra', 'map.k.whatever', 'union.onlyB', 'union.nope']);
  });

  it('checks a discriminated union value against the variant it selects, or the default one', () => {
    const withDefault = z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('auto').default('auto'), dir: z.string() }),
      z.object({ mode: z.literal('static'), certFile: z.string() }),
    ]);
    expect(findUnknownKeys(withDefault, { certFile: '/x.pem' })).toEqual(['certFile']);
    expect(findUnknownKeys(withDefault, { mode: 'static', certFile: '/x.pem', dir: 'd' })).toEqual([
      'dir',
    ]);
    expect(findUnknownKeys(withDefault, { mode: 'other', certFile: '/x.pem' })).toEqual([]);
  });

  it('never resolves keys through Object.prototype', () => {
    expect(findUnknownKeys(schema, { constructor: 1, toString: 2 })).toEqual([
      'constructor',
      'toString',
    ]);
    expect(schemaAt(schema, ['constructor'])).toBeUndefined();
    expect(schemaAt(schema, ['plain', 'hasOwnProperty'])).toBeUndefined();
  });

  it('ignores scalars and values of non-object schemas', () => {
    expect(findUnknownKeys(schema, 'text')).toEqual([]);
    expect(findUnknownKeys(schema, null)).toEqual([]);
    expect(findUnknownKeys(z.string(), { a: 1 })).toEqual([]);
    expect(findUnknownKeys(z.string(), [1])).toEqual([]);
  });
});
