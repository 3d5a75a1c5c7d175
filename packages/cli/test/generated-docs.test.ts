import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../src/commands/docs.js';
import { renderConfigReference } from '../src/config-reference.js';
import { products } from '../src/products.js';
import { fixtureProduct } from './fixture-product.js';
import { cli } from './cli-harness.js';

const root = join(import.meta.dirname, '..', '..', '..');

const docs = await generatedDocs(products);

describe('generated docs', () => {
  it.each(Object.entries(docs))('%s is current (regenerate: pnpm docs:gen)', (file, text) => {
    expect(readFileSync(join(root, file), 'utf8')).toBe(text);
  });

  it('renders an OpenAPI document for the KMS', () => {
    expect(Object.keys(docs)).toContain('specs/kms.openapi.yaml');
  });

  it('documents every shared section with env names and secret markers', () => {
    const config = docs['docs/config.md'] ?? '';
    for (const key of [
      'public.port',
      'admin.address',
      'tls.mode',
      'database.url',
      'telemetry.otlp.endpoint',
      'auth.pepper',
    ]) {
      expect(config).toContain(`| \`${key}\` |`);
    }
    expect(config).toContain('`CRYPTOUTIL_DATABASE__URL`');
    expect(config).toMatch(/\| `auth\.pepper` \|[^\n]*Secret: accepts `file:\/\/\/run\/secrets\//);
  });

  it("adds each product's own sections after the shared ones", () => {
    const md = renderConfigReference([fixtureProduct]);
    expect(md).toContain('## Fixture service: fixture\n');
    expect(md).toContain(
      '| `fixture.greeting` | string | `"hello"` | `CRYPTOUTIL_FIXTURE__GREETING` | What GET /greeting answers. |',
    );
    expect(md.indexOf('## Shutdown')).toBeLessThan(md.indexOf('## Fixture service: fixture'));
  });

  it('docs --check exits 1 naming stale files', async () => {
    const res = await cli(['docs', '--check', '--root', '/nonexistent'], { cwd: root });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'cryptoutil: stale generated docs: docs/config.md, docs/problems.md; run `pnpm docs:gen` and commit\n',
    );
  });

  it('docs --check passes on the committed files', async () => {
    expect((await cli(['docs', '--check'], { cwd: root, products })).code).toBe(0);
  });
});
