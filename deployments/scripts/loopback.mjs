// Helpers of exercise.mjs and exercise-scenarios.mjs for running cryptoutil processes on
// loopback: free ports, the CLI run to completion or kept running as a server (output to a log
// file), HTTPS calls with TLS 1.3 and the deployment's CA, plain-HTTP calls for the CA's
// revocation listener, and waiting for a condition with a deadline. Every address is 127.0.0.1;
// nothing here reaches another host.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { request as plainRequest } from 'node:http';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(root, 'packages/cli/dist/main.js');

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Runs `cryptoutil …` to its end: { code, stdout, stderr }. */
export function runCli(args, env = {}) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Starts `cryptoutil …` in the background, its output in `log`; `stop()` sends SIGTERM. */
export function startCli(args, log, env = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    exited,
    log,
    stop: (ms) => {
      child.kill('SIGTERM');
      const timeout = new Promise((done) => setTimeout(() => done('timeout'), ms).unref());
      return Promise.race([exited, timeout]).then((r) => {
        if (r === 'timeout') child.kill('SIGKILL');
        return r;
      });
    },
  };
}

/** One HTTPS request (TLS 1.3, server verified against `ca`) returning { status, json }. */
export function https({ url, method = 'GET', ca, token, body }) {
  return new Promise((done, fail) => {
    const req = request(
      url,
      {
        method,
        ca,
        minVersion: 'TLSv1.3',
        timeout: 5000,
        headers: {
          accept: 'application/json, application/problem+json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          done({ status: res.statusCode, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * One plain-HTTP request (no TLS: the CA's read-only revocation listener) returning
 * { status, type, body } with the body as bytes (a CRL, a certificate, an OCSP response).
 */
export function http({ url, method = 'GET' }) {
  return new Promise((done, fail) => {
    const req = plainRequest(url, { method, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () =>
        done({
          status: res.statusCode,
          type: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end();
  });
}

/** Polls `check` (truthy = done) every 250 ms until `ms` pass; throws `what` on timeout. */
export async function waitFor(what, ms, check) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The last lines of a log file, for a failure report. */
export function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
