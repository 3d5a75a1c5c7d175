// V8 garbage-collector settings the services run with that NODE_OPTIONS cannot carry (Node
// refuses most V8 flags there). main.ts sets them once its modules have loaded (ES imports
// run first), before any service starts; V8 reads them at each collection.
//
// Scavenges run on the main thread alone (`--no-parallel-scavenge`). With the 2 MB semi-space
// the services ship with (packages/cli/node-options), a scavenge comes every 40-60 requests and
// copies about 100 KB; waking V8's helper threads for that, on a box whose cores are already
// shared with libuv's crypto workers, costs more than it saves. Measured in docs/performance.md
// ("Fourth follow-up"): scavenge pauses of 2.4 instead of 4.2 µs per request, JOSE sign EdDSA
// 0.91-0.93 of its ceiling instead of 0.74-0.98, KMS 0.90/0.95 instead of 0.81/0.83.
import { setFlagsFromString } from 'node:v8';

/** The V8 flags `tuneGarbageCollector` sets, in V8's own syntax. */
export const GC_FLAGS = ['--no-parallel-scavenge'] as const;

/** Sets GC_FLAGS for this process. */
export function tuneGarbageCollector(): void {
  for (const flag of GC_FLAGS) setFlagsFromString(flag);
}
