// `pnpm bench:jose`: the JOSE Authority's ES256 and EdDSA sign, RS256 verify, A256GCM (`dir`)
// encrypt and ES256 JWT issue, each of a 1 KiB payload through its JSON API (docs/jose.md),
// against a bare Fastify ceiling doing the same jose operation with an in-memory key, on SQLite
// and PostgreSQL (issue 4, ARCHITECTURE §10). Each target runs in its own Node process on
// 127.0.0.1 with the same certificate and gets the same requests (only the set ids differ) from
// `wrk -t1 -c32` with keep-alive; pairs run back to back (ceiling, JOSE) and each ratio compares
// a pair. Also the service's time from spawn to readyz 200 and its peak RSS. Prints markdown to
// stdout; the runner and its options are bench/kit/product-run.mjs (e.g. --runs 2 --databases
// sqlite --jose-node-options="<flags>" --cpu-prof <dir>).
import { URL, fileURLToPath } from 'node:url';
import { runProductBench } from '../kit/product-run.mjs';
import { PAYLOAD_BYTES, check, createKeys, requests } from './jose-target.mjs';

await runProductBench({
  product: 'jose',
  label: 'JOSE',
  scopes: ['jose:write', 'jose:sign', 'jose:verify', 'jose:encrypt'],
  contentType: 'application/json',
  ceiling: fileURLToPath(new URL('targets/ceiling.mjs', import.meta.url)),
  // The ceiling runs the jose the service itself runs.
  ceilingArgs: (credentials) => [credentials.dir, '../services/jose'],
  operations: [
    { op: 'sign-es256', what: 'sign ES256, 1 KiB' },
    { op: 'sign-eddsa', what: 'sign EdDSA, 1 KiB' },
    { op: 'verify-rs256', what: 'verify RS256, 1 KiB' },
    { op: 'encrypt-a256gcm', what: 'encrypt A256GCM/dir, 1 KiB' },
    { op: 'jwt-issue-es256', what: 'JWT issue ES256, 1 KiB claim' },
  ],
  createKeys,
  requests,
  check,
  // Issue 4's target; it sets none for memory or start-up, which are reported as measured.
  targets: { ratio: 0.7 },
  defaultRuns: 1,
  describeRequests: `POST JSON carrying a ${PAYLOAD_BYTES} B payload`,
});
