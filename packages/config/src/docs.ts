// Renders configuration reference docs from the zod schemas themselves (docs/config.md), so the
// documentation cannot drift from the code: every key with its type, default, env variable,
// whether it is a secret, and the `.describe()` text.
import type { z } from 'zod';
import { envNameFor, ENV_PREFIX } from './env-names.js';
import { defaultOf, defOf, describeOf, listLeaves, unwrap, type Leaf } from './schema-walk.js';
import { isSecretField } from './secret-files.js';

export interface ConfigDocSection {
  readonly title: string;
  readonly intro?: string;
  readonly schema: z.ZodType;
  readonly envPrefix?: string;
}

export function typeName(schema: z.ZodType): string {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries ?? {})
        .map((v) => `\`${String(v)}\``)
        .join(' \\| ');
    case 'literal':
      return (def.values ?? []).map((v) => `\`${String(v)}\``).join(' \\| ');
    case 'array':
      return `list of ${typeName(def.element as z.ZodType)}`;
    case 'record':
      return `map of ${typeName(def.valueType as z.ZodType)}`;
    case 'union':
      return (def.options ?? []).map(typeName).join(' \\| ');
    default:
      return def.type;
  }
}

function formatDefault(schema: z.ZodType): string {
  const found = defaultOf(schema);
  if (!found) return '';
  const value = typeof found.value === 'function' ? (found.value as () => unknown)() : found.value;
  return `\`${JSON.stringify(value)}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function sentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

function describeLeaf(leaf: Leaf): string {
  const texts = [...new Set(leaf.variants.map((v) => describeOf(v) ?? ''))].filter(Boolean);
  const parts = texts.map(sentence);
  if (leaf.onlyWhen) {
    const values = leaf.onlyWhen.values.map((v) => `\`${v}\``).join(' or ');
    parts.push(`Only when \`${leaf.onlyWhen.key}\` is ${values}.`);
  }
  if (isSecretField(leaf.schema)) parts.push('Secret: accepts `file:///run/secrets/…`.');
  return escapeCell(parts.join(' '));
}

function leafType(leaf: Leaf): string {
  return [...new Set(leaf.variants.map(typeName))].join(' \\| ');
}

function leafDefault(leaf: Leaf): string {
  for (const variant of leaf.variants) {
    const text = formatDefault(variant);
    if (text) return text;
  }
  return '';
}

export function renderConfigSection(section: ConfigDocSection): string {
  const rows = listLeaves(section.schema).map((leaf) => {
    const env = envNameFor(leaf.path, section.envPrefix ?? ENV_PREFIX);
    return `| \`${leaf.path.join('.')}\` | ${leafType(leaf)} | ${leafDefault(leaf)} | \`${env}\` | ${describeLeaf(leaf)} |`;
  });
  return [
    `## ${section.title}`,
    '',
    ...(section.intro ? [section.intro, ''] : []),
    '| key | type | default | environment | description |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export function renderConfigDocs(
  title: string,
  intro: string,
  sections: readonly ConfigDocSection[],
): string {
  return [`# ${title}`, '', intro, '', ...sections.map(renderConfigSection)].join('\n');
}
