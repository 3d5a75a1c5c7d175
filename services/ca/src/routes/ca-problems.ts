// The CA problem types and the one mapping from CaError codes to them (STYLE "Errors").
import { defineProblem, problems, ProblemError, type ProblemDefinition } from '@cryptoutil/server';
import type { CaError, CaErrorCode } from '../domain/ca-error.js';

export const caProblems = {
  invalidCsr: defineProblem('invalid-csr', 'Invalid certificate signing request', 400),
  keyNotAllowed: defineProblem('key-not-allowed', 'Key not allowed by the profile', 400),
  nameNotAllowed: defineProblem('name-not-allowed', 'Name not allowed by the profile', 400),
  profileViolation: defineProblem('profile-violation', 'Request not allowed by the profile', 400),
  validityNotAllowed: defineProblem('validity-not-allowed', 'Validity not allowed', 400),
  invalidRequest: defineProblem('invalid-ca-request', 'Request cannot be carried out', 400),
  caUnavailable: defineProblem('ca-unavailable', 'CA cannot issue', 409),
} as const;

const BY_CODE: Readonly<Record<CaErrorCode, ProblemDefinition>> = {
  'not-found': problems.notFound,
  'invalid-csr': caProblems.invalidCsr,
  'key-not-allowed': caProblems.keyNotAllowed,
  'name-not-allowed': caProblems.nameNotAllowed,
  'profile-violation': caProblems.profileViolation,
  'validity-not-allowed': caProblems.validityNotAllowed,
  'invalid-request': caProblems.invalidRequest,
  conflict: problems.conflict,
  'ca-unavailable': caProblems.caUnavailable,
};

export function caProblem(err: CaError): ProblemError {
  return new ProblemError(BY_CODE[err.code], { detail: err.message, cause: err });
}
