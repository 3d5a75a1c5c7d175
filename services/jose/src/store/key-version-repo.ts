// Key versions over kysely. Every statement filters on the tenant; a kid is unique per tenant,
// so `byKid` is one indexed read. The published JWKS reads active versions of published sets
// of every tenant: that is the one cross-tenant query, and it returns public JWKs only.
import { isUniqueViolation } from '@cryptoutil/db';
import type { JWK } from 'jose';
import type { Kysely, Selectable } from 'kysely';
import { JoseError } from '../domain/jose-error.js';
import type {
  KeySet,
  KeyVersion,
  SealedKeyVersion,
  StoredVersionStatus,
} from '../domain/key-set.js';
import { toKeySet, type KeySetTables } from './key-set-repo.js';

export interface KeyVersionRow {
  set_id: string;
  tenant_id: string;
  version: number;
  kid: string;
  status: string;
  public_jwk: string | null;
  private_jwe: string;
  created_at: number;
  retired_at: number | null;
}

export interface KeyVersionTables {
  jose_key_versions: KeyVersionRow;
}

type Tables = KeySetTables & KeyVersionTables;

function toSealed(r: Selectable<KeyVersionRow>): SealedKeyVersion {
  return {
    setId: r.set_id,
    tenantId: r.tenant_id,
    version: Number(r.version),
    kid: r.kid,
    status: r.status as StoredVersionStatus,
    ...(r.public_jwk === null ? {} : { publicJwk: JSON.parse(r.public_jwk) as JWK }),
    createdAt: Number(r.created_at),
    ...(r.retired_at === null ? {} : { retiredAt: Number(r.retired_at) }),
    privateJwe: r.private_jwe,
  };
}

/** The version without its private part. */
export function toPublicVersion(v: SealedKeyVersion): KeyVersion {
  const version: { -readonly [K in keyof SealedKeyVersion]?: SealedKeyVersion[K] } = { ...v };
  delete version.privateJwe;
  return version as KeyVersion;
}

/** A published key: its public JWK and the set it belongs to. */
export interface PublishedKey {
  readonly setId: string;
  readonly publicJwk: JWK;
  readonly nextRotationAt?: number;
}

export function keyVersionRepoOn(db: Kysely<Tables>) {
  const scoped = (tenantId: string, setId: string) =>
    db
      .selectFrom('jose_key_versions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('set_id', '=', setId);
  return {
    async insert(v: SealedKeyVersion): Promise<void> {
      try {
        await db
          .insertInto('jose_key_versions')
          .values({
            set_id: v.setId,
            tenant_id: v.tenantId,
            version: v.version,
            kid: v.kid,
            status: v.status,
            public_jwk: v.publicJwk === undefined ? null : JSON.stringify(v.publicJwk),
            private_jwe: v.privateJwe,
            created_at: v.createdAt,
            retired_at: null,
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new JoseError('kid-taken', 'a key version of this tenant already has that kid', {
            cause: err,
          });
        }
        throw err;
      }
    },
    async list(tenantId: string, setId: string): Promise<SealedKeyVersion[]> {
      const rows = await scoped(tenantId, setId).orderBy('version', 'desc').execute();
      return rows.map(toSealed);
    },
    async get(tenantId: string, setId: string, version: number) {
      const row = await scoped(tenantId, setId).where('version', '=', version).executeTakeFirst();
      return row && toSealed(row);
    },
    /** The version holding `kid` with its set, or undefined. */
    async byKid(
      tenantId: string,
      kid: string,
    ): Promise<{ set: KeySet; version: SealedKeyVersion } | undefined> {
      const row = await db
        .selectFrom('jose_key_versions as v')
        .innerJoin('jose_key_sets as s', 's.id', 'v.set_id')
        .selectAll('s')
        .select([
          'v.version as v_version',
          'v.kid as v_kid',
          'v.status as v_status',
          'v.public_jwk as v_public_jwk',
          'v.private_jwe as v_private_jwe',
          'v.created_at as v_created_at',
          'v.retired_at as v_retired_at',
        ])
        .where('v.tenant_id', '=', tenantId)
        .where('v.kid', '=', kid)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        set: toKeySet(row),
        version: toSealed({
          set_id: row.id,
          tenant_id: row.tenant_id,
          version: row.v_version,
          kid: row.v_kid,
          status: row.v_status,
          public_jwk: row.v_public_jwk,
          private_jwe: row.v_private_jwe,
          created_at: row.v_created_at,
          retired_at: row.v_retired_at,
        }),
      };
    },
    async retire(tenantId: string, setId: string, version: number, now: number) {
      await db
        .updateTable('jose_key_versions')
        .set({ status: 'retired', retired_at: now })
        .where('tenant_id', '=', tenantId)
        .where('set_id', '=', setId)
        .where('version', '=', version)
        .where('status', '=', 'active')
        .execute();
    },
    /** Retires active versions older than the newest `keep`; returns the versions retired. */
    async retireBeyond(tenantId: string, setId: string, keep: number, now: number) {
      const active = await scoped(tenantId, setId)
        .where('status', '=', 'active')
        .orderBy('version', 'desc')
        .execute();
      const stale = active.slice(keep).map((r) => Number(r.version));
      if (stale.length > 0) {
        await db
          .updateTable('jose_key_versions')
          .set({ status: 'retired', retired_at: now })
          .where('tenant_id', '=', tenantId)
          .where('set_id', '=', setId)
          .where('version', 'in', stale)
          .execute();
      }
      return stale;
    },
    /** Public JWKs of active versions of published sets (all tenants, or one set). */
    async published(setId?: string): Promise<PublishedKey[]> {
      let q = db
        .selectFrom('jose_key_versions as v')
        .innerJoin('jose_key_sets as s', 's.id', 'v.set_id')
        .select(['v.set_id', 'v.public_jwk', 's.next_rotation_at'])
        .where('s.publish', '=', 1)
        .where('v.status', '=', 'active')
        .where('v.public_jwk', 'is not', null);
      if (setId !== undefined) q = q.where('v.set_id', '=', setId);
      const rows = await q
        .orderBy('s.created_at')
        .orderBy('s.id')
        .orderBy('v.version', 'desc')
        .execute();
      return rows.map((r) => ({
        setId: r.set_id,
        publicJwk: JSON.parse(r.public_jwk as string) as JWK,
        ...(r.next_rotation_at === null ? {} : { nextRotationAt: Number(r.next_rotation_at) }),
      }));
    },
  };
}

export type KeyVersionRepo = ReturnType<typeof keyVersionRepoOn>;
