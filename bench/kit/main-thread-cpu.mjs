// CPU share of a target's main thread during a wrk run, from /proc (Linux). The main thread is
// the limit of every target (ARCHITECTURE §10), so a share well under 100% means it was not
// kept busy: other work on the shared 2-core box took its core, and that run's req/s is low.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

// proc(5): fields after the parenthesised command; utime and stime are fields 14 and 15.
function mainThreadTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Runs `work` and resolves with its result and the main thread's CPU share (0..1). */
export async function withMainThreadCpu(pid, work) {
  const ticks = mainThreadTicks(pid);
  const started = globalThis.performance.now();
  const result = await work();
  const seconds = (globalThis.performance.now() - started) / 1000;
  const cpu = (mainThreadTicks(pid) - ticks) / TICKS_PER_SECOND / seconds;
  return { ...result, cpu };
}
