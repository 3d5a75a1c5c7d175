// Listing elastic keys: filters, sort with an id tie-break, and offset page tokens. Shared
// page-size rules for every KMS list.
import type { Kysely } from 'kysely';
import type { ElasticKey, ElasticKeyQuery } from '../domain/elastic-key.js';
import { toKey, type ElasticKeyTables } from './elastic-key-row.js';
import { decodePageToken, encodePageToken } from './page-token.js';

const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function pageSizeOf(query: ElasticKeyQuery): number {
  const size = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new TypeError(`pageSize must be an integer in 1..${MAX_PAGE_SIZE}`);
  }
  return size;
}

export async function listKeys(
  db: Kysely<ElasticKeyTables>,
  tenantId: string,
  query: ElasticKeyQuery,
): Promise<{ items: ElasticKey[]; nextPageToken?: string }> {
  const size = pageSizeOf(query);
  const offset = query.pageToken === undefined ? 0 : decodePageToken(query.pageToken);
  const order = query.order ?? 'asc';
  let q = db.selectFrom('elastic_keys').selectAll().where('tenant_id', '=', tenantId);
  // An empty filter list matches nothing, as `IN ()` would; kysely refuses to emit it.
  const filters = [
    ['id', query.ids],
    ['name', query.names],
    ['algorithm', query.algorithms],
    ['status', query.statuses],
  ] as const;
  for (const [column, values] of filters) {
    if (values === undefined) continue;
    if (values.length === 0) return { items: [] };
    q = q.where(column, 'in', [...values]);
  }
  const rows = await q
    .orderBy(query.sort ?? 'created_at', order)
    .orderBy('id', order)
    .limit(size + 1)
    .offset(offset)
    .execute();
  const items = rows.slice(0, size).map(toKey);
  return rows.length > size ? { items, nextPageToken: encodePageToken(offset + size) } : { items };
}
