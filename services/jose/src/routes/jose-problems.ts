// The JOSE problem types and the one mapping from JoseError codes to them (STYLE "Errors").
import { defineProblem, problems, ProblemError, type ProblemDefinition } from '@cryptoutil/server';
import type { JoseError, JoseErrorCode } from '../domain/jose-error.js';

export const joseProblems = {
  nameTaken: defineProblem('name-taken', 'Key name already in use', 409),
  kidTaken: defineProblem('kid-taken', 'Key id already in use', 409),
  invalidPageToken: defineProblem('invalid-page-token', 'Invalid page token', 400),
  invalidKeySpec: defineProblem('invalid-key-spec', 'Invalid key set definition', 400),
  invalidKeyMaterial: defineProblem('invalid-key-material', 'Invalid key material', 400),
  invalidHeader: defineProblem('invalid-header', 'Header not allowed', 400),
  malformedJose: defineProblem('malformed-jose', 'Malformed JWE or JWS', 400),
  decryptionFailed: defineProblem('decryption-failed', 'Decryption failed', 400),
  unknownKid: defineProblem('unknown-kid', 'No key for this kid', 400),
  keyRetired: defineProblem('key-retired', 'Key version retired', 409),
  wrongKeyUse: defineProblem('wrong-key-use', 'Operation not supported by this key', 400),
  invalidRequest: defineProblem('invalid-jose-request', 'Request cannot be carried out', 400),
  notAllowed: defineProblem('operation-not-allowed', 'Operation not allowed for this key', 409),
} as const;

const BY_CODE: Readonly<Record<JoseErrorCode, ProblemDefinition>> = {
  'not-found': problems.notFound,
  'name-taken': joseProblems.nameTaken,
  'kid-taken': joseProblems.kidTaken,
  'invalid-page-token': joseProblems.invalidPageToken,
  'invalid-key-spec': joseProblems.invalidKeySpec,
  'invalid-key-material': joseProblems.invalidKeyMaterial,
  'invalid-header': joseProblems.invalidHeader,
  'malformed-jose': joseProblems.malformedJose,
  'decryption-failed': joseProblems.decryptionFailed,
  'unknown-kid': joseProblems.unknownKid,
  'key-retired': joseProblems.keyRetired,
  'wrong-key-use': joseProblems.wrongKeyUse,
  'invalid-request': joseProblems.invalidRequest,
  'not-allowed': joseProblems.notAllowed,
};

export function joseProblem(err: JoseError): ProblemError {
  // decryption-failed never says more than its title.
  const detail = err.code === 'decryption-failed' ? 'decryption failed' : err.message;
  return new ProblemError(BY_CODE[err.code], { detail, cause: err });
}
