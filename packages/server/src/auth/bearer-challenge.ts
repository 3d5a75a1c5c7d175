// The RFC 6750 §3 `WWW-Authenticate: Bearer` challenge and the 401 problems that carry it.
// Descriptions are fixed, safe phrases: a token or key never reaches a header or a detail.
import { ProblemError, problems } from '../problems/index.js';

export interface BearerChallenge {
  /** RFC 6750 §3.1 error code. */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  readonly description?: string;
  /** Space-delimited scopes the resource needs (RFC 6750 §3, with insufficient_scope). */
  readonly scope?: string;
}

// RFC 6750 §3: error_description and scope use %x20-21 / %x23-5B / %x5D-7E only.
function quote(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;
}

/** The `WWW-Authenticate` value for a Bearer challenge. */
export function bearerChallenge(challenge: BearerChallenge = {}): string {
  const params: string[] = [];
  if (challenge.error !== undefined) params.push(`error=${quote(challenge.error)}`);
  if (challenge.description !== undefined) {
    params.push(`error_description=${quote(challenge.description)}`);
  }
  if (challenge.scope !== undefined) params.push(`scope=${quote(challenge.scope)}`);
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/** 401 `invalid-token` problem: credentials were presented and are not acceptable. */
export function invalidCredentials(detail: string): ProblemError {
  return new ProblemError(problems.invalidToken, {
    detail,
    headers: {
      'www-authenticate': bearerChallenge({ error: 'invalid_token', description: detail }),
    },
  });
}
