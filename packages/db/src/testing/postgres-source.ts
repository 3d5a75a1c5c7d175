// Where the PostgreSQL half of a dual-dialect suite gets its server (ARCHITECTURE §3):
// TEST_POSTGRES_URL when set; otherwise a testcontainers PostgreSQL when a container runtime is
// visible; otherwise the suite is skipped with the reason, or fails under CI=true, so a missing
// database is never mistaken for a passing one.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export type PostgresPlan =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'container' }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string };

const UNREACHABLE =
  'PostgreSQL is unreachable: TEST_POSTGRES_URL is not set and no container runtime (Docker, Podman) was found';

/** Decides, without any network I/O, how the postgres half of a suite runs. */
export function planPostgres(env: Env, runtimeAvailable: (env: Env) => boolean): PostgresPlan {
  const url = env['TEST_POSTGRES_URL']?.trim();
  if (url) return { kind: 'url', url };
  if (runtimeAvailable(env)) return { kind: 'container' };
  return env['CI'] === 'true'
    ? { kind: 'fail', reason: UNREACHABLE }
    : { kind: 'skip', reason: UNREACHABLE };
}

/**
 * A quick, synchronous look for a container runtime: DOCKER_HOST, or one of the usual sockets.
 * Probing the daemon itself could hang for the client's whole timeout; a dead socket instead
 * makes the suite's beforeAll fail with the runtime's own error.
 */
export function containerRuntimeAvailable(env: Env): boolean {
  if (env['DOCKER_HOST']) return true;
  const home = homedir();
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  const candidates = [
    '/var/run/docker.sock',
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    join(home, '.testcontainers.properties'),
    '/run/podman/podman.sock',
    ...(runtimeDir
      ? [join(runtimeDir, 'docker.sock'), join(runtimeDir, 'podman', 'podman.sock')]
      : []),
  ];
  return candidates.some((p) => existsSync(p));
}

export interface PostgresServer {
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** Starts a throwaway PostgreSQL container; loaded lazily so plain runs never import it. */
export async function startPostgresContainer(): Promise<PostgresServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:18-alpine').start();
  return {
    adminUrl: container.getConnectionUri(),
    stop: async () => {
      await container.stop();
    },
  };
}
