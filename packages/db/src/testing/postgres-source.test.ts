import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerRuntimeAvailable, planPostgres } from './postgres-source.js';
import { urlForDatabase } from './test-databases.js';

const yes = (): boolean => true;
const no = (): boolean => false;

describe('planPostgres', () => {
  it('prefers TEST_POSTGRES_URL', () => {
    expect(planPostgres({ TEST_POSTGRES_URL: ' postgres://pg@h/db ', CI: 'true' }, yes)).toEqual({
      kind: 'url',
      url: 'postgres://pg@h/db',
    });
  });

  it('falls back to a container when a runtime is visible', () => {
    expect(planPostgres({ TEST_POSTGRES_URL: '' }, yes)).toEqual({ kind: 'container' });
  });

  it('skips with the reason locally and fails under CI=true', () => {
    const skip = planPostgres({}, no);
    expect(skip.kind).toBe('skip');
    expect(skip).toHaveProperty(
      'reason',
      expect.stringMatching(/^PostgreSQL is unreachable: TEST_POSTGRES_URL is not set/),
    );
    expect(planPostgres({ CI: 'true' }, no)).toEqual({
      kind: 'fail',
      reason: (skip as { reason: string }).reason,
    });
  });
});

describe('containerRuntimeAvailable', () => {
  it('trusts DOCKER_HOST', () => {
    expect(containerRuntimeAvailable({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBe(true);
  });

  it('finds a Podman socket under XDG_RUNTIME_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-runtime-'));
    try {
      writeFileSync(join(dir, 'docker.sock'), '');
      expect(containerRuntimeAvailable({ XDG_RUNTIME_DIR: dir })).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('urlForDatabase', () => {
  it('swaps the database and keeps credentials and parameters', () => {
    expect(
      urlForDatabase('postgres://pg:pw@127.0.0.1:5432/postgres?sslmode=disable', 'cu_test_ab'),
    ).toBe('postgres://pg:pw@127.0.0.1:5432/cu_test_ab?sslmode=disable');
  });
});
