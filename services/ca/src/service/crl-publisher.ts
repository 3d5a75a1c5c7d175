// The CRLs of every CA with a key (RFC 5280 §5): a full CRL, and for issuing CAs one CRL per
// distribution-point partition (the partition of a certificate's serial, named by its CRLDP, so
// a relying party downloads a small CRL). Each is generated on first request, kept until its
// CA's revocations change or it nears its nextUpdate, and regenerated at once when they change
// (issue 5: "regenerated at once on revocation and on a schedule"). Every generation takes the
// CA's next CRL number from the database, so numbers only grow, across instances too.
import { buildCrl } from '../crypto/crl.js';
import { CaError } from '../domain/ca-error.js';
import type { CaStore } from '../store/ca-store.js';
import type { Hierarchy } from './hierarchy.js';
import type { Revisions } from './revisions.js';
import type { CaUrls } from './ca-urls.js';

export interface PublishedCrl {
  readonly der: Uint8Array;
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

export interface CrlPublisher {
  /** The CA's full CRL, or one partition's; CaError not-found for an unknown CA or partition. */
  get(caId: string, partition?: number): Promise<PublishedCrl>;
  /** Regenerates the CRLs of `caId` that were ever served; called when its revocations change. */
  regenerate(caId: string): Promise<void>;
  /** Regenerates every served CRL whose refresh time has come. */
  refreshDue(): Promise<number>;
}

export interface CrlPublisherOptions {
  readonly store: CaStore;
  readonly hierarchy: Hierarchy;
  readonly revisions: Revisions;
  readonly urls: CaUrls;
  readonly partitions: number;
  readonly validityHours: number;
  readonly refreshBeforeHours: number;
  readonly now?: () => number;
}

interface Entry {
  readonly caId: string;
  readonly partition: number | undefined;
  revision: number;
  crl: Promise<PublishedCrl>;
  refreshAt: number;
}

const HOUR_MS = 3_600_000;

export function createCrlPublisher(options: CrlPublisherOptions): CrlPublisher {
  const { store, hierarchy, revisions, urls } = options;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const keyOf = (caId: string, partition: number | undefined) => `${caId}/${partition ?? 'full'}`;

  async function generate(caId: string, partition: number | undefined): Promise<PublishedCrl> {
    const authority = hierarchy.get(caId);
    const issuer = await authority.signer();
    const revoked = await store.certificates.revokedOf(caId, partition);
    const crlNumber = await store.authorities.nextCrlNumber(caId);
    const thisUpdate = new Date(Math.floor(now() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + options.validityHours * HOUR_MS);
    const der = await buildCrl({
      issuer,
      crlNumber,
      thisUpdate,
      nextUpdate,
      entries: revoked,
      ...(partition === undefined ? {} : { distributionPoint: urls.crlPartition(caId, partition) }),
    });
    return { der, crlNumber, thisUpdate, nextUpdate };
  }

  function start(entry: Entry): void {
    entry.revision = revisions.current(entry.caId);
    const crl = generate(entry.caId, entry.partition);
    entry.crl = crl;
    entry.refreshAt = Infinity;
    crl.then(
      ({ nextUpdate }) => {
        entry.refreshAt = nextUpdate.getTime() - options.refreshBeforeHours * HOUR_MS;
      },
      () => {
        // A failed generation (sealed barrier, database down) is retried by the next request.
        if (entries.get(keyOf(entry.caId, entry.partition)) === entry) {
          entries.delete(keyOf(entry.caId, entry.partition));
        }
      },
    );
  }

  function stale(entry: Entry): boolean {
    return entry.revision !== revisions.current(entry.caId) || now() >= entry.refreshAt;
  }

  /** Brings every served CRL of `caId` up to its revision, and waits for all of them. */
  async function regenerate(caId: string): Promise<void> {
    const pending: Promise<PublishedCrl>[] = [];
    for (const entry of entries.values()) {
      if (entry.caId !== caId) continue;
      // Already started for this revision (e.g. by the revision listener): wait for that one.
      if (entry.revision !== revisions.current(caId)) start(entry);
      pending.push(entry.crl);
    }
    await Promise.allSettled(pending);
  }
  revisions.onChange((caId) => void regenerate(caId));

  return {
    async get(caId, partition) {
      const authority = hierarchy.get(caId);
      if (partition !== undefined && (!authority.issuing || partition >= options.partitions)) {
        throw new CaError('not-found', `CA ${caId} has no CRL partition ${partition}`);
      }
      const key = keyOf(caId, partition);
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = {
          caId,
          partition,
          revision: 0,
          crl: Promise.resolve(undefined as never),
          refreshAt: 0,
        };
        entries.set(key, entry);
        start(entry);
      } else if (stale(entry)) {
        start(entry);
      }
      return await entry.crl;
    },
    regenerate,
    async refreshDue() {
      let count = 0;
      for (const entry of entries.values()) {
        if (!stale(entry)) continue;
        start(entry);
        count += 1;
        await entry.crl.catch(() => undefined);
      }
      return count;
    },
  };
}
