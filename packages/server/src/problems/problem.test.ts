import { describe, expect, it } from 'vitest';
import { defineProblem, listProblems, ProblemError } from './problem.js';

describe('defineProblem', () => {
  it('declares a frozen definition once and returns it again for the same declaration', () => {
    const first = defineProblem('unit-teapot', "I'm a teapot", 418);
    expect(first).toEqual({
      type: 'urn:cryptoutil:problem:unit-teapot',
      title: "I'm a teapot",
      status: 418,
    });
    expect(Object.isFrozen(first)).toBe(true);
    expect(defineProblem('unit-teapot', "I'm a teapot", 418)).toBe(first);
    expect(listProblems().filter((p) => p.type === first.type)).toEqual([first]);
  });

  it('refuses a conflicting redeclaration, a bad slug and a non-error status', () => {
    defineProblem('unit-gone', 'Gone', 410);
    expect(() => defineProblem('unit-gone', 'Gone', 404)).toThrow(
      new TypeError('problem unit-gone declared twice with different title or status'),
    );
    expect(() => defineProblem('Bad Slug', 'x', 400)).toThrow(
      new TypeError('invalid problem slug: Bad Slug'),
    );
    for (const status of [200, 399, 600, 400.5]) {
      expect(() => defineProblem('unit-status', 'x', status)).toThrow(
        new TypeError(`problem status must be 4xx or 5xx: ${status}`),
      );
    }
  });
});

describe('ProblemError', () => {
  const fiveHundred = defineProblem('unit-broken', 'Broken', 500);

  it('shows detail and extensions below 500 only, unless exposed', () => {
    const hidden = new ProblemError(fiveHundred, {
      detail: 'inner',
      extensions: { x: 1 },
      cause: new Error('c'),
    });
    expect(hidden.toBody('urn:uuid:1')).toEqual({
      type: 'urn:cryptoutil:problem:unit-broken',
      title: 'Broken',
      status: 500,
      instance: 'urn:uuid:1',
    });
    const exposed = new ProblemError(fiveHundred, {
      detail: 'safe',
      extensions: { checks: {} },
      expose: true,
    });
    expect(exposed.toBody()).toEqual({
      type: 'urn:cryptoutil:problem:unit-broken',
      title: 'Broken',
      status: 500,
      detail: 'safe',
      checks: {},
    });
    expect(exposed.message).toBe('safe');
    expect(new ProblemError(fiveHundred).message).toBe('Broken');
  });
});
