// The pino redaction list: credentials in HTTP headers and secret-bearing fields up to two
// levels below any logged object. Security-relevant: extend it, never shorten it.

export const REDACT_CENSOR = '[redacted]';

/**
 * Field names that carry secrets wherever they appear: credentials, OAuth wire names (RFC 6749,
 * RFC 7636), and the JWK private members (RFC 7518 §6.2.2.1 `d`, §6.3.2 `p q dp dq qi`,
 * §6.4.1 `k`).
 */
export const SECRET_FIELD_NAMES = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'privateKey',
  'key',
  'pepper',
  'unsealKey',
  'unsealKeys',
  'shares',
  'passphrase',
  'privateKeyPem',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
  'authorization',
  'cookie',
] as const;

const HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
];

/** Every pino redact path: headers, then each secret name at depth 0, 1 and 2. */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  ...HEADER_PATHS,
  ...SECRET_FIELD_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
]);
