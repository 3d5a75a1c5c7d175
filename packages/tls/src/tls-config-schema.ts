// The TLS configuration schema shared by every listener of the suite: one discriminated union
// on `mode` (static PEM files, a given CA signing a generated server certificate, or a fully
// generated CA set) plus the client-certificate (mTLS) settings common to all modes.
import { isIP } from 'node:net';
import { z } from 'zod';

/** Apple platforms reject TLS server certificates valid for more than 398 days. */
export const MAX_LEAF_VALIDITY_DAYS = 398;

const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine(
    (v) =>
      isIP(v) !== 0 ||
      /^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?$/.test(
        v,
      ),
    {
      message: 'must be a DNS name (optionally *.wildcard) or an IP address',
    },
  )
  .describe('A DNS name (optionally `*.` wildcard) or an IPv4/IPv6 address.');

const names = z
  .array(hostName)
  .default([])
  .describe(
    'Extra subject alternative names for the server certificate, besides the always present localhost, 127.0.0.1 and ::1.',
  );

const validityDays = z
  .number()
  .int()
  .min(1)
  .max(MAX_LEAF_VALIDITY_DAYS)
  .default(90)
  .describe('Validity of the generated server certificate in days (regenerated at every start).');

const keyAlgorithm = z
  .enum(['ECDSA-P256', 'ECDSA-P384'])
  .default('ECDSA-P256')
  .describe('Key algorithm of generated keys (FIPS 186-5 ECDSA curves).');

const common = {
  clientAuth: z
    .enum(['none', 'optional', 'required'])
    .default('none')
    .describe(
      'Client certificates (mTLS): none; optional (requested, verified by the app via socket.authorized); required (handshake fails without a valid one).',
    ),
  clientCaFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM file with the trust anchors for client certificates; required when clientAuth is not none.',
    ),
};

const staticMode = z
  .object({
    mode: z.literal('static').describe('Use the certificate and key given as PEM files.'),
    certFile: z
      .string()
      .min(1)
      .describe(
        'PEM file with the server certificate chain: the leaf first, then the intermediates.',
      ),
    keyFile: z
      .string()
      .min(1)
      .describe(
        'PEM file (PKCS#8) with the private key of the leaf; may be a Docker secret such as /run/secrets/tls_key.',
      ),
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'PEM file with the trust anchor clients should use; offered to users, checked against the chain.',
      ),
    ...common,
  })
  .describe('Static mode: certificate chain and key from files.');

const mixedMode = z
  .object({
    mode: z
      .literal('mixed')
      .describe('A CA given by the operator signs a server certificate generated at start.'),
    caCertFile: z
      .string()
      .min(1)
      .describe(
        'PEM file with the signing CA certificate first, then its chain up to and including the self-signed root that clients trust.',
      ),
    caKeyFile: z
      .string()
      .min(1)
      .describe(
        'PEM file (PKCS#8) with the private key of the signing CA; may be a Docker secret.',
      ),
    names,
    validityDays,
    keyAlgorithm,
    ...common,
  })
  .describe('Mixed mode: an operator CA signs a fresh server certificate at every start.');

const autoMode = z
  .object({
    mode: z
      .literal('auto')
      .default('auto')
      .describe(
        'Generate a root CA, an intermediate CA and a server certificate; the default when mode is absent.',
      ),
    dir: z
      .string()
      .min(1)
      .default('./data/tls')
      .describe(
        'Directory keeping ca.pem (the root clients trust), intermediate.pem and intermediate-key.pem across restarts.',
      ),
    names,
    validityDays,
    keyAlgorithm,
    ...common,
  })
  .describe('Auto mode: a persisted generated CA signs a fresh server certificate at every start.');

export const tlsConfigSchema = z
  .discriminatedUnion('mode', [staticMode, mixedMode, autoMode])
  .superRefine((config, ctx) => {
    if (config.clientAuth !== 'none' && config.clientCaFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientCaFile'],
        message: `required when clientAuth is ${config.clientAuth}`,
      });
    }
  })
  .describe('TLS 1.3 settings of a listener.');

export type TlsConfig = z.output<typeof tlsConfigSchema>;
export type TlsConfigInput = z.input<typeof tlsConfigSchema>;
export type ClientAuth = TlsConfig['clientAuth'];
export type KeyAlgorithm = z.output<typeof keyAlgorithm>;
