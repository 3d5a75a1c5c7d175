// MaterialKeyRepo over @cryptoutil/db. Every statement filters on tenant and elastic key, so a
// kid of another elastic key or tenant is simply not found. Newest first means created_at then
// id descending: ids are UUIDv7, so versions created in the same millisecond still order.
import type { Kysely, Selectable } from 'kysely';
import { KmsError } from '../domain/kms-error.js';
import type {
  MaterialKey,
  MaterialKeyOrigin,
  MaterialKeyRepo,
  MaterialKeyStatus,
  PublicJwk,
  SealedMaterialKey,
} from '../domain/material-key.js';
import { pageSizeOf } from './elastic-key-list.js';
import { decodePageToken, encodePageToken } from './page-token.js';

export interface MaterialKeyRow {
  id: string;
  tenant_id: string;
  elastic_key_id: string;
  origin: string;
  status: string;
  public_jwk: string | null;
  private_jwe: string;
  created_at: number;
  revoked_at: number | null;
}

export interface MaterialKeyTables {
  material_keys: MaterialKeyRow;
}

function toSealed(r: Selectable<MaterialKeyRow>): SealedMaterialKey {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    elasticKeyId: r.elastic_key_id,
    origin: r.origin as MaterialKeyOrigin,
    status: r.status as MaterialKeyStatus,
    ...(r.public_jwk === null ? {} : { publicJwk: JSON.parse(r.public_jwk) as PublicJwk }),
    createdAt: Number(r.created_at),
    ...(r.revoked_at === null ? {} : { revokedAt: Number(r.revoked_at) }),
    privateJwe: r.private_jwe,
  };
}

/** The material key without its private part. */
export function toPublic(key: SealedMaterialKey): MaterialKey {
  return {
    id: key.id,
    tenantId: key.tenantId,
    elasticKeyId: key.elasticKeyId,
    origin: key.origin,
    status: key.status,
    ...(key.publicJwk === undefined ? {} : { publicJwk: key.publicJwk }),
    createdAt: key.createdAt,
    ...(key.revokedAt === undefined ? {} : { revokedAt: key.revokedAt }),
  };
}

function scoped(db: Kysely<MaterialKeyTables>, tenantId: string, elasticKeyId: string) {
  return db
    .selectFrom('material_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('elastic_key_id', '=', elasticKeyId);
}

export function materialKeyRepoOn(
  db: Kysely<MaterialKeyTables>,
  now: () => number,
): MaterialKeyRepo {
  const get = async (tenantId: string, elasticKeyId: string, id: string) => {
    const row = await scoped(db, tenantId, elasticKeyId).where('id', '=', id).executeTakeFirst();
    return row && toSealed(row);
  };
  return {
    async insert(key) {
      const row: MaterialKeyRow = {
        id: key.id,
        tenant_id: key.tenantId,
        elastic_key_id: key.elasticKeyId,
        origin: key.origin,
        status: 'active',
        public_jwk: key.publicJwk === undefined ? null : JSON.stringify(key.publicJwk),
        private_jwe: key.privateJwe,
        created_at: now(),
        revoked_at: null,
      };
      await db.insertInto('material_keys').values(row).execute();
      return toPublic(toSealed(row));
    },
    get,
    async primary(tenantId, elasticKeyId) {
      const row = await scoped(db, tenantId, elasticKeyId)
        .where('status', '=', 'active')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toSealed(row);
    },
    async list(tenantId, elasticKeyId, query = {}) {
      const size = pageSizeOf(query);
      const offset = query.pageToken === undefined ? 0 : decodePageToken(query.pageToken);
      const rows = await scoped(db, tenantId, elasticKeyId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .offset(offset)
        .execute();
      const items = rows.slice(0, size).map((r) => toPublic(toSealed(r)));
      return rows.length > size
        ? { items, nextPageToken: encodePageToken(offset + size) }
        : { items };
    },
    async count(tenantId, elasticKeyId) {
      const row = await db
        .selectFrom('material_keys')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('elastic_key_id', '=', elasticKeyId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async revoke(tenantId, elasticKeyId, id) {
      const result = await db
        .updateTable('material_keys')
        .set({ status: 'revoked', revoked_at: now() })
        .where('tenant_id', '=', tenantId)
        .where('elastic_key_id', '=', elasticKeyId)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      const key = await get(tenantId, elasticKeyId, id);
      if (!key) return undefined;
      if (result.numUpdatedRows === 0n) {
        throw new KmsError('invalid-transition', 'the material key is already revoked');
      }
      return toPublic(key);
    },
  };
}
