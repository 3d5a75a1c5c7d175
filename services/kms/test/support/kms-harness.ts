// Starts the real KMS (startService: TLS 1.3 listeners, barrier, migrations) in-process for
// integration tests, with API keys for two tenants, and a small client that speaks to it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateApiKey, hashApiKey, startService, type RunningService } from '@cryptoutil/server';
import { send, type TestResponse } from '@cryptoutil/server/testing';
import { kmsConfigSchema, kmsProduct } from '../../src/index.js';
import { KMS_SCOPES } from '../../src/product.js';

export const PEPPER = 'pepper-for-kms-integration-tests-0123456789';

export interface ApiKeyGrant {
  readonly tenant: string;
  readonly scopes: readonly string[];
}

export interface KmsHarness {
  readonly service: RunningService;
  /** The API key of each grant name. */
  readonly keys: Readonly<Record<string, string>>;
  call(
    method: string,
    path: string,
    options?: {
      readonly as?: string;
      readonly json?: unknown;
      readonly text?: string;
      readonly contentType?: string;
      readonly prefix?: string;
    },
  ): Promise<TestResponse>;
}

const sink = () => new Writable({ write: (_c, _e, done) => done() });

export const DEFAULT_GRANTS: Readonly<Record<string, ApiKeyGrant>> = {
  alice: { tenant: 'tenant-a', scopes: KMS_SCOPES },
  bob: { tenant: 'tenant-b', scopes: KMS_SCOPES },
  reader: { tenant: 'tenant-a', scopes: ['kms:read'] },
};

export async function startKms(
  options: {
    readonly config?: Record<string, unknown>;
    readonly grants?: Readonly<Record<string, ApiKeyGrant>>;
    readonly keys?: Readonly<Record<string, string>>;
  } = {},
): Promise<KmsHarness> {
  const grants = options.grants ?? DEFAULT_GRANTS;
  const keys: Record<string, string> = { ...options.keys };
  const apiKeys = Object.entries(grants).map(([name, grant]) => {
    const key = keys[name] ?? generateApiKey({ id: name }).key;
    keys[name] = key;
    return {
      id: name,
      hash: hashApiKey(key, PEPPER),
      tenant: grant.tenant,
      scopes: [...grant.scopes],
    };
  });
  const dir = mkdtempSync(join(tmpdir(), 'cu-kms-'));
  const config = kmsConfigSchema.parse({
    public: { port: 0, rateLimit: { max: 100_000 } },
    admin: { port: 0 },
    tls: { dir: join(dir, 'tls') },
    database: { url: ':memory:' },
    auth: { apiKeys, pepper: PEPPER },
    ...options.config,
  });
  const service = await startService(kmsProduct, config, {
    version: 'test',
    logDestination: sink(),
    exit: () => undefined,
  });
  const ca = service.ca.join('\n');
  return {
    service,
    keys,
    call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      const as = opts.as ?? 'alice';
      if (as !== 'nobody') headers.authorization = `Bearer ${keys[as] ?? as}`;
      let body: string | undefined;
      if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers['content-type'] = opts.contentType ?? 'application/json';
      } else if (opts.text !== undefined) {
        body = opts.text;
        headers['content-type'] = opts.contentType ?? 'text/plain';
      }
      const port = path.startsWith('/admin/')
        ? service.addresses.admin.port
        : service.addresses.public.port;
      const full = path.startsWith('/admin/') ? path : `${opts.prefix ?? '/service/api/v1'}${path}`;
      return send({
        port,
        path: full,
        method,
        ca,
        headers,
        ...(body === undefined ? {} : { body }),
      });
    },
  };
}
