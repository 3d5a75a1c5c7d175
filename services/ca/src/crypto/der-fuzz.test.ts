// The CA reads untrusted DER with its own code (CSRs on enroll, OCSP requests from anyone), so
// mutated input must only ever be refused the documented way: CaError invalid-csr or
// key-not-allowed for a CSR, OcspRequestError for an OCSP request; never another exception,
// never a hang. Seeded, so a failure reproduces: flipped bytes, truncations, inflated lengths,
// spliced bytes, over valid inputs made by openssl.
import { describe, expect, it } from 'vitest';
import { isCaError } from '../domain/ca-error.js';
import { parseCsr } from './csr.js';
import { OcspRequestError, parseOcspRequest } from './ocsp-request.js';
import { fromPem } from './pem.js';
import { opensslCsr, opensslOk, outputText } from './testing/openssl.js';

/** mulberry32: a small seeded PRNG, so each run mutates the same way. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutations(valid: Uint8Array, count: number, seed: number): Uint8Array[] {
  const next = random(seed);
  const at = (n: number) => Math.floor(next() * n);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i += 1) {
    const bytes = new Uint8Array(valid);
    switch (i % 4) {
      case 0: // a few flipped bytes
        for (let k = 0; k <= at(3); k += 1) {
          const index = at(bytes.length);
          bytes[index] = (bytes[index] ?? 0) ^ (1 + at(255));
        }
        out.push(bytes);
        break;
      case 1: // truncated
        out.push(bytes.slice(0, at(bytes.length)));
        break;
      case 2: {
        // a length byte set to its largest long form, or to a huge short value
        const index = at(bytes.length);
        bytes[index] = [0x84, 0x83, 0x7f, 0xff][at(4)] as number;
        out.push(bytes);
        break;
      }
      default: {
        // bytes of the input spliced in at another place
        const from = at(bytes.length);
        const piece = bytes.slice(from, from + 1 + at(40));
        const to = at(bytes.length);
        out.push(new Uint8Array([...bytes.slice(0, to), ...piece, ...bytes.slice(to)]));
      }
    }
  }
  return out;
}

describe('parseCsr on mutated CSRs', () => {
  const csrs = [
    opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=fuzz.example', [
      '-addext',
      'subjectAltName=DNS:fuzz.example,IP:10.0.0.1,email:a@fuzz.example,URI:https://fuzz.example/',
    ]).csr,
    opensslCsr(['-newkey', 'rsa:2048'], '/C=DE/O=Fuzz/CN=rsa.example').csr,
  ].map((pem) => fromPem(pem, 'CERTIFICATE REQUEST'));

  it('refuses each one as invalid-csr or key-not-allowed, or reads it', async () => {
    const outcomes = new Map<string, number>();
    for (const [n, csr] of csrs.entries()) {
      for (const input of mutations(csr, 4000, 1000 + n)) {
        let outcome = 'read';
        try {
          await parseCsr(input);
        } catch (err) {
          if (!isCaError(err) || !['invalid-csr', 'key-not-allowed'].includes(err.code)) {
            throw new Error(`unexpected error for ${Buffer.from(input).toString('hex')}`, {
              cause: err,
            });
          }
          outcome = err.code;
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    // Nearly every mutation breaks the signature or the framing.
    expect(outcomes.get('invalid-csr')).toBeGreaterThan(7500);
    expect(
      [...outcomes.keys()].every((k) => ['read', 'invalid-csr', 'key-not-allowed'].includes(k)),
    ).toBe(true);
  }, 60_000);
});

describe('parseOcspRequest on mutated requests', () => {
  const ca = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=Fuzz CA');
  const files = { 'ca.key': ca.key, 'ca.csr': ca.csr };
  const caPem = outputText(
    opensslOk(
      ['x509', '-req', '-in', 'ca.csr', '-key', 'ca.key', '-days', '1', '-out', 'ca.pem'],
      files,
    ),
    'ca.pem',
  );
  const requests = [['-no_nonce'], [], ['-sha256']].map((extra) => {
    const result = opensslOk(
      [
        'ocsp',
        '-issuer',
        'ca.pem',
        ...extra,
        '-serial',
        '0x0123456789abcdef',
        '-reqout',
        'req.der',
      ],
      { 'ca.pem': caPem },
    );
    return result.files['req.der'] as Uint8Array;
  });

  it('refuses each one with an OCSP status, or reads it', () => {
    let refused = 0;
    for (const [n, request] of requests.entries()) {
      expect(parseOcspRequest(request).certIds).toHaveLength(1);
      for (const input of mutations(request, 8000, 2000 + n)) {
        try {
          parseOcspRequest(input);
        } catch (err) {
          if (!(err instanceof OcspRequestError)) {
            throw new Error(`unexpected error for ${Buffer.from(input).toString('hex')}`, {
              cause: err,
            });
          }
          expect(err.status).toBe('malformedRequest');
          refused += 1;
        }
      }
    }
    expect(refused).toBeGreaterThan(14000);
  });
});
