// Each CA's revocation revision, as this instance last saw it: bumped at once by this instance's
// own revocations and polled from the database for other instances' (a one-row-per-CA read),
// so cached CRLs and OCSP responses of a CA are reused exactly until its revocations change.
import type { CaStore } from '../store/ca-store.js';

export interface Revisions {
  current(caId: string): number;
  /** Records a revision this instance just wrote. */
  observe(caId: string, revision: number): void;
  /** Reads every CA's revision; listeners hear of each one that moved. */
  poll(): Promise<void>;
  onChange(listener: (caId: string) => void): void;
}

export function createRevisions(store: CaStore): Revisions {
  const seen = new Map<string, number>();
  const listeners: ((caId: string) => void)[] = [];
  function observe(caId: string, revision: number): void {
    if ((seen.get(caId) ?? -1) >= revision) return;
    const known = seen.has(caId);
    seen.set(caId, revision);
    if (known) for (const listener of listeners) listener(caId);
  }
  return {
    current: (caId) => seen.get(caId) ?? 0,
    observe,
    async poll() {
      for (const [caId, revision] of await store.authorities.revisions()) observe(caId, revision);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
