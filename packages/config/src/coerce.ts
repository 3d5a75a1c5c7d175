// Turns the strings of env variables and `--set key=value` flags into the type the schema
// expects at that key path. A value that cannot be coerced is passed through unchanged, so the
// schema reports it with its key path instead of the loader guessing.
import type { z } from 'zod';
import { defOf, unwrap } from './schema-walk.js';

export function coerceString(schema: z.ZodType, raw: string): unknown {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'number':
    case 'int':
    case 'bigint': {
      const n = Number(raw.trim());
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      return raw;
    }
    case 'array':
      if (raw.trim().startsWith('[')) return parseJson(raw);
      return raw === ''
        ? []
        : raw.split(',').map((part) => coerceString(def.element as z.ZodType, part.trim()));
    case 'object':
    case 'record':
    case 'union':
      return raw.trim().startsWith('{') ? parseJson(raw) : raw;
    default:
      return raw;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
