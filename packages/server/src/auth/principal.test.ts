import { describe, expect, it } from 'vitest';
import { bearerChallenge, invalidCredentials } from './bearer-challenge.js';
import { hasScopes, missingScopes, type Principal } from './principal.js';
import { problems } from '../problems/index.js';

const principal: Principal = {
  subject: 's',
  tenant: 't',
  scopes: ['kms:read', 'kms:write'],
  method: 'jwt',
};

describe('scopes', () => {
  it('lists the missing scopes in the order required', () => {
    expect(missingScopes(principal, ['kms:admin', 'kms:read', 'ca:read'])).toEqual([
      'kms:admin',
      'ca:read',
    ]);
    expect(missingScopes(principal, [])).toEqual([]);
  });

  it('holds only when every scope is granted', () => {
    expect(hasScopes(principal, ['kms:read', 'kms:write'])).toBe(true);
    expect(hasScopes(principal, [])).toBe(true);
    expect(hasScopes(principal, ['kms:read', 'kms:admin'])).toBe(false);
  });
});

describe('bearerChallenge', () => {
  it('builds RFC 6750 §3 challenges', () => {
    expect(bearerChallenge()).toBe('Bearer');
    expect(bearerChallenge({ error: 'insufficient_scope', scope: 'kms:read kms:write' })).toBe(
      'Bearer error="insufficient_scope", scope="kms:read kms:write"',
    );
  });

  it('drops characters a quoted error_description may not carry', () => {
    expect(bearerChallenge({ error: 'invalid_token', description: 'bad "quote" \\ é\n' })).toBe(
      'Bearer error="invalid_token", error_description="bad quote  "',
    );
  });

  it('builds the 401 invalid-token problem with its challenge', () => {
    const problem = invalidCredentials('token expired');
    expect(problem.definition).toBe(problems.invalidToken);
    expect(problem.toBody()).toEqual({
      type: 'urn:cryptoutil:problem:invalid-token',
      title: 'Invalid credentials',
      status: 401,
      detail: 'token expired',
    });
    expect(problem.headers).toEqual({
      'www-authenticate': 'Bearer error="invalid_token", error_description="token expired"',
    });
  });
});
