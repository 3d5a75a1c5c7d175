// What the JOSE benchmark asks of its targets (docs/jose.md): four JWK sets made over the API
// (ES256, EdDSA and RS256 signing; a `dir` + A256GCM encryption set), one JSON request per
// operation carrying the same 1 KiB payload (to verify: an RS256 JWS of it that the target
// itself signed, since each target knows only its own keys), and the check of one answer of
// each target before the load.
import { Buffer } from 'node:buffer';
import { textPayload } from '../kit/payload.mjs';

export const PAYLOAD_BYTES = 1024;
const PAYLOAD = textPayload(PAYLOAD_BYTES);
const API = '/service/api/v1';

const SETS = {
  es256: { name: 'bench-es256', use: 'sig', alg: 'ES256' },
  eddsa: { name: 'bench-eddsa', use: 'sig', alg: 'EdDSA' },
  rs256: { name: 'bench-rs256', use: 'sig', alg: 'RS256' },
  a256gcm: { name: 'bench-a256gcm', use: 'enc', alg: 'dir', enc: 'A256GCM' },
};

/** Creates the benchmark's sets; returns their ids by the ceiling's names for its keys. */
export async function createKeys(send) {
  const ids = {};
  for (const [key, set] of Object.entries(SETS)) {
    const res = await send(`${API}/jwks`, JSON.stringify(set));
    if (res.status !== 201) throw new Error(`creating the ${set.alg} set: HTTP ${res.status}`);
    ids[key] = JSON.parse(res.body).id;
  }
  return ids;
}

/** A target's own RS256 JWS of the payload, made through its sign route. */
async function signedByTarget(send, ids) {
  const res = await send(`${API}/sign`, JSON.stringify({ jwks: ids.rs256, payload: PAYLOAD }));
  if (res.status !== 200) throw new Error(`signing the verify request: HTTP ${res.status}`);
  return JSON.parse(res.body).jws;
}

/** The same routes and bodies for the service and the ceiling; only the set ids differ. */
export async function requests({ ids, send }) {
  const post = (route, body) => ({ path: `${API}/${route}`, body: JSON.stringify(body) });
  return {
    'sign-es256': post('sign', { jwks: ids.es256, payload: PAYLOAD }),
    'sign-eddsa': post('sign', { jwks: ids.eddsa, payload: PAYLOAD }),
    'verify-rs256': post('verify', { jws: await signedByTarget(send, ids) }),
    'encrypt-a256gcm': post('encrypt', { jwks: ids.a256gcm, plaintext: PAYLOAD }),
    'jwt-issue-es256': post('jwt/issue', { jwks: ids.es256, claims: { data: PAYLOAD } }),
  };
}

/** The protected header of a compact serialization, or undefined. */
function headerOf(compact, parts) {
  const segments = typeof compact === 'string' ? compact.split('.') : [];
  if (segments.length !== parts) return undefined;
  try {
    return JSON.parse(Buffer.from(segments[0], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const names = (object) => `{${Object.keys(object).sort().join(', ')}}`;

/** Per operation: where the compact result is, its parts and the header members it must have. */
const COMPACT = {
  'sign-es256': { member: 'jws', parts: 3, header: { alg: 'ES256' } },
  'sign-eddsa': { member: 'jws', parts: 3, header: { alg: 'EdDSA' } },
  'encrypt-a256gcm': { member: 'jwe', parts: 5, header: { alg: 'dir', enc: 'A256GCM' } },
  'jwt-issue-es256': { member: 'jwt', parts: 3, header: { alg: 'ES256' } },
};

function checkCompact(op, answer) {
  const { member, parts, header } = COMPACT[op];
  const found = headerOf(answer[member], parts);
  const fits = found !== undefined && Object.entries(header).every(([k, v]) => found[k] === v);
  if (!fits) throw new Error(`no compact ${member} with header ${JSON.stringify(header)}`);
  if (op === 'jwt-issue-es256' && answer.claims?.data !== PAYLOAD) {
    throw new Error('the issued claims lack the payload');
  }
  return `${names(answer)}, header ${names(found)}`;
}

function checkVerified(answer) {
  if (answer.valid !== true || answer.payload !== PAYLOAD) {
    throw new Error(`not valid with the payload (check: ${answer.check})`);
  }
  return `${names(answer)}, signature ${names(answer.signatures?.[0] ?? {})}`;
}

/**
 * Throws unless the answer is 200 and the operation's result (a compact JWS, JWE or JWT with
 * the expected header, or `valid: true` with the payload); returns the answer's member names
 * (and the header's or signature's), which should be the same for the ceiling and the service.
 */
export function check(op, answer) {
  // The body is a problem document or holds a JWS/JWE, never a key; keep the message short.
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
  const parsed = JSON.parse(answer.body);
  return op === 'verify-rs256' ? checkVerified(parsed) : checkCompact(op, parsed);
}
