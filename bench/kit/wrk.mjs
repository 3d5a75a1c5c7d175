// Runs Debian's wrk (ARCHITECTURE §9: C, light on two cores, unlike a Node load generator)
// and parses its `--latency` report into req/s and p50/p99 in milliseconds.
import { execFileSync, spawn } from 'node:child_process';

export function ensureWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // `wrk --version` exits 1 after printing its version; only a missing binary is ENOENT.
    if (error.code !== 'ENOENT') return;
    console.error('wrk is missing: apt-get install -y wrk');
    execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
  }
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(text) {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (match === null) throw new Error(`unexpected wrk latency ${text}`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

export function parseWrk(output) {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p50 = /^\s+50%\s+(\S+)$/m.exec(output);
  const p99 = /^\s+99%\s+(\S+)$/m.exec(output);
  if (rps === null || p50 === null || p99 === null) {
    throw new Error(`cannot parse wrk output:\n${output}`);
  }
  const failures = [/Non-2xx or 3xx responses: (\d+)/, /Socket errors: (.+)$/m]
    .map((pattern) => pattern.exec(output)?.[0])
    .filter((found) => found !== undefined);
  return { rps: Number(rps[1]), p50: toMs(p50[1]), p99: toMs(p99[1]), failures };
}

/**
 * One bounded wrk run: `-d` ends it, and a timer kills wrk should it hang. A Lua `script`
 * (wrk -s) gets `scriptArgs` in its init(args), e.g. to set a POST body.
 */
export function runWrk({ url, seconds, threads, connections, headers = [], script, scriptArgs }) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const header of headers) args.push('-H', header);
  if (script !== undefined) args.push('-s', script);
  args.push(url);
  if (scriptArgs !== undefined) args.push('--', ...scriptArgs);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const timer = globalThis.setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.once('error', reject);
    child.once('close', (code) => {
      globalThis.clearTimeout(timer);
      if (code === 0) resolve(parseWrk(output));
      else reject(new Error(`wrk exited with ${code}:\n${output}`));
    });
  });
}
