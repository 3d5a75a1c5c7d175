// Opaque list page tokens for offset paging. A token carries the offset of the next page,
// base64url-encoded so clients treat it as opaque; `decodePageToken` answers undefined for a
// token this code did not make, so each service turns that into its own 400 problem.
const PREFIX = 'o:';

export function encodePageToken(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset a token carries, or undefined when it is not one of ours. */
export function decodePageToken(token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  return /^\d{1,15}$/.test(digits) ? Number(digits) : undefined;
}

/** One page of `rows` fetched with one extra row, to learn whether another page follows. */
export function toOffsetPage<R, T>(
  rows: readonly R[],
  size: number,
  offset: number,
  map: (row: R) => T,
): { items: T[]; nextPageToken?: string } {
  const items = rows.slice(0, size).map(map);
  return rows.length > size ? { items, nextPageToken: encodePageToken(offset + size) } : { items };
}
