// A small node:https client for the integration tests: one fresh TLS connection per request
// (no agent), trusting only the test CA, so connection-level behaviour is observable.
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface TestRequest {
  readonly port: number;
  readonly path: string;
  readonly ca: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Client certificate chain and key (PEM) for mTLS. */
  readonly cert?: string;
  readonly key?: string;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body's bytes, for binary answers (DER). */
  readonly body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export function send(req: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: req.port,
        path: req.path,
        method: req.method ?? 'GET',
        headers: req.headers,
        ca: req.ca,
        ...(req.cert === undefined ? {} : { cert: req.cert }),
        ...(req.key === undefined ? {} : { key: req.key }),
        agent: false,
        minVersion: 'TLSv1.3',
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Sends a JSON body with the right content type. */
export function sendJson(
  req: Omit<TestRequest, 'body'> & { json: unknown },
): Promise<TestResponse> {
  return send({
    ...req,
    method: req.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...req.headers },
    body: JSON.stringify(req.json),
  });
}
