import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderConfigDocs, typeName } from './docs.js';
import { envNameFor, pathForEnvName } from './env-names.js';
import { redactConfig, REDACTED } from './redact.js';
import { secret } from './secret.js';

const schema = z.object({
  public: z.object({
    port: z.number().default(8080).describe('Port of the public listener'),
    mode: z.enum(['a', 'b']).describe('Mode | with pipe'),
  }),
  pepper: secret(z.string()).describe('Pepper for hashes'),
  tls: z.discriminatedUnion('mode', [
    z.object({
      mode: z.literal('auto').describe('TLS mode'),
      dir: z.string().default(() => './x'),
    }),
    z.object({ mode: z.literal('static'), keyFile: secret(z.string()).describe('Key file') }),
  ]),
  list: z.array(z.number()).optional(),
  map: z.record(z.string(), z.boolean()).optional(),
});

describe('env names', () => {
  it('maps key paths to env names and back', () => {
    expect(envNameFor(['public', 'bodyLimit'])).toBe('CRYPTOUTIL_PUBLIC__BODY_LIMIT');
    expect(pathForEnvName('CRYPTOUTIL_PUBLIC__BODY_LIMIT')).toEqual(['public', 'bodyLimit']);
    expect(pathForEnvName('OTHER_PUBLIC')).toBeUndefined();
    expect(pathForEnvName('CRYPTOUTIL_')).toBeUndefined();
  });
});

describe('renderConfigDocs', () => {
  it('lists every leaf with type, default, env name, secret marker and description', () => {
    const md = renderConfigDocs('Configuration', 'Intro.', [
      { title: 'Example', intro: 'Section intro.', schema },
    ]);
    expect(md).toContain('# Configuration\n\nIntro.\n\n## Example\n\nSection intro.\n');
    expect(md).toContain(
      '| `public.port` | number | `8080` | `CRYPTOUTIL_PUBLIC__PORT` | Port of the public listener. |',
    );
    expect(md).toContain(
      '| `public.mode` | `a` \\| `b` |  | `CRYPTOUTIL_PUBLIC__MODE` | Mode \\| with pipe. |',
    );
    expect(md).toContain(
      '| `pepper` | string |  | `CRYPTOUTIL_PEPPER` | Pepper for hashes. Secret: accepts `file:///run/secrets/…`. |',
    );
    expect(md).toContain(
      '| `tls.mode` | `auto` \\| `static` |  | `CRYPTOUTIL_TLS__MODE` | TLS mode. |',
    );
    expect(md).toContain(
      '| `tls.dir` | string | `"./x"` | `CRYPTOUTIL_TLS__DIR` | Only when `mode` is `auto`. |',
    );
    expect(md).toContain(
      '| `tls.keyFile` | string |  | `CRYPTOUTIL_TLS__KEY_FILE` | Key file. Only when `mode` is `static`. Secret: accepts `file:///run/secrets/…`. |',
    );
    expect(md).toContain('| `list` | list of number |');
    expect(md).toContain('| `map` | map of boolean |');
  });

  it('names union types', () => {
    expect(typeName(z.union([z.string(), z.number()]))).toBe('string \\| number');
  });
});

describe('redactConfig', () => {
  it('replaces secret fields, including inside unions and arrays', () => {
    const value = {
      public: { port: 1, mode: 'a' },
      pepper: 'p3pp3r',
      tls: { mode: 'static', keyFile: 'k3y' },
      list: [1, 2],
      extra: 'kept',
    };
    expect(redactConfig(schema, value)).toEqual({
      public: { port: 1, mode: 'a' },
      pepper: REDACTED,
      tls: { mode: 'static', keyFile: REDACTED },
      list: [1, 2],
      extra: 'kept',
    });
  });
});
