// Walks zod 4 schemas the way the loader needs: through optional/default/nullable/pipe wrappers,
// into objects, arrays, records and discriminated unions. It finds the schema at a key path
// (to coerce env and flag strings), lists the leaves (for docs and env names) and reports
// unknown keys, which plain `z.object` would strip silently.
import type { z } from 'zod';

type AnySchema = z.ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  defaultValue?: unknown;
  entries?: Record<string, unknown>;
  values?: unknown[];
}

export function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch']);

/** The schema under optional/default/nullable/pipe wrappers. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The first description found on the schema or one of its wrappers. */
export function describeOf(schema: AnySchema): string | undefined {
  let current: AnySchema | undefined = schema;
  while (current) {
    if (current.description) return current.description;
    const def = defOf(current);
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
  }
  return undefined;
}

/** The default value declared on the schema's wrappers, if any. */
export function defaultOf(schema: AnySchema): { value: unknown } | undefined {
  let current: AnySchema | undefined = schema;
  while (current) {
    const def = defOf(current);
    if (def.type === 'default') return { value: def.defaultValue };
    current = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return undefined;
}

/** The object options of a (discriminated) union, or the object itself. */
export function objectVariants(schema: AnySchema): AnySchema[] {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'object') return [inner];
  if (def.type === 'union' && def.options) return def.options.flatMap(objectVariants);
  return [];
}

/** Child schemas reachable under `key` from `schema` (several for unions). */
export function childrenAt(schema: AnySchema, key: string): AnySchema[] {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'array' && def.element && /^\d+$/.test(key)) return [def.element];
  return objectVariants(inner).flatMap((o) => ownChild(o, key));
}

// Own keys only: `constructor` or `__proto__` must not resolve to Object.prototype members.
function ownChild(variant: AnySchema, key: string): AnySchema[] {
  const shape = defOf(variant).shape;
  const child = shape && Object.hasOwn(shape, key) ? shape[key] : undefined;
  return child ? [child] : [];
}

// For a discriminated union, the variants a value selects: the one its discriminator names, or
// the one whose discriminator has a default when the value has none. Any other union (or a
// value naming no known variant) keeps every variant, and the schema reports the mismatch.
function selectedVariants(schema: AnySchema, value: Record<string, unknown>): AnySchema[] {
  const variants = objectVariants(schema);
  const discriminator = defOf(unwrap(schema)).discriminator;
  if (discriminator === undefined) return variants;
  const chosen = value[discriminator];
  const matching = variants.filter((variant) => {
    const field = ownChild(variant, discriminator)[0];
    if (!field) return false;
    return chosen === undefined
      ? defaultOf(field) !== undefined
      : typeof chosen === 'string' && discriminatorValue(variant, discriminator) === chosen;
  });
  return matching.length > 0 ? matching : variants;
}

/** The schema at a key path, or undefined when no variant of the schema has that path. */
export function schemaAt(schema: AnySchema, path: readonly string[]): AnySchema | undefined {
  let candidates = [schema];
  for (const key of path) {
    candidates = candidates.flatMap((c) => childrenAt(c, key));
    if (candidates.length === 0) return undefined;
  }
  return candidates[0];
}

export interface Leaf {
  readonly path: readonly string[];
  readonly schema: AnySchema;
  /** The same key in every union variant that declares it (one entry outside unions). */
  readonly variants: readonly AnySchema[];
  /** For keys of some union variants only: the discriminator values that have them. */
  readonly onlyWhen?: { readonly key: string; readonly values: readonly string[] };
}

function discriminatorValue(variant: AnySchema, key: string): string | undefined {
  const field = ownChild(variant, key)[0];
  const values = field ? defOf(unwrap(field)).values : undefined;
  return values?.length === 1 ? String(values[0]) : undefined;
}

/** Every leaf key path of the schema; keys shared by union variants are listed once. */
export function listLeaves(schema: AnySchema, path: readonly string[] = []): Leaf[] {
  const variants = objectVariants(schema);
  if (variants.length === 0) return [{ path, schema, variants: [schema] }];
  const discriminator = defOf(unwrap(schema)).discriminator;
  const byKey = new Map<string, AnySchema[]>();
  const owners = new Map<string, AnySchema[]>();
  for (const variant of variants) {
    for (const [key, child] of Object.entries(defOf(variant).shape ?? {})) {
      byKey.set(key, [...(byKey.get(key) ?? []), child]);
      owners.set(key, [...(owners.get(key) ?? []), variant]);
    }
  }
  return [...byKey].flatMap(([key, children]) => {
    const first = children[0] as AnySchema;
    const nested = listLeaves(first, [...path, key]);
    const variantOwners = owners.get(key) ?? [];
    const partial = discriminator !== undefined && variantOwners.length < variants.length;
    const values = partial
      ? variantOwners.flatMap((v) => discriminatorValue(v, discriminator) ?? [])
      : [];
    return nested.map((leaf) => ({
      ...leaf,
      variants:
        nested.length === 1 && leaf.path.length === path.length + 1 ? children : leaf.variants,
      ...(partial && discriminator ? { onlyWhen: { key: discriminator, values } } : {}),
    }));
  });
}

/** Key paths present in `value` that no variant of `schema` declares. */
export function findUnknownKeys(schema: AnySchema, value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return [];
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (Array.isArray(value)) {
    return def.type === 'array' && def.element
      ? value.flatMap((v, i) => findUnknownKeys(def.element as AnySchema, v, [...path, String(i)]))
      : [];
  }
  if (def.type === 'record') {
    return Object.entries(value).flatMap(([key, child]) =>
      findUnknownKeys(def.valueType as AnySchema, child, [...path, key]),
    );
  }
  if (objectVariants(inner).length === 0) return [];
  const variants = selectedVariants(inner, value as Record<string, unknown>);
  return Object.entries(value).flatMap(([key, child]) => {
    const schema = variants.flatMap((variant) => ownChild(variant, key))[0];
    if (!schema) return [[...path, key].join('.')];
    return findUnknownKeys(schema, child, [...path, key]);
  });
}
