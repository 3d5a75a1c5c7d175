// PKCS#10 CSRs made by openssl (the client a new user would run) for the integration tests:
// a fresh key of the asked type, a subject and requested extensions (`-addext`), written as
// `<name>.key` and `<name>.csr` in the test's directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl } from './openssl.js';

export type CsrKey =
  | { readonly kty: 'EC'; readonly curve: string }
  | { readonly kty: 'RSA'; readonly bits: number }
  | { readonly kty: 'ED25519' }
  | { readonly kty: 'ED448' };

export interface CsrOptions {
  readonly key: CsrKey;
  /** openssl's `-subj` form (`/C=US/O=Example/CN=x`); `/` for an empty subject. */
  readonly subject: string;
  /** `-addext` values, e.g. `subjectAltName=DNS:example.test`. */
  readonly extensions?: readonly string[];
  /** The signature digest (`sha1`, `sha384`, …); default openssl's (SHA-256). */
  readonly digest?: string;
}

export interface MadeCsr {
  /** The CSR, PEM. */
  readonly pem: string;
  /** The CSR, DER. */
  readonly der: Buffer;
  readonly keyFile: string;
  readonly csrFile: string;
}

function keyArgs(key: CsrKey): string[] {
  switch (key.kty) {
    case 'EC':
      return ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${key.curve}`];
    case 'RSA':
      return ['-newkey', `rsa:${key.bits}`];
    case 'ED25519':
      return ['-newkey', 'ed25519'];
    case 'ED448':
      return ['-newkey', 'ed448'];
  }
}

/** `openssl req -new` with a new key; throws with openssl's output when it fails. */
export function makeCsr(dir: string, name: string, options: CsrOptions): MadeCsr {
  const keyFile = `${name}.key`;
  const csrFile = `${name}.csr`;
  const run = openssl(
    [
      'req',
      '-new',
      ...keyArgs(options.key),
      '-nodes',
      '-keyout',
      keyFile,
      '-subj',
      options.subject,
      ...(options.extensions ?? []).flatMap((ext) => ['-addext', ext]),
      ...(options.digest === undefined ? [] : [`-${options.digest}`]),
      '-out',
      csrFile,
    ],
    dir,
  );
  if (run.status !== 0) throw new Error(`openssl req for ${name} failed: ${run.output}`);
  const pem = readFileSync(join(dir, csrFile), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return { pem, der, keyFile, csrFile };
}
