// The side writer over a real SQLite file: JSON batches inserted by the worker's own connection
// and read by the main one, in order; an SQL error rejects that run only; closing waits for the
// runs asked for; in-memory SQLite and PostgreSQL get no side writer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from './create-database.js';
import { startSqliteSideWriter } from './sqlite-side-writer.js';

const INSERT =
  "insert into t (n, label) select json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') from json_each(?) as j";

let dir: string | undefined;
let database: Database<unknown> | undefined;
afterEach(async () => {
  await database?.destroy();
  database = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function fileDatabase() {
  dir = mkdtempSync(join(tmpdir(), 'cu-side-writer-'));
  database = createDatabase({ url: `sqlite:${join(dir, 'db.sqlite')}` });
  await sql`create table t (n integer primary key, label text not null)`.execute(database.kysely);
  return database;
}

async function rows(db: Database<unknown>) {
  const result = await sql<{ n: number; label: string }>`select n, label from t order by n`.execute(
    db.kysely,
  );
  return result.rows;
}

describe('a SQLite side writer', () => {
  it('writes each batch on its own connection; the main connection reads them at once', async () => {
    const db = await fileDatabase();
    const writer = db.sideWriter(INSERT);
    expect(writer).toBeDefined();
    await Promise.all([
      writer?.run(
        JSON.stringify([
          [1, 'a'],
          [2, 'b'],
        ]),
      ),
      writer?.run(JSON.stringify([[3, 'ü€']])),
    ]);
    expect(await rows(db)).toEqual([
      { n: 1, label: 'a' },
      { n: 2, label: 'b' },
      { n: 3, label: 'ü€' },
    ]);
  });

  it('rejects a run that fails, writes none of its rows, and keeps going', async () => {
    const db = await fileDatabase();
    const writer = db.sideWriter(INSERT);
    await writer?.run(JSON.stringify([[1, 'a']]));
    await expect(
      writer?.run(
        JSON.stringify([
          [2, 'b'],
          [1, 'again'],
        ]),
      ),
    ).rejects.toThrow(/side write failed: UNIQUE constraint failed: t\.n/);
    await expect(writer?.run('not json')).rejects.toThrow(/side write failed: malformed JSON/);
    await writer?.run(JSON.stringify([[4, 'd']]));
    expect(await rows(db)).toEqual([
      { n: 1, label: 'a' },
      { n: 4, label: 'd' },
    ]);
  });

  it('finishes the runs asked for before it closes, and refuses runs after', async () => {
    const db = await fileDatabase();
    const writer = db.sideWriter(INSERT);
    if (writer === undefined) throw new Error('a file database has a side writer');
    const runs = Array.from({ length: 20 }, (_, i) => writer.run(JSON.stringify([[i, `r${i}`]])));
    await writer.close();
    await Promise.all(runs);
    expect(await rows(db)).toHaveLength(20);
    await expect(writer.run('[]')).rejects.toThrow('the side writer is closed');
    await writer.close();
  });

  it('is closed by destroy, after its runs', async () => {
    const db = await fileDatabase();
    const writer = db.sideWriter(INSERT);
    const run = writer?.run(JSON.stringify([[7, 'g']]));
    await db.destroy();
    await run;
    await expect(writer?.run('[]')).rejects.toThrow();
    expect(db.sideWriter(INSERT)).toBeUndefined();
  });

  it('fails its runs when the file is missing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cu-side-writer-'));
    const writer = startSqliteSideWriter(join(dir, 'absent.sqlite'), INSERT);
    await expect(writer.run('[]')).rejects.toThrow();
    await writer.close();
  });

  it('is not offered for in-memory SQLite or PostgreSQL', async () => {
    database = createDatabase({ url: ':memory:' });
    expect(database.sideWriter(INSERT)).toBeUndefined();
    const postgres = createDatabase({ url: 'postgres://u@127.0.0.1:1/db' });
    expect(postgres.sideWriter(INSERT)).toBeUndefined();
    await postgres.destroy();
  });
});
