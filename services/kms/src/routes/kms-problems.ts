// The KMS problem types and the one mapping from KmsError codes to them (STYLE "Errors").
import { defineProblem, problems, ProblemError, type ProblemDefinition } from '@cryptoutil/server';
import type { KmsError, KmsErrorCode } from '../domain/kms-error.js';

export const kmsProblems = {
  invalidTransition: defineProblem('invalid-transition', 'Invalid key status transition', 409),
  nameTaken: defineProblem('name-taken', 'Key name already in use', 409),
  invalidPageToken: defineProblem('invalid-page-token', 'Invalid page token', 400),
  invalidKeyMaterial: defineProblem('invalid-key-material', 'Invalid key material', 400),
  malformedJose: defineProblem('malformed-jose', 'Malformed JWE or JWS', 400),
  decryptionFailed: defineProblem('decryption-failed', 'Decryption failed', 400),
  signatureInvalid: defineProblem('signature-invalid', 'Signature verification failed', 400),
  wrongKeyUse: defineProblem('wrong-key-use', 'Operation not supported by this key', 400),
  keyNotActive: defineProblem('key-not-active', 'Key not active', 409),
  notAllowed: defineProblem('operation-not-allowed', 'Operation not allowed for this key', 409),
} as const;

const BY_CODE: Readonly<Record<KmsErrorCode, ProblemDefinition>> = {
  'not-found': problems.notFound,
  'invalid-transition': kmsProblems.invalidTransition,
  'name-taken': kmsProblems.nameTaken,
  'invalid-page-token': kmsProblems.invalidPageToken,
  'invalid-key-material': kmsProblems.invalidKeyMaterial,
  'malformed-jose': kmsProblems.malformedJose,
  'decryption-failed': kmsProblems.decryptionFailed,
  'signature-invalid': kmsProblems.signatureInvalid,
  'wrong-key-use': kmsProblems.wrongKeyUse,
  'key-not-active': kmsProblems.keyNotActive,
  'not-allowed': kmsProblems.notAllowed,
};

export function kmsProblem(err: KmsError): ProblemError {
  // decryption-failed never says more than its title (issue 3 "Bad input").
  const detail = err.code === 'decryption-failed' ? 'decryption failed' : err.message;
  return new ProblemError(BY_CODE[err.code], { detail, cause: err });
}
