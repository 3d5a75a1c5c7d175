// CPU share of a target's main thread during a wrk run, from /proc (Linux). The main thread is
// the limit of every target (ARCHITECTURE §10), so a share well under 100% means it was not
// kept busy: other work on the shared 2-core box took its core, and that run's req/s is low.
// Also the whole process's CPU, for targets whose work leaves the main thread.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

// proc(5): fields after the parenthesised command; utime and stime are fields 14 and 15.
function ticks(statFile) {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function withCpu(statFile, work) {
  const before = ticks(statFile);
  const started = globalThis.performance.now();
  const result = await work();
  const seconds = (globalThis.performance.now() - started) / 1000;
  const cpu = (ticks(statFile) - before) / TICKS_PER_SECOND / seconds;
  return { ...result, cpu };
}

/** Runs `work` and resolves with its result and the main thread's CPU share (0..1). */
export const withMainThreadCpu = (pid, work) => withCpu(`/proc/${pid}/task/${pid}/stat`, work);

/**
 * The same for the whole process, all its threads (e.g. libuv's, which sign for WebCrypto):
 * `processCpu` may exceed 1 on a multi-core box.
 */
export async function withProcessCpu(pid, work) {
  let inner;
  const { cpu } = await withCpu(`/proc/${pid}/stat`, async () => {
    inner = await work();
    return {};
  });
  return { ...inner, processCpu: cpu };
}
