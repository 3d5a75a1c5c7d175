// Starts a real product (startService: TLS 1.3 listeners, barrier, migrations) in-process for
// integration tests, with one API key per named grant, and a small client that speaks to it:
// `call(method, '/path')` reaches `/service/api/v1/path` as the grant named by `as`, admin paths
// (`/admin/...`) reach the admin listener, and `prefix: ''` reaches `/.well-known/...`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateApiKey, hashApiKey } from '../auth/index.js';
import type { AnyProductDefinition } from '../service/product.js';
import { startService, type RunningService } from '../service/start-service.js';
import { send, type TestResponse } from './https-client.js';

export const TEST_PEPPER = 'pepper-for-product-integration-tests-0123456789';

export interface ApiKeyGrant {
  readonly tenant: string;
  readonly scopes: readonly string[];
}

export interface CallOptions {
  /** The grant whose API key to send; `nobody` sends none. Default `alice`. */
  readonly as?: string;
  readonly json?: unknown;
  readonly text?: string;
  /** Raw bytes (e.g. an OCSP request), sent with `contentType`. */
  readonly bytes?: Uint8Array;
  readonly contentType?: string;
  /** Path prefix for public paths; default `/service/api/v1`. */
  readonly prefix?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ProductHarness {
  readonly service: RunningService;
  /** The API key of each grant name. */
  readonly keys: Readonly<Record<string, string>>;
  call(method: string, path: string, options?: CallOptions): Promise<TestResponse>;
}

export interface ProductHarnessOptions {
  readonly grants: Readonly<Record<string, ApiKeyGrant>>;
  /** Config merged over the defaults (port 0, :memory:, a temporary TLS dir). */
  readonly config?: Record<string, unknown>;
  /** Reuse these API keys (a restart that must keep its credentials). */
  readonly keys?: Readonly<Record<string, string>>;
}

const sink = () => new Writable({ write: (_c, _e, done) => done() });

export async function startProductHarness(
  product: AnyProductDefinition,
  options: ProductHarnessOptions,
): Promise<ProductHarness> {
  const keys: Record<string, string> = { ...options.keys };
  const apiKeys = Object.entries(options.grants).map(([name, grant]) => {
    const key = keys[name] ?? generateApiKey({ id: name }).key;
    keys[name] = key;
    return {
      id: name,
      hash: hashApiKey(key, TEST_PEPPER),
      tenant: grant.tenant,
      scopes: [...grant.scopes],
    };
  });
  const dir = mkdtempSync(join(tmpdir(), `cu-${product.name}-`));
  const config: unknown = product.configSchema.parse({
    public: { port: 0, rateLimit: { max: 100_000 } },
    admin: { port: 0 },
    tls: { dir: join(dir, 'tls') },
    database: { url: ':memory:' },
    auth: { apiKeys, pepper: TEST_PEPPER },
    ...options.config,
  });
  const service = await startService(product, config, {
    version: 'test',
    logDestination: sink(),
    exit: () => undefined,
  });
  const ca = service.ca.join('\n');
  return {
    service,
    keys,
    call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const as = opts.as ?? 'alice';
      if (as !== 'nobody') headers.authorization = `Bearer ${keys[as] ?? as}`;
      let body: string | Buffer | undefined;
      if (opts.bytes !== undefined) {
        body = Buffer.from(opts.bytes);
        headers['content-type'] = opts.contentType ?? 'application/octet-stream';
      } else if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers['content-type'] = opts.contentType ?? 'application/json';
      } else if (opts.text !== undefined) {
        body = opts.text;
        headers['content-type'] = opts.contentType ?? 'text/plain';
      }
      const admin = path.startsWith('/admin/');
      const port = admin ? service.addresses.admin.port : service.addresses.public.port;
      const full = admin ? path : `${opts.prefix ?? '/service/api/v1'}${path}`;
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
