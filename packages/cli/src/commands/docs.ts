// `cryptoutil docs [--check]`: writes docs/config.md, docs/problems.md and specs/<product>.openapi.yaml
// from the schemas, the problem registry and the routes; `--check` fails (exit 1) when a committed file is stale, which the
// test suite runs so docs and code cannot drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderProblemsDoc, type AnyProductDefinition } from '@cryptoutil/server';
import type { Command } from 'commander';
import { CommandFailure, type CliIo } from '../io.js';
import { renderConfigReference } from '../config-reference.js';

export async function generatedDocs(
  products: readonly AnyProductDefinition[],
): Promise<Record<string, string>> {
  const docs: Record<string, string> = {
    'docs/config.md': renderConfigReference(products),
    'docs/problems.md': renderProblemsDoc(),
  };
  for (const product of products) {
    if (product.openapi)
      docs[`specs/${product.name}.openapi.yaml`] = await product.openapi('1.0.0');
  }
  return docs;
}

export function registerDocsCommand(
  program: Command,
  io: CliIo,
  products: readonly AnyProductDefinition[],
): void {
  program
    .command('docs')
    .description('write docs/config.md, docs/problems.md and specs/*.openapi.yaml from the code')
    .option('--root <dir>', 'repository root', '.')
    .option('--check', 'fail when a generated file is stale instead of writing it')
    .action(async (options: { root: string; check?: boolean }) => {
      const stale: string[] = [];
      for (const [file, text] of Object.entries(await generatedDocs(products))) {
        const path = resolve(io.cwd, options.root, file);
        let current = '';
        try {
          current = readFileSync(path, 'utf8');
        } catch {
          // missing counts as stale
        }
        if (current === text) continue;
        if (options.check) stale.push(file);
        else {
          writeFileSync(path, text);
          io.stdout(`wrote ${file}\n`);
        }
      }
      if (stale.length > 0) {
        throw new CommandFailure(
          `stale generated docs: ${stale.join(', ')}; run \`pnpm docs:gen\` and commit`,
        );
      }
    });
}
