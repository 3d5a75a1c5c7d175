// @cryptoutil/tls: TLS 1.3-only server and client options and the static, mixed and auto
// certificate modes of every listener of the suite.
export {
  generateCertificateSet,
  INTERMEDIATE_VALIDITY_DAYS,
  ROOT_VALIDITY_DAYS,
  writeCertificateSet,
  type CertificateSet,
  type CertificateSetPaths,
  type GenerateCertificateSetOptions,
} from './generate-certificate-set.js';
export {
  DEFAULT_NAMES,
  issueClientCertificate,
  type IssueClientOptions,
  type IssuedCertificate,
} from './issue-certificate.js';
export { loadTlsMaterial, type LoadTlsMaterialOptions } from './load-tls-material.js';
export { TlsConfigError } from './tls-config-error.js';
export {
  MAX_LEAF_VALIDITY_DAYS,
  tlsConfigSchema,
  type ClientAuth,
  type KeyAlgorithm,
  type TlsConfig,
  type TlsConfigInput,
} from './tls-config-schema.js';
export type { TlsMaterial } from './tls-material.js';
export {
  clientTlsOptions,
  serverTlsOptions,
  TLS_CIPHERSUITES,
  TLS_GROUPS,
  TLS_SIGALGS,
  type ClientTlsOptionsInput,
} from './tls-options.js';
