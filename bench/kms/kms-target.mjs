// What the KMS benchmark asks of its targets: the two keys it makes over the KMS API, the
// request of each operation (the same 1 KiB text/plain body to the KMS's key route and to the
// ceiling's `/encrypt` and `/sign`), and the check of one answer of each before the load.
import { Buffer } from 'node:buffer';
import { textPayload } from '../kit/payload.mjs';

export const PAYLOAD_BYTES = 1024;
const PAYLOAD = textPayload(PAYLOAD_BYTES);

/** Creates the two benchmark keys and returns their ids by operation. */
export async function createKeys(send) {
  const ids = {};
  for (const [op, name, algorithm] of [
    ['encrypt', 'bench-enc', 'A256GCM/dir'],
    ['sign', 'bench-sig', 'ES256'],
  ]) {
    const res = await send('/service/api/v1/elastic-keys', JSON.stringify({ name, algorithm }));
    if (res.status !== 201) throw new Error(`creating ${algorithm} key: HTTP ${res.status}`);
    ids[op] = JSON.parse(res.body).id;
  }
  return ids;
}

/** The KMS's key routes, or the ceiling's `/<op>`; the body is the payload itself. */
export function requests({ kind, ids }) {
  const path = (op) =>
    kind === 'ceiling' ? `/${op}` : `/service/api/v1/elastic-keys/${ids[op]}/${op}`;
  return Promise.resolve({
    encrypt: { path: path('encrypt'), body: PAYLOAD },
    sign: { path: path('sign'), body: PAYLOAD },
  });
}

const EXPECTED = {
  encrypt: { parts: 5, header: { alg: 'dir', enc: 'A256GCM' } },
  sign: { parts: 3, header: { alg: 'ES256' } },
};

/**
 * Throws unless the answer is 200 and a compact JWE (RFC 7516 §7.1, five parts) or JWS (RFC
 * 7515 §7.1, three parts) with the expected header; returns the header's member names.
 */
export function check(op, answer) {
  const { parts, header } = EXPECTED[op];
  const segments = answer.body.split('.');
  let protectedHeader = {};
  try {
    protectedHeader = JSON.parse(Buffer.from(segments[0] ?? '', 'base64url').toString('utf8'));
  } catch {
    // reported below
  }
  const fits = Object.entries(header).every(([k, v]) => protectedHeader[k] === v);
  if (answer.status !== 200 || segments.length !== parts || !fits) {
    // The body is a problem document or ciphertext, never the key; keep the message short.
    throw new Error(`HTTP ${answer.status}, not a compact ${op}`);
  }
  return `a compact ${op} with header {${Object.keys(protectedHeader).sort().join(', ')}}`;
}
