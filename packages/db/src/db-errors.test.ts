import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isForeignKeyViolation, isUniqueViolation, violatedConstraint } from './db-errors.js';

function sqliteError(statements: string[]): unknown {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  try {
    for (const s of statements) db.exec(s);
  } catch (err) {
    return err;
  } finally {
    db.close();
  }
  throw new Error('expected an error');
}

describe('constraint violation mapping', () => {
  const unique = sqliteError([
    'create table t (id text primary key, email text unique)',
    "insert into t values ('a', 'x')",
    "insert into t values ('b', 'x')",
  ]);
  const primaryKey = sqliteError([
    'create table t (id text primary key)',
    "insert into t values ('a')",
    "insert into t values ('a')",
  ]);
  const foreignKey = sqliteError([
    'create table p (id text primary key)',
    'create table c (p text references p(id))',
    "insert into c values ('missing')",
  ]);
  const notNull = sqliteError(['create table t (v text not null)', 'insert into t values (null)']);

  it('recognises SQLite unique and primary-key violations', () => {
    expect(isUniqueViolation(unique)).toBe(true);
    expect(isUniqueViolation(primaryKey)).toBe(true);
    expect(isForeignKeyViolation(unique)).toBe(false);
  });

  it('recognises SQLite foreign-key violations', () => {
    expect(isForeignKeyViolation(foreignKey)).toBe(true);
    expect(isUniqueViolation(foreignKey)).toBe(false);
  });

  it('leaves other constraint errors alone', () => {
    expect(isUniqueViolation(notNull)).toBe(false);
    expect(isForeignKeyViolation(notNull)).toBe(false);
  });

  it('recognises PostgreSQL SQLSTATEs and reports the constraint', () => {
    const pgUnique = Object.assign(new Error('dup'), { code: '23505', constraint: 'notes_pkey' });
    expect(isUniqueViolation(pgUnique)).toBe(true);
    expect(isForeignKeyViolation({ code: '23503' })).toBe(true);
    expect(violatedConstraint(pgUnique)).toBe('notes_pkey');
    expect(violatedConstraint(unique)).toBeUndefined();
  });

  it.each([undefined, null, 'SQLITE_CONSTRAINT_UNIQUE', { code: 23505 }, {}, new Error('x')])(
    'answers false for %j',
    (value) => {
      expect(isUniqueViolation(value)).toBe(false);
      expect(isForeignKeyViolation(value)).toBe(false);
      expect(violatedConstraint(value)).toBeUndefined();
    },
  );
});
