// Dev mode's credential, like Vault's dev root token: when a product runs with `--dev` (or in
// `cryptoutil dev`) and no API key or JWT issuer is configured, it gets one random API key
// holding every scope the product declares, under a random pepper. The key goes to a 0600 file
// under ./data/dev (never to a log); the output names the file. A new key on every start: dev
// data lives in memory and dies with the process anyway.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  generateApiKey,
  hashApiKey,
  type AnyProductDefinition,
  type ServiceConfig,
} from '@cryptoutil/server';

export const DEV_CREDENTIALS_DIR = 'data/dev';

export interface DevCredentials {
  readonly config: ServiceConfig;
  /** Absent when the config already had credentials. */
  readonly keyFile?: string;
}

export function withDevCredentials(
  product: AnyProductDefinition,
  config: ServiceConfig,
  cwd: string,
): DevCredentials {
  if (config.auth.apiKeys.length > 0 || config.auth.jwt !== undefined) return { config };
  const pepper = randomBytes(32).toString('base64url');
  const { id, key } = generateApiKey({ id: `dev-${product.name}` });
  const entry = {
    id,
    hash: hashApiKey(key, pepper),
    tenant: config.auth.defaultTenant,
    scopes: [...(product.scopes ?? [])],
  };
  const dir = resolve(cwd, DEV_CREDENTIALS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = resolve(dir, `${product.name}.api-key`);
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return { config: { ...config, auth: { ...config.auth, apiKeys: [entry], pepper } }, keyFile };
}
