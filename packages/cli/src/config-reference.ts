// Renders docs/config.md from the schemas: the sections every product shares, then each
// product's default ports and own sections. Generated, never edited by hand (`pnpm docs:gen`).
import { renderConfigDocs, type ConfigDocSection } from '@cryptoutil/config';
import { createServiceConfigSchema, type AnyProductDefinition } from '@cryptoutil/server';
import { z } from 'zod';

const INTRO = [
  'Generated from the zod schemas by `pnpm docs:gen`; a test fails when this file is stale.',
  '',
  'Sources, lowest precedence first: defaults < YAML files (`--config`, repeatable, later files',
  'win) < environment variables < `--set key.path=value` flags. Environment names are',
  '`CRYPTOUTIL_` + the key path in UPPER_SNAKE case with `__` between segments; a product-scoped',
  'form `CRYPTOUTIL_<PRODUCT>__…` (e.g. `CRYPTOUTIL_KMS__PUBLIC__PORT`) wins over the shared one,',
  'which matters when `cryptoutil dev` runs every product in one process. Secret fields accept',
  '`file:///run/secrets/<name>` and are never logged. Lists in environment variables are',
  'comma-separated or JSON; maps are JSON.',
  '',
  "Default ports (`public.port` / `admin.port`; the tables show KMS's): KMS 8080 / 9090, CA 8050 / 9050 (plus 8051",
  'plain HTTP for revocation data), JOSE 8060 / 9060, Identity 8100 (authz) and 8110 (idp) /',
  '9100 and 9110.',
].join('\n');

const SHARED_SECTIONS: readonly [key: string, title: string][] = [
  ['public', 'Public listener'],
  ['admin', 'Admin listener'],
  ['tls', 'TLS'],
  ['database', 'Database'],
  ['barrier', 'Barrier (encryption at rest)'],
  ['telemetry', 'Telemetry'],
  ['auth', 'Authentication'],
  ['shutdown', 'Shutdown'],
];

function sectionsOf(schema: z.ZodObject, keys: readonly [string, string][]): ConfigDocSection[] {
  return keys.flatMap(([key, title]) => {
    const child: z.ZodType | undefined = (schema.shape as Record<string, z.ZodType | undefined>)[
      key
    ];
    return child ? [{ title, schema: z.object({ [key]: child }) }] : [];
  });
}

export function renderConfigReference(products: readonly AnyProductDefinition[]): string {
  const shared = createServiceConfigSchema({ publicPort: 8080, adminPort: 9090 });
  const sections = sectionsOf(shared, SHARED_SECTIONS);
  for (const product of products) {
    const schema = product.configSchema as unknown as z.ZodObject;
    const own = Object.keys(schema.shape)
      .filter((key) => !(key in shared.shape))
      .map((key): [string, string] => [key, `${product.title}: ${key}`]);
    sections.push(...sectionsOf(schema, own));
  }
  return renderConfigDocs('Configuration reference', INTRO, sections).replace(/\n+$/, '\n');
}
