// loadTlsMaterial: turns a TLS config into the PEM material a listener needs, per mode. It
// validates everything a TLS handshake would otherwise fail on later (or worse, a client would
// fail on): chain order, key match, expiry, CA flags and FIPS algorithms, naming the config key.
import type { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { loadAutoMaterial } from './auto-ca.js';
import { issueServerCertificate, toIssuer } from './issue-certificate.js';
import { isSelfSigned } from './pem.js';
import {
  certificateLabel,
  checkCertificate,
  checkChainOrder,
  checkDates,
  readCertificates,
  readPrivateKey,
} from './pem-files.js';
import { TlsConfigError } from './tls-config-error.js';
import { tlsConfigSchema, type TlsConfig, type TlsConfigInput } from './tls-config-schema.js';
import type { TlsMaterial } from './tls-material.js';
import { x509 } from './x509.js';

export interface LoadTlsMaterialOptions {
  /** Extra SANs for generated certificates (e.g. the host the listener binds). */
  readonly names?: readonly string[];
  readonly now?: Date;
  /** Config key path of this TLS block, used in error messages (default `tls`). */
  readonly keyPath?: string;
}

export type ServerMaterial = Omit<TlsMaterial, 'clientAuth' | 'clientCa'>;

type ModeConfig<M extends TlsConfig['mode']> = Extract<TlsConfig, { mode: M }>;

interface Context {
  readonly prefix: string;
  readonly now: Date;
  readonly names: readonly string[];
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';

export async function loadTlsMaterial(
  input: TlsConfigInput,
  options: LoadTlsMaterialOptions = {},
): Promise<TlsMaterial> {
  const prefix = options.keyPath ?? 'tls';
  const parsed = tlsConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TlsConfigError(
      [prefix, ...(issue?.path ?? [])].map(String).join('.'),
      issue?.message ?? 'invalid',
    );
  }
  const config = parsed.data;
  const ctx: Context = { prefix, now: options.now ?? new Date(), names: options.names ?? [] };
  const server = await loadServerMaterial(config, ctx);
  const material: TlsMaterial = { ...server, clientAuth: config.clientAuth };
  if (config.clientCaFile === undefined) return material;
  const key = `${prefix}.clientCaFile`;
  const anchors = await readCertificates(key, config.clientCaFile);
  anchors.certs.forEach((cert) => checkDates(key, config.clientCaFile ?? '', cert, ctx.now));
  return { ...material, clientCa: anchors.pems };
}

function loadServerMaterial(config: TlsConfig, ctx: Context): Promise<ServerMaterial> {
  switch (config.mode) {
    case 'static':
      return loadStaticMaterial(config, ctx);
    case 'mixed':
      return loadMixedMaterial(config, ctx);
    case 'auto':
      return loadAutoMaterial({ ...config, names: [...config.names, ...ctx.names] }, ctx);
  }
}

async function loadStaticMaterial(
  config: ModeConfig<'static'>,
  ctx: Context,
): Promise<ServerMaterial> {
  const certKey = `${ctx.prefix}.certFile`;
  const keyKey = `${ctx.prefix}.keyFile`;
  const chain = await readCertificates(certKey, config.certFile);
  chain.certs.forEach((cert) => checkCertificate(certKey, config.certFile, cert, ctx.now));
  const leaf = chain.certs[0] as X509Certificate;
  const usages = leaf.keyUsage as string[] | undefined;
  if (
    leaf.ca ||
    (usages !== undefined && !usages.includes(SERVER_AUTH) && !usages.includes(ANY_EKU))
  ) {
    throw new TlsConfigError(
      certKey,
      `${certificateLabel(leaf, config.certFile)} is not a TLS server certificate (the leaf comes first)`,
    );
  }
  checkChainOrder(certKey, config.certFile, chain.certs);
  const key = await readPrivateKey(keyKey, config.keyFile);
  if (!leaf.checkPrivateKey(key)) {
    throw new TlsConfigError(
      keyKey,
      `the private key in ${config.keyFile} does not match the certificate in ${config.certFile}`,
    );
  }
  const material = {
    cert: chain.pems.join(''),
    key: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    ca: [],
  };
  if (config.caFile === undefined) return material;
  const caKey = `${ctx.prefix}.caFile`;
  const anchors = await readCertificates(caKey, config.caFile);
  anchors.certs.forEach((cert) => checkDates(caKey, config.caFile ?? '', cert, ctx.now));
  const top = chain.certs[chain.certs.length - 1] as X509Certificate;
  const anchored = anchors.certs.some(
    (anchor) =>
      anchor.fingerprint256 === top.fingerprint256 ||
      (top.checkIssued(anchor) && top.verify(anchor.publicKey)),
  );
  if (!anchored)
    throw new TlsConfigError(
      caKey,
      `${config.caFile} does not hold the issuer of the chain in ${config.certFile}`,
    );
  return { ...material, ca: anchors.pems, caFile: resolve(config.caFile) };
}

async function loadMixedMaterial(
  config: ModeConfig<'mixed'>,
  ctx: Context,
): Promise<ServerMaterial> {
  const certKey = `${ctx.prefix}.caCertFile`;
  const keyKey = `${ctx.prefix}.caKeyFile`;
  const caChain = await readCertificates(certKey, config.caCertFile);
  caChain.certs.forEach((cert) => checkCertificate(certKey, config.caCertFile, cert, ctx.now));
  checkChainOrder(certKey, config.caCertFile, caChain.certs);
  const signer = caChain.certs[0] as X509Certificate;
  const signerPem = caChain.pems[0] as string;
  const usage = new x509.X509Certificate(signerPem).getExtension(x509.KeyUsagesExtension)?.usages;
  if (!signer.ca || (usage !== undefined && (usage & x509.KeyUsageFlags.keyCertSign) === 0)) {
    throw new TlsConfigError(
      certKey,
      `${certificateLabel(signer, config.caCertFile)} is not a CA allowed to sign certificates`,
    );
  }
  const key = await readPrivateKey(keyKey, config.caKeyFile);
  if (!signer.checkPrivateKey(key)) {
    throw new TlsConfigError(
      keyKey,
      `the private key in ${config.caKeyFile} does not match the CA certificate in ${config.caCertFile}`,
    );
  }
  const leaf = await issueServerCertificate({
    issuer: await toIssuer(signerPem, key),
    names: [...config.names, ...ctx.names],
    validityDays: config.validityDays,
    keyAlgorithm: config.keyAlgorithm,
    now: ctx.now,
  });
  // The chain a server sends omits the self-signed root: clients hold it as their anchor.
  const chain = caChain.pems.filter((pem) => !isSelfSigned(pem));
  const anchor = caChain.pems[caChain.pems.length - 1] as string;
  // Clients (and `cryptoutil <product> health`) trust the last certificate of caCertFile; an
  // intermediate there leaves them unable to build a chain (UNABLE_TO_GET_ISSUER_CERT).
  if (!isSelfSigned(anchor)) {
    throw new TlsConfigError(
      certKey,
      `${config.caCertFile} must end with the self-signed root CA certificate that clients trust`,
    );
  }
  return {
    cert: leaf.cert + chain.join(''),
    key: leaf.key,
    ca: [anchor],
    caFile: resolve(config.caCertFile),
  };
}
