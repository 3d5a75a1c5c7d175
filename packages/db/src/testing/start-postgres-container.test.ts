import { describe, expect, it, vi } from 'vitest';
import { failUnreachable } from './describe-each-dialect.js';
import { startPostgresContainer } from './postgres-source.js';

const stop = vi.fn(() => Promise.resolve());
const images: string[] = [];

vi.mock('@testcontainers/postgresql', () => ({
  PostgreSqlContainer: class {
    constructor(image: string) {
      images.push(image);
    }
    start() {
      return Promise.resolve({
        getConnectionUri: () => 'postgres://test:test@127.0.0.1:32768/test',
        stop,
      });
    }
  },
}));

describe('startPostgresContainer', () => {
  it('starts a PostgreSQL 18 container and stops it on request', async () => {
    const server = await startPostgresContainer();
    expect(images).toEqual(['postgres:18-alpine']);
    expect(server.adminUrl).toBe('postgres://test:test@127.0.0.1:32768/test');
    await server.stop();
    expect(stop).toHaveBeenCalledTimes(1);
  });
});

describe('failUnreachable', () => {
  it('fails with the reason and what CI needs', () => {
    expect(failUnreachable('PostgreSQL is unreachable: why')).toThrow(
      new Error(
        'PostgreSQL is unreachable: why; CI=true requires PostgreSQL (set TEST_POSTGRES_URL)',
      ),
    );
  });
});
