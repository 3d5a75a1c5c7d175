// Test PKI for the kit's listeners: one generated root -> intermediate -> localhost chain per
// test file (@cryptoutil/tls), and the server options the product would pass.
import { generateCertificateSet, serverTlsOptions } from '@cryptoutil/tls';
import type { ServerOptions } from 'node:https';

export interface TestTls {
  /** Trust anchor clients use (PEM). */
  readonly ca: string;
  readonly serverOptions: ServerOptions;
}

let cached: Promise<TestTls> | undefined;

async function generate(): Promise<TestTls> {
  const set = await generateCertificateSet({ validityDays: 2 });
  const serverOptions = serverTlsOptions({
    cert: set.serverChain,
    key: set.serverKey,
    ca: [set.rootCert],
    clientAuth: 'none',
  });
  return { ca: set.rootCert, serverOptions };
}

export function testTls(): Promise<TestTls> {
  cached ??= generate();
  return cached;
}
