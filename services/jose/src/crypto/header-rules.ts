// Which header members a caller may set on what we sign or encrypt. We set `alg`, `kid`, `enc`
// and the RFC 7797 members ourselves; key and certificate references (jku, jwk, x5u, x5c, x5t)
// would let a token name keys we do not hold, and the key-agreement and PBES2 members belong to
// the algorithms. `typ`, `cty` and private names pass through.
import { JoseError } from '../domain/jose-error.js';
import type { Header } from './jose-input.js';

const RESERVED = new Set([
  'alg',
  'kid',
  'enc',
  'zip',
  'crit',
  'b64',
  'jku',
  'jwk',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
  'epk',
  'apu',
  'apv',
  'iv',
  'tag',
  'p2s',
  'p2c',
]);

/** The caller's header, checked: no reserved member, `typ` and `cty` strings when present. */
export function callerHeader(header: Header | undefined, where: string): Header {
  if (header === undefined) return {};
  for (const [name, value] of Object.entries(header)) {
    if (RESERVED.has(name)) {
      throw new JoseError('invalid-header', `${where} may not set ${name}: the service sets it`);
    }
    if ((name === 'typ' || name === 'cty') && typeof value !== 'string') {
      throw new JoseError('invalid-header', `${where} ${name} must be a string`);
    }
  }
  return header;
}

/** No header members: what a caller who sets none gives. */
export const NO_HEADER: Header = Object.freeze({});

/** Whether a header has any member (without listing them). */
export function hasMembers(header: Header): boolean {
  for (const name in header) if (Object.hasOwn(header, name)) return true;
  return false;
}

/** Throws `invalid-header` when two headers of one signature or recipient share a name. */
export function disjoint(headers: readonly Header[], where: string): void {
  // Pairwise, without a Set: a signature or recipient has two or three headers, mostly small.
  for (let i = 1; i < headers.length; i += 1) {
    const later = headers[i] as Header;
    for (const name in later) {
      if (!Object.hasOwn(later, name)) continue;
      for (let j = 0; j < i; j += 1) {
        if (Object.hasOwn(headers[j] as Header, name)) {
          throw new JoseError('invalid-header', `${where} sets ${name} in more than one header`);
        }
      }
    }
  }
}
