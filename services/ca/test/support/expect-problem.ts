// Asserts an RFC 9457 problem answer exactly: status, content type, the `type` URN
// (urn:cryptoutil:problem:<slug>), the status member and the detail (text or pattern).
import { expect } from 'vitest';

export interface ProblemLike {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly { path: string; message: string }[];
}

export function expectProblem(
  res: ProblemLike,
  status: number,
  slug: string,
  detail?: string | RegExp,
): ProblemBody {
  const body = JSON.parse(res.body.toString('utf8')) as ProblemBody;
  expect({ status: res.status, type: body.type }).toEqual({
    status,
    type: `urn:cryptoutil:problem:${slug}`,
  });
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(body.status).toBe(status);
  if (typeof detail === 'string') expect(body.detail).toBe(detail);
  else if (detail !== undefined) expect(body.detail).toMatch(detail);
  return body;
}
