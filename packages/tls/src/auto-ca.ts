// Auto mode: a generated root -> intermediate CA kept in a directory so `curl --cacert
// <dir>/ca.pem` keeps working across restarts, and a fresh server leaf at every start. The set
// is reused while it is intact and valid; anything missing, corrupt or expiring is replaced.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateCertificateSet } from './generate-certificate-set.js';
import { issueServerCertificate, toIssuer } from './issue-certificate.js';
import type { ServerMaterial } from './load-tls-material.js';
import { withDirLock } from './dir-lock.js';
import { writeFileAtomic } from './pem-files.js';
import { parsePrivateKeyPem } from './signing-key.js';
import { TlsConfigError } from './tls-config-error.js';
import type { TlsConfig } from './tls-config-schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface AutoCa {
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly intermediateKey: KeyObject;
}

// Listeners of one process (e.g. `cryptoutil dev`) share a directory: serialize per directory
// so they never generate two different CAs and leave clients trusting the wrong one.
const pending = new Map<string, Promise<AutoCa>>();

export async function loadAutoMaterial(
  config: Extract<TlsConfig, { mode: 'auto' }>,
  ctx: { readonly prefix: string; readonly now: Date },
): Promise<ServerMaterial> {
  const dir = resolve(config.dir);
  const previous = pending.get(dir) ?? Promise.resolve(undefined);
  const current = previous
    .catch(() => undefined)
    .then(() => lockedLoadOrCreateCa(dir, config, ctx));
  pending.set(dir, current);
  const ca = await current.finally(() => {
    if (pending.get(dir) === current) pending.delete(dir);
  });
  const leaf = await issueServerCertificate({
    issuer: await toIssuer(ca.intermediatePem, ca.intermediateKey),
    names: config.names,
    validityDays: config.validityDays,
    keyAlgorithm: config.keyAlgorithm,
    now: ctx.now,
  });
  return {
    cert: leaf.cert + ca.intermediatePem,
    key: leaf.key,
    ca: [ca.rootPem],
    caFile: join(dir, 'ca.pem'),
  };
}

// Other processes on the host may share the directory too: a lock file serializes them.
async function lockedLoadOrCreateCa(
  dir: string,
  config: Extract<TlsConfig, { mode: 'auto' }>,
  ctx: { readonly prefix: string; readonly now: Date },
): Promise<AutoCa> {
  try {
    return await withDirLock(dir, () => loadOrCreateCa(dir, config, ctx));
  } catch (error) {
    if (error instanceof TlsConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code
      ? `cannot use ${dir} (${code})`
      : `cannot lock ${dir}: ${(error as Error).message}`;
    throw new TlsConfigError(`${ctx.prefix}.dir`, why);
  }
}

async function loadOrCreateCa(
  dir: string,
  config: Extract<TlsConfig, { mode: 'auto' }>,
  ctx: { readonly prefix: string; readonly now: Date },
): Promise<AutoCa> {
  const existing = await readAutoCa(dir, ctx.now, config.validityDays);
  if (existing !== undefined) return existing;
  const set = await generateCertificateSet({
    label: 'auto',
    keyAlgorithm: config.keyAlgorithm,
    now: ctx.now,
  });
  // Only the CA part is kept: the root private key was never returned, the leaf is per start.
  const files: [string, string, number][] = [
    ['intermediate-key.pem', set.intermediateKey, 0o600],
    ['intermediate.pem', set.intermediateCert, 0o644],
    ['ca.pem', set.rootCert, 0o644],
  ];
  for (const [name, data, mode] of files) {
    try {
      await writeFileAtomic(join(dir, name), data, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      throw new TlsConfigError(`${ctx.prefix}.dir`, `cannot write ${join(dir, name)} (${code})`);
    }
  }
  const intermediateKey = parsePrivateKeyPem(set.intermediateKey) as KeyObject;
  return { rootPem: set.rootCert, intermediatePem: set.intermediateCert, intermediateKey };
}

/** The persisted CA set, or undefined when it is missing, inconsistent or (nearly) expired. */
async function readAutoCa(dir: string, now: Date, leafDays: number): Promise<AutoCa | undefined> {
  let texts: string[];
  try {
    texts = await Promise.all(
      ['ca.pem', 'intermediate.pem', 'intermediate-key.pem'].map((name) =>
        readFile(join(dir, name), 'utf8'),
      ),
    );
  } catch {
    return undefined;
  }
  const [rootPem = '', intermediatePem = '', keyPem = ''] = texts;
  const intermediateKey = parsePrivateKeyPem(keyPem);
  try {
    const root = new X509Certificate(rootPem);
    const intermediate = new X509Certificate(intermediatePem);
    // A leaf must fit inside the intermediate's validity, else the whole set is renewed now.
    const validUntil = new Date(now.getTime() + leafDays * DAY_MS);
    const intact =
      intermediateKey !== undefined &&
      intermediate.ca &&
      intermediate.checkIssued(root) &&
      intermediate.verify(root.publicKey) &&
      intermediate.checkPrivateKey(intermediateKey) &&
      [root, intermediate].every(
        (cert) => cert.validFromDate <= now && cert.validToDate >= validUntil,
      );
    return intact ? { rootPem, intermediatePem, intermediateKey } : undefined;
  } catch {
    return undefined;
  }
}
