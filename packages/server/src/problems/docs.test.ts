import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { PROBLEMS_DOC_REGENERATE, renderProblemsDoc } from './docs.js';
import { listProblems } from './problem.js';

describe('problem catalog', () => {
  it('gives every problem a unique type and a 4xx or 5xx status', () => {
    const problems = listProblems();
    expect(problems.length).toBeGreaterThan(10);
    expect(new Set(problems.map((p) => p.type)).size).toBe(problems.length);
    for (const problem of problems) {
      expect(problem.type).toMatch(/^urn:cryptoutil:problem:[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(
        problem.status >= 400 && problem.status <= 599,
        `${problem.type} status ${problem.status}`,
      ).toBe(true);
    }
  });
});

describe('docs/problems.md', () => {
  it('lists every problem with its URN, title and status', () => {
    const doc = renderProblemsDoc([
      { type: 'urn:cryptoutil:problem:a', title: 'A | pipe', status: 400 },
      { type: 'urn:cryptoutil:problem:b', title: 'B', status: 503 },
    ]);
    expect(doc).toContain(
      '| `urn:cryptoutil:problem:a` | A \\| pipe | 400 |\n| `urn:cryptoutil:problem:b` | B | 503 |\n',
    );
    expect(doc.startsWith('# Problem types\n')).toBe(true);
  });

  it("lists every problem of the kit (products' problems join through `pnpm docs:gen`)", () => {
    const committed = readFileSync(
      join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'problems.md'),
      'utf8',
    );
    for (const line of renderProblemsDoc()
      .split('\n')
      .filter((l) => l.startsWith('| `urn:'))) {
      expect(committed, `docs/problems.md is stale: run ${PROBLEMS_DOC_REGENERATE}`).toContain(
        line,
      );
    }
  });
});
