import { describe, expect, it } from 'vitest';
import { toProblem } from './error-handler.js';
import { ProblemError, problems } from './problems/index.js';

function fastifyError(code: string, statusCode: number, message = 'fastify says no'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('toProblem', () => {
  it('keeps a ProblemError as it is', () => {
    const problem = new ProblemError(problems.conflict, { detail: 'exists' });
    expect(toProblem(problem)).toBe(problem);
  });

  it('maps known Fastify and plugin codes once', () => {
    expect(toProblem(fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400)).definition).toBe(
      problems.malformedJson,
    );
    expect(toProblem(fastifyError('FST_CSRF_MISSING_SECRET', 403)).definition).toBe(problems.csrf);
    expect(toProblem(fastifyError('FST_CSRF_INVALID_TOKEN', 403)).definition).toBe(problems.csrf);
  });

  it('maps other Fastify 4xx errors by status, with their fixed message as detail', () => {
    const problem = toProblem(
      fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'size mismatch'),
    );
    expect(problem.toBody()).toEqual({
      type: 'urn:cryptoutil:problem:bad-request',
      title: 'Bad request',
      status: 400,
      detail: 'size mismatch',
    });
    expect(toProblem(fastifyError('FST_ERR_SOMETHING', 405)).definition).toBe(
      problems.methodNotAllowed,
    );
  });

  it('treats a status code on a foreign error, and any 5xx, as internal', () => {
    const foreign = toProblem(fastifyError('ELIBRARY', 400, 'secret detail'));
    expect(foreign.toBody()).toEqual({
      type: 'urn:cryptoutil:problem:internal',
      title: 'Internal server error',
      status: 500,
    });
    expect(toProblem(fastifyError('FST_ERR_CTP_INVALID_PARSE_TYPE', 500)).definition).toBe(
      problems.internal,
    );
    expect(toProblem('a string').definition).toBe(problems.internal);
    expect(toProblem(null).definition).toBe(problems.internal);
  });

  it('lists each failing field of a validation error, rooted at its context', () => {
    const error = Object.assign(new Error('invalid'), {
      validationContext: 'querystring',
      validation: [
        { instancePath: '/limit', message: 'Too big' },
        { instancePath: '', message: undefined },
      ],
    });
    expect(toProblem(error).toBody()).toEqual({
      type: 'urn:cryptoutil:problem:validation',
      title: 'Request validation failed',
      status: 400,
      detail: '2 field(s) failed validation',
      errors: [
        { path: 'querystring.limit', message: 'Too big' },
        { path: 'querystring', message: 'invalid' },
      ],
    });
    const bodyError = Object.assign(new Error('invalid'), {
      validation: [{ instancePath: '/a/0', message: 'x' }],
    });
    expect(toProblem(bodyError).extensions.errors).toEqual([{ path: 'body.a.0', message: 'x' }]);
  });
});
