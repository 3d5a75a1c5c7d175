// A sample store run against both dialects: the pattern every package's store tests follow.
// Notes carry tenant_id, a UUIDv7 text id, an epoch-ms bigint, JSON as text and a binary payload.
import { describeEachDialect } from '@cryptoutil/db/testing';
import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import {
  bigintType,
  binaryType,
  isForeignKeyViolation,
  isUniqueViolation,
  isUuidV7,
  runMigrations,
  uuidv7,
  type Database,
  type Migration,
} from '../src/index.js';

interface NotesDb {
  tenants: { id: string; name: string };
  notes: { tenant_id: string; id: string; created_at: number; body: string; payload: Uint8Array };
}

const migrations: Migration[] = [
  {
    version: 9001,
    name: 'create-tenants',
    up: async (db) => {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 9002,
    name: 'create-notes',
    up: async (db, dialect) => {
      await db.schema
        .createTable('notes')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', bigintType(dialect), (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('payload', binaryType(dialect), (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('notes_tenant_created')
        .on('notes')
        .columns(['tenant_id', 'created_at'])
        .execute();
    },
  },
];

interface Note {
  readonly id: string;
  readonly createdAt: number;
  readonly body: unknown;
  readonly payload: Uint8Array;
}

/** The store under test: every method takes the tenant. */
function createNotesStore(db: Kysely<NotesDb>) {
  const toNote = (r: NotesDb['notes']): Note => ({
    id: r.id,
    createdAt: r.created_at,
    body: JSON.parse(r.body) as unknown,
    payload: r.payload,
  });
  return {
    async add(tenantId: string, note: Note): Promise<void> {
      await db
        .insertInto('notes')
        .values({
          tenant_id: tenantId,
          id: note.id,
          created_at: note.createdAt,
          body: JSON.stringify(note.body),
          payload: note.payload,
        })
        .execute();
    },
    async get(tenantId: string, id: string): Promise<Note | undefined> {
      const row = await db
        .selectFrom('notes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toNote(row);
    },
    async list(tenantId: string): Promise<Note[]> {
      const rows = await db
        .selectFrom('notes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toNote);
    },
  };
}

const newNote = (body: unknown, bytes: number[]): Note => ({
  id: uuidv7(),
  createdAt: 1_700_000_000_123,
  body,
  payload: Uint8Array.from(bytes),
});

describeEachDialect('sample notes store', (ctx) => {
  let database: Database<NotesDb>;
  let store: ReturnType<typeof createNotesStore>;

  beforeAll(async () => {
    database = await ctx.createDatabase<NotesDb>();
    expect(await runMigrations(database, migrations)).toEqual({ applied: [9001, 9002] });
    await database.kysely
      .insertInto('tenants')
      .values([
        { id: 'tenant-a', name: 'A' },
        { id: 'tenant-b', name: 'B' },
      ])
      .execute();
    store = createNotesStore(database.kysely);
  });

  it('runs on the dialect in its name', () => {
    expect(database.dialect).toBe(ctx.dialect);
  });

  it('round-trips bigint as number, JSON as text and binary as equal bytes', async () => {
    const note = newNote({ title: 'héllo', tags: ['a', 'b'], n: 1.5 }, [0, 1, 127, 128, 255]);
    await store.add('tenant-a', note);
    const read = await store.get('tenant-a', note.id);
    expect(isUuidV7(read!.id)).toBe(true);
    expect(read!.createdAt).toBe(1_700_000_000_123);
    expect(typeof read!.createdAt).toBe('number');
    expect(read!.body).toEqual({ title: 'héllo', tags: ['a', 'b'], n: 1.5 });
    expect(read!.payload).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read!.payload).equals(Buffer.from([0, 1, 127, 128, 255]))).toBe(true);
  });

  it('keeps timestamps beyond 2^32 exact', async () => {
    const note = { ...newNote(null, []), createdAt: 2 ** 50 + 3 };
    await store.add('tenant-a', note);
    expect((await store.get('tenant-a', note.id))?.createdAt).toBe(2 ** 50 + 3);
  });

  it('maps a duplicate id to a unique violation', async () => {
    const note = newNote('first', [1]);
    await store.add('tenant-a', note);
    const err: unknown = await store
      .add('tenant-a', { ...note, body: 'second' })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isForeignKeyViolation(err)).toBe(false);
    expect((await store.get('tenant-a', note.id))?.body).toBe('first');
  });

  it('maps a missing tenant to a foreign-key violation', async () => {
    const err: unknown = await store
      .add('tenant-x', newNote('orphan', [2]))
      .catch((e: unknown) => e);
    expect(isForeignKeyViolation(err)).toBe(true);
    expect(isUniqueViolation(err)).toBe(false);
  });

  it('leaves nothing behind when a transaction rolls back', async () => {
    const note = newNote('rolled back', [3]);
    const failed = database.kysely.transaction().execute(async (trx) => {
      await createNotesStore(trx).add('tenant-b', note);
      expect(await createNotesStore(trx).get('tenant-b', note.id)).toBeDefined();
      throw new Error('abort');
    });
    await expect(failed).rejects.toThrow('abort');
    expect(await store.get('tenant-b', note.id)).toBeUndefined();
  });

  it('scopes every query to its tenant', async () => {
    const a = newNote('only a', [4]);
    const b = newNote('only b', [5]);
    await store.add('tenant-a', a);
    await store.add('tenant-b', b);
    expect(await store.get('tenant-b', a.id)).toBeUndefined();
    expect(await store.get('tenant-a', b.id)).toBeUndefined();
    expect((await store.list('tenant-b')).map((n) => n.body)).toEqual(['only b']);
    expect((await store.list('tenant-a')).map((n) => n.id)).toContain(a.id);
  });
});
