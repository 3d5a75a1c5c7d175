// The fetch jose uses to download a JWKS (its `customFetch` hook), built on node:https so the
// issuer's certificate can chain to a configured CA. TLS 1.3 only and certificate verification
// always on (§6); no redirects are followed (jose asks for `redirect: 'manual'`) and the body
// is bounded so a hostile endpoint cannot exhaust memory.
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { FetchImplementation } from 'jose';

export interface JwksFetchOptions {
  /** Trust anchors (PEM), used instead of Node's bundled root CAs; absent: the bundled roots. */
  readonly ca?: string | Buffer;
  /** Largest accepted body, in bytes (default 1 MiB). */
  readonly maxBytes?: number;
}

// RFC 9110 §6.4.1: these statuses carry no content; `Response` refuses a body for them.
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        response.destroy(new Error(`JWKS response larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', reject);
    response.once('close', () => reject(new Error('JWKS response ended early')));
  });
}

function toHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else value?.forEach((item) => headers.append(name, item));
  }
  return headers;
}

type FetchInit = Parameters<FetchImplementation>[1];

function send(
  url: string,
  init: FetchInit,
  ca: string | Buffer | undefined,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: init.method,
      headers: Object.fromEntries(init.headers.entries()),
      signal: init.signal,
      minVersion: 'TLSv1.3',
      agent: false,
      ...(ca === undefined ? {} : { ca }),
    });
    req.once('error', reject);
    req.once('response', resolve);
    req.end();
  });
}

/** A jose `FetchImplementation` over node:https with the given trust anchors. */
export function createJwksFetch(options: JwksFetchOptions = {}): FetchImplementation {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return async (url, init) => {
    try {
      const response = await send(url, init, options.ca);
      const body = await readBody(response, maxBytes);
      const status = response.statusCode ?? 0;
      return new Response(NULL_BODY_STATUS.has(status) ? null : body, {
        status,
        headers: toHeaders(response),
      });
    } catch (error) {
      // An aborted request fails with AbortError; jose maps only the signal's TimeoutError.
      throw init.signal.aborted ? init.signal.reason : error;
    }
  };
}
