// Starts one benchmark target in its own Node process, waits for its ready line, checks it
// answers 200 over TLS 1.3 with a verified certificate, and stops it (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { createInterface } from 'node:readline';

const READY_TIMEOUT_MS = 30_000;

export function startTarget({ script, args, nodeOptions = [] }) {
  const child = spawn(process.execPath, [...nodeOptions, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise((resolve, reject) => {
    const timer = globalThis.setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    createInterface({ input: child.stdout }).once('line', (line) => {
      globalThis.clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    exited.then((code) => reject(new Error(`${script} exited with ${code} before ready`)));
  });
  return {
    pid: child.pid,
    ready,
    async stop() {
      const killer = globalThis.setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      const code = await exited;
      globalThis.clearTimeout(killer);
      return code;
    },
  };
}

/** GET `path` once; resolves with status, TLS protocol and body. */
export function probe({ port, path, ca, headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, ca, headers, minVersion: 'TLSv1.3', agent: false },
      (res) => {
        const protocol = res.socket.getProtocol();
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, protocol, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}
