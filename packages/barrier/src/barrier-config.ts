// The `barrier` config section every product embeds, and the unseal key source it names
// (ARCHITECTURE §4). File problems are configuration errors naming the key path and the file,
// never the file's content.
import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigIssue } from '@cryptoutil/config';
import type { JWK } from 'jose';
import { z } from 'zod';
import { createJwkUnsealSource } from './jwk-unseal-source.js';
import {
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
  createSecretsUnsealSource,
} from './secrets-unseal-source.js';
import {
  createDevUnsealSource,
  createSharesUnsealSource,
  type UnsealKeySource,
} from './unseal-key-source.js';

const files = (what: string) =>
  z
    .array(z.string().min(1))
    .min(1)
    .describe(`${what} (e.g. /run/secrets/unseal_1, a Docker secret).`);

export const barrierConfigSchema = z
  .discriminatedUnion('mode', [
    z
      .object({
        mode: z
          .literal('dev')
          .default('dev')
          .describe(
            'dev: a random unseal key per start; data is lost at exit (only with an in-memory database).',
          ),
      })
      .describe('Development unseal: ephemeral.'),
    z
      .object({
        mode: z.literal('secrets').describe('secrets: M-of-N secret files; any M of them unseal.'),
        files: files(
          `Secret files of ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes each, the same on every instance`,
        ),
        threshold: z
          .number()
          .int()
          .min(1)
          .describe('M: how many of the files are needed to unseal.'),
      })
      .describe('Unseal from M of N secret files.'),
    z
      .object({
        mode: z
          .literal('jwk')
          .describe('jwk: pre-generated 256-bit oct JWK files; any one unseals.'),
        files: files('JSON files each holding one oct JWK with a 256-bit k'),
      })
      .describe('Unseal from pre-generated JWK files.'),
    z
      .object({
        mode: z
          .literal('shares')
          .describe(
            'shares: Shamir key shares posted by operators to POST /admin/v1/barrier/unseal.',
          ),
      })
      .describe('Unseal from operators\u2019 Shamir shares.'),
  ])
  .describe('Encryption at rest: how the barrier gets its unseal keys.');

export type BarrierConfig = z.output<typeof barrierConfigSchema>;

async function readAll(
  paths: readonly string[],
  keyPath: string,
  issues: ConfigIssue[],
): Promise<(Uint8Array | undefined)[]> {
  return Promise.all(
    paths.map(async (file, i) => {
      try {
        return new Uint8Array(await readFile(file));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${code})`;
        issues.push({ path: `${keyPath}.files.${i}`, message: `${why}: ${file}` });
        return undefined;
      }
    }),
  );
}

function parseJwk(
  bytes: Uint8Array,
  path: string,
  file: string,
  issues: ConfigIssue[],
): JWK | undefined {
  try {
    const jwk = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    if (typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk)) return jwk;
  } catch {
    // reported below
  }
  issues.push({ path, message: `not a JSON JWK: ${file}` });
  return undefined;
}

/** The unseal key source `config` names; file problems throw a ConfigError. */
export async function loadUnsealSource(
  config: BarrierConfig,
  keyPath = 'barrier',
): Promise<UnsealKeySource> {
  const issues: ConfigIssue[] = [];
  switch (config.mode) {
    case 'dev':
      return createDevUnsealSource();
    case 'shares':
      return createSharesUnsealSource();
    case 'secrets': {
      const secrets = await readAll(config.files, keyPath, issues);
      secrets.forEach((s, i) => {
        if (s && (s.length < MIN_SECRET_BYTES || s.length > MAX_SECRET_BYTES)) {
          issues.push({
            path: `${keyPath}.files.${i}`,
            message: `must hold ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes, has ${s.length}: ${config.files[i] ?? ''}`,
          });
        }
      });
      if (config.threshold > config.files.length) {
        issues.push({
          path: `${keyPath}.threshold`,
          message: `must be at most the ${config.files.length} files`,
        });
      }
      if (issues.length > 0) throw new ConfigError(issues);
      return createSecretsUnsealSource({
        secrets: secrets as Uint8Array[],
        threshold: config.threshold,
      });
    }
    case 'jwk': {
      const contents = await readAll(config.files, keyPath, issues);
      const jwks = contents.map((c, i) =>
        c ? parseJwk(c, `${keyPath}.files.${i}`, config.files[i] ?? '', issues) : undefined,
      );
      if (issues.length > 0) throw new ConfigError(issues);
      try {
        return createJwkUnsealSource(jwks as JWK[]);
      } catch (err) {
        throw new ConfigError([{ path: `${keyPath}.files`, message: (err as Error).message }]);
      }
    }
  }
}
