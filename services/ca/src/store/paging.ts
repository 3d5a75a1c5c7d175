// Offset pages over list queries: the opaque token of @cryptoutil/db, a 400 for a token this
// service did not make, and one extra row fetched to learn whether another page follows.
import { decodePageToken, toOffsetPage } from '@cryptoutil/db';
import { CaError } from '../domain/ca-error.js';
import type { Page } from '../domain/certificate.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface PageQuery {
  readonly pageSize?: number | undefined;
  readonly pageToken?: string | undefined;
}

export function pageWindow(query: PageQuery): { size: number; offset: number } {
  const size = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (query.pageToken === undefined) return { size, offset: 0 };
  const offset = decodePageToken(query.pageToken);
  if (offset === undefined) throw new CaError('invalid-request', 'invalid page token');
  return { size, offset };
}

export function toPage<R, T>(rows: R[], size: number, offset: number, map: (r: R) => T): Page<T> {
  return toOffsetPage(rows, size, offset, map);
}

/** Bytes from a blob column (Buffer in both drivers) as a plain Uint8Array view. */
export function bytesOf(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** Bytes for a blob parameter: both drivers take a Buffer. */
export function toBlob(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
