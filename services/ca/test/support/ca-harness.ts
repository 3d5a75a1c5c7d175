// Starts the CA in-process for integration tests (the kit's product harness: real TLS
// listeners, SQLite in memory unless told otherwise) with its plain-HTTP revocation listener on
// a free loopback port that certificates name, plus a plain-HTTP client for that listener and a
// temporary directory for openssl's files.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  startProductHarness,
  type ApiKeyGrant,
  type ProductHarness,
} from '@cryptoutil/server/testing';
import { caProduct } from '../../src/index.js';

export const CA_GRANTS: Record<string, ApiKeyGrant> = {
  alice: { tenant: 'tenant-a', scopes: ['ca:read', 'ca:enroll', 'ca:revoke'] },
  admin: { tenant: 'tenant-a', scopes: ['ca:read', 'ca:enroll', 'ca:revoke', 'ca:admin'] },
  bob: { tenant: 'tenant-b', scopes: ['ca:read', 'ca:enroll', 'ca:revoke'] },
  reader: { tenant: 'tenant-a', scopes: ['ca:read'] },
};

export interface CaHarness extends ProductHarness {
  readonly plainPort: number;
  readonly baseUrl: string;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startCa(
  config: Record<string, unknown> = {},
  keys?: Readonly<Record<string, string>>,
  extraGrants: Record<string, ApiKeyGrant> = {},
): Promise<CaHarness> {
  const plainPort = await freePort();
  const baseUrl = `http://127.0.0.1:${plainPort}`;
  const ca = (config.ca ?? {}) as Record<string, unknown>;
  const harness = await startProductHarness(caProduct, {
    grants: { ...CA_GRANTS, ...extraGrants },
    ...(keys === undefined ? {} : { keys }),
    config: {
      ...config,
      ca: { ...ca, revocation: { port: plainPort, ...(ca.revocation as object | undefined) } },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'cu-ca-test-'));
  return {
    ...harness,
    plainPort,
    baseUrl,
    dir,
    async close() {
      await harness.service.shutdown('test end');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PlainResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A plain-HTTP request to the revocation listener (no TLS, no agent). */
export function plain(
  port: number,
  method: string,
  path: string,
  body?: Uint8Array,
  contentType?: string,
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: false,
        headers: contentType === undefined ? {} : { 'content-type': contentType },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}
