// The CA as `pnpm bench:ca` runs it: `cryptoutil ca server` started by the kit (shared config
// sections, spawn → readyz 200) with its `ca` section: the default hierarchy (a P-384 root and
// a P-384 issuing CA, made at first start under the barrier) and the plain-HTTP revocation
// listener on a free loopback port. Enrollment through the API, the CA certificates (PEM, from
// the revocation listener) and one OCSP exchange by POST or GET for the checks.
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startService } from '../kit/product-round.mjs';
import { freePort } from '../kit/product-setup.mjs';
import { probe } from '../kit/target-process.mjs';

export const ENROLL_PATH = '/service/api/v1/enroll';
export const OCSP_PATH = '/.well-known/pki-ca/ocsp';
export const PROFILE = 'tls-server';

/** The enroll body of a CSR (PEM): tls-server, the default issuing CA. */
export const enrollBody = (csrPem) => JSON.stringify({ csr: csrPem, profile: PROFILE });

/** Starts the CA on `database`; resolves once readyz answers 200. */
export async function startCa(options) {
  const revocationPort = await freePort();
  const started = await startService(
    { product: 'ca' },
    {
      ...options,
      sections: { ca: { revocation: { address: '127.0.0.1', port: revocationPort } } },
    },
  );
  const { credentials } = options;
  const headers = { authorization: credentials.authorization, 'content-type': 'application/json' };
  const revocation = `http://127.0.0.1:${revocationPort}`;
  return {
    ...started,
    revocationPort,
    enrollHeaders: headers,
    /** POST enroll over TLS; resolves with { status, protocol, body }. */
    enroll: (csrPem) =>
      probe({
        port: started.publicPort,
        path: ENROLL_PATH,
        ca: credentials.caPem,
        method: 'POST',
        headers,
        body: enrollBody(csrPem),
      }),
    /** Writes root.pem and issuing.pem (from the plain-HTTP listener) to `dir`. */
    async saveCaCertificates(dir) {
      const files = {};
      for (const id of ['root', 'issuing']) {
        const res = await globalThis.fetch(`${revocation}/.well-known/pki-ca/certs/${id}.pem`);
        if (res.status !== 200) throw new Error(`GET certs/${id}.pem: HTTP ${res.status}`);
        files[id] = join(dir, `${id}.pem`);
        writeFileSync(files[id], await res.text());
      }
      return files;
    },
    ocspUrl: `${revocation}${OCSP_PATH}`,
  };
}

/** One OCSP exchange with a responder at `url` (POST to it, or GET `url/<path>`). */
export async function ocspExchange(url, requestDer, method) {
  const res =
    method === 'POST'
      ? await globalThis.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/ocsp-request' },
          body: requestDer,
        })
      : await globalThis.fetch(`${url.replace(/\/$/, '')}/${ocspGetPath(requestDer)}`);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** RFC 6960 Appendix A.1: the URL encoding of the base64 encoding of the DER request. */
export const ocspGetPath = (requestDer) =>
  encodeURIComponent(Buffer.from(requestDer).toString('base64'));
