// A Node script of `pnpm bench:ca` run to completion in its own process (the in-process
// measurements: issuance ceiling, CRL build), optionally pinned to one CPU with taskset(1); it
// prints one JSON line, which this returns. Tracked by the runner's cleanup while it runs.
import { spawn } from 'node:child_process';

export function runNodeScript({ script, args, nodeOptions = [], cpu, track }) {
  const node = [...nodeOptions, script, ...args];
  const [command, argv] =
    cpu === undefined
      ? [process.execPath, node]
      : ['taskset', ['-c', String(cpu), process.execPath, ...node]];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) =>
    child.once('close', (code, signal) => resolve(signal ?? code)),
  );
  const tracked = track({
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then(async (code) => {
      await tracked.stop();
      if (code === 0) resolve(JSON.parse(output));
      else reject(new Error(`${script} ended with ${code}`));
    });
  });
}
