// The KMS as a real operating-system process: the built CLI's `kms server`, started from a
// config file written to a temporary workspace (secret files for the `secrets` unseal mode, an
// API key, TLS in auto mode), awaited until readyz answers 200, stopped with SIGTERM or killed
// with SIGKILL. The workspace owns every process it starts and kills what is left on dispose.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { generateApiKey, hashApiKey } from '@cryptoutil/server';
import { freePort, send, type TestResponse } from '@cryptoutil/server/testing';
import { KMS_SCOPES } from '../../src/product.js';

/** The built CLI (the suite's `./test` builds dist/ before any test runs). */
export const CLI_MAIN = join(import.meta.dirname, '../../../../packages/cli/dist/main.js');
const PEPPER = 'pepper-for-kms-process-tests-0123456789abcdef';
const READY_TIMEOUT_MS = 30_000;

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StartOptions {
  readonly databaseUrl: string;
  readonly secretFiles: readonly string[];
  /** TLS auto-mode directory; default `<workspace>/tls`. Clients trust its ca.pem. */
  readonly tlsDir?: string;
  /** The `kms` config section (e.g. `{ cache: { ttlMs: 200 } }`). */
  readonly kms?: Record<string, unknown>;
}

export interface KmsProcess {
  readonly ports: { readonly public: number; readonly admin: number };
  /** Settles when the process has exited and its output is complete. */
  readonly exited: Promise<ProcessExit>;
  /** True while the operating system has not reported the process gone. */
  isRunning(): boolean;
  call(
    method: string,
    path: string,
    body?: { readonly json?: unknown; readonly text?: string },
  ): Promise<TestResponse>;
  /** SIGTERM (graceful shutdown), then the exit. */
  stop(): Promise<ProcessExit>;
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<ProcessExit>;
}

export interface KmsWorkspace {
  readonly dir: string;
  /** Three new files of 32 random bytes; any two unseal (threshold 2). */
  writeSecrets(label: string): string[];
  /** Starts a server and resolves once readyz answers 200; rejects with its output if not. */
  start(options: StartOptions): Promise<KmsProcess>;
  /** Starts a server that is expected to fail; resolves with its exit and output. */
  runToExit(
    options: StartOptions,
    timeoutMs: number,
  ): Promise<ProcessExit & { stdout: string; stderr: string }>;
  /** Kills every process still running and removes the directory. */
  dispose(): Promise<void>;
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

export function createKmsWorkspace(): KmsWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'cu-kms-proc-'));
  const apiKey = generateApiKey({ id: 'durability' }).key;
  const children = new Set<Child>();
  let configs = 0;

  const writeConfig = (options: StartOptions, tlsDir: string): string => {
    const file = join(dir, `config-${(configs += 1)}.yaml`);
    const config = {
      public: { rateLimit: { max: 1_000_000 } },
      tls: { mode: 'auto', dir: tlsDir },
      database: { url: options.databaseUrl },
      telemetry: { logLevel: 'warn' },
      barrier: { mode: 'secrets', files: options.secretFiles, threshold: 2 },
      auth: {
        pepper: PEPPER,
        apiKeys: [
          {
            id: 'durability',
            hash: hashApiKey(apiKey, PEPPER),
            tenant: 'tenant-a',
            scopes: [...KMS_SCOPES],
          },
        ],
      },
      ...(options.kms ? { kms: options.kms } : {}),
    };
    // JSON is YAML 1.2, so the config file needs no YAML writer.
    writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
  };

  const spawnKms = async (options: StartOptions) => {
    const tlsDir = options.tlsDir ?? join(dir, 'tls');
    const ports = { public: await freePort(), admin: await freePort() };
    const args = [CLI_MAIN, 'kms', 'server', '-c', writeConfig(options, tlsDir)];
    args.push('-s', `public.port=${ports.public}`, '-s', `admin.port=${ports.admin}`);
    // CRYPTOUTIL_* variables of the caller's shell would override the config file.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('CRYPTOUTIL_')),
    );
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
    const exited = new Promise<ProcessExit>((resolve) =>
      child.once('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, ports, tlsDir, out, exited };
  };

  return {
    dir,
    writeSecrets(label) {
      return [1, 2, 3].map((i) => {
        const file = join(dir, `${label}-unseal-${i}`);
        writeFileSync(file, randomBytes(32), { mode: 0o600 });
        return file;
      });
    },
    async start(options) {
      const spawned = await spawnKms(options);
      const { child, ports, exited } = spawned;
      const ca = await untilReady(spawned);
      const signal = async (name: NodeJS.Signals) => {
        child.kill(name);
        return exited;
      };
      return {
        ports,
        exited,
        isRunning: () => child.exitCode === null && child.signalCode === null,
        call: (method, path, body = {}) => callKms({ ca, ports, apiKey, method, path, body }),
        stop: () => signal('SIGTERM'),
        kill: () => signal('SIGKILL'),
      };
    },
    async runToExit(options, timeoutMs) {
      const { child, out, exited } = await spawnKms(options);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const exit = await exited;
      clearTimeout(timer);
      return { ...exit, ...out };
    },
    async dispose() {
      const left = [...children].map(
        (child) => new Promise((resolve) => child.once('close', resolve)),
      );
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(left);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls ca.pem and readyz; the CA is read each time, since a first start writes it. */
async function untilReady(spawned: {
  readonly child: Child;
  readonly ports: { readonly admin: number };
  readonly tlsDir: string;
  readonly out: { readonly stdout: string; readonly stderr: string };
  readonly exited: Promise<ProcessExit>;
}): Promise<string> {
  const { child, ports, tlsDir, out } = spawned;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (child.exitCode === null && child.signalCode === null) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kms server not ready in ${READY_TIMEOUT_MS} ms (${last}): ${out.stderr}`);
    }
    try {
      const ca = readFileSync(join(tlsDir, 'ca.pem'), 'utf8');
      const res = await send({ port: ports.admin, path: '/admin/v1/readyz', ca });
      if (res.status === 200) return ca;
      last = `readyz ${res.status}: ${res.text}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exit = await spawned.exited;
  throw new Error(
    `kms server exited (${exit.code ?? exit.signal}) before it was ready: ${out.stderr}`,
  );
}

function callKms(req: {
  readonly ca: string;
  readonly ports: { readonly public: number; readonly admin: number };
  readonly apiKey: string;
  readonly method: string;
  readonly path: string;
  readonly body: { readonly json?: unknown; readonly text?: string };
}): Promise<TestResponse> {
  const isAdmin = req.path.startsWith('/admin/');
  const headers: Record<string, string> = { authorization: `Bearer ${req.apiKey}` };
  let payload: string | undefined;
  if (req.body.json !== undefined) {
    payload = JSON.stringify(req.body.json);
    headers['content-type'] = 'application/json';
  } else if (req.body.text !== undefined) {
    payload = req.body.text;
    headers['content-type'] = 'text/plain';
  }
  return send({
    port: isAdmin ? req.ports.admin : req.ports.public,
    path: isAdmin ? req.path : `/service/api/v1${req.path}`,
    method: req.method,
    ca: req.ca,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
}
