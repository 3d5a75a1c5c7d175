// A small HTTPS client for the admin listener (health probes and shutdown): TLS 1.3 only, the
// server certificate verified against the given CA, a bounded timeout. Used by
// `cryptoutil <product> health` and `shutdown`, and by container health checks.
import { request } from 'node:https';

export interface AdminRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly ca?: string | undefined;
  /** Client certificate chain and key (PEM) when the admin listener requires mTLS. */
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly timeoutMs?: number;
  /** Sent as JSON. */
  readonly body?: unknown;
}

export interface AdminResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export function callAdmin(options: AdminRequest): Promise<AdminResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      options.url,
      {
        method: options.method,
        minVersion: 'TLSv1.3',
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.cert === undefined ? {} : { cert: options.cert }),
        ...(options.key === undefined ? {} : { key: options.key }),
        timeout: options.timeoutMs ?? 5000,
        headers: {
          accept: 'application/json, application/problem+json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`timed out after ${options.timeoutMs ?? 5000} ms`)),
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}
