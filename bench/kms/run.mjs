// `pnpm bench:kms`: the KMS's encrypt (A256GCM/dir) and sign (ES256) of a 1 KiB payload
// against a bare Fastify ceiling doing the same jose operation with an in-memory key, on SQLite
// and PostgreSQL (issue 3, ARCHITECTURE §10). Each target runs in its own Node process on
// 127.0.0.1 with the same certificate and gets the same requests from `wrk -t1 -c32` with
// keep-alive; pairs run back to back (ceiling, KMS) and each ratio compares a pair. Also the
// KMS's time from spawn to readyz 200 and its peak RSS. Prints markdown to stdout; the runner
// and its options are bench/kit/product-run.mjs (e.g. --runs 2 --databases sqlite,postgres
// --kms-node-options="<flags>" --cpu-prof <dir>).
import { URL, fileURLToPath } from 'node:url';
import { runProductBench } from '../kit/product-run.mjs';
import { PAYLOAD_BYTES, check, createKeys, requests } from './kms-target.mjs';

await runProductBench({
  product: 'kms',
  label: 'KMS',
  scopes: ['kms:write', 'kms:encrypt', 'kms:sign'],
  contentType: 'text/plain',
  ceiling: fileURLToPath(new URL('targets/ceiling.mjs', import.meta.url)),
  ceilingArgs: (credentials) => [credentials.dir],
  operations: [
    { op: 'encrypt', what: 'encrypt A256GCM/dir, 1 KiB' },
    { op: 'sign', what: 'sign ES256, 1 KiB' },
  ],
  createKeys,
  requests,
  check,
  // Issue 3's targets.
  targets: { ratio: 0.7, rssMB: 150, readyMs: 1500 },
  defaultRuns: 2,
  describeRequests: `POST ${PAYLOAD_BYTES} B text/plain`,
});
