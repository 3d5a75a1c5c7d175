import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl, isDatabaseUrl, parseDatabaseUrl } from './database-url.js';

describe('parseDatabaseUrl', () => {
  it.each([':memory:', 'sqlite::memory:'])('reads %s as an in-memory SQLite database', (url) => {
    expect(parseDatabaseUrl(url)).toEqual({
      dialect: 'sqlite',
      filename: ':memory:',
      memory: true,
    });
  });

  it.each([
    ['sqlite:./data/kms.db', './data/kms.db'],
    ['sqlite:data/kms.db', 'data/kms.db'],
    ['sqlite:///abs/path.db', '/abs/path.db'],
    ['sqlite:/abs/path.db', '/abs/path.db'],
    ['sqlite:///abs/my%20db.db', '/abs/my db.db'],
    ['SQLITE:./x.db', './x.db'],
  ])('reads %s as the SQLite file %s', (url, filename) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', filename, memory: false });
  });

  it('keeps absolute paths absolute', () => {
    const parsed = parseDatabaseUrl('sqlite:///srv/x.db');
    expect(parsed.dialect === 'sqlite' && isAbsolute(parsed.filename)).toBe(true);
  });

  it.each([
    'postgres://u:p@db.example:5432/kms',
    'postgresql://db.example/kms',
    'postgres://u@127.0.0.1:5432/postgres?sslmode=require',
    'postgres:///kms?host=/var/run/postgresql',
  ])('passes %s to pg as the connection string', (url) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
  });

  it.each([
    ['', /must be/],
    ['mysql://h/db', /must be/],
    ['./data/kms.db', /must be/],
    ['file:///var/lib/cu/kms.db', /must be/],
    ['sqlite:', /must name a file/],
    ['sqlite:./data/', /must name a file/],
    ['sqlite://host/x.db', /must not name a host/],
    ['sqlite:./x.db?mode=ro', /query parameters/],
    ['sqlite:./x.db#frag', /query parameters/],
    ['sqlite:./%E0%A4%A.db', /percent-encoding/],
    ['sqlite:./x%00.db', /NUL/],
    ['postgres:///db', /needs a host/],
    ['postgres://u:p@h:99999/db', /not a valid/],
  ])('refuses %j', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(TypeError);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
    expect(isDatabaseUrl(url)).toBe(false);
  });

  it('never echoes the refused URL in its error', () => {
    expect(() => parseDatabaseUrl('postgres://u:hunter2@h:99999/db')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});

describe('describeDatabaseUrl', () => {
  it.each([
    ['postgres://admin:hunter2@db.example:5432/kms', 'postgres://***@db.example:5432/kms'],
    ['postgresql://admin@db.example/kms', 'postgresql://***@db.example/kms'],
    ['postgres://db.example/kms?password=hunter2&sslmode=require', 'postgres://db.example/kms'],
    ['postgres:///kms?host=/run/pg&password=x', 'postgres:///run/pg/kms'],
    [':memory:', 'sqlite::memory:'],
    ['sqlite:./data/kms.db', 'sqlite:./data/kms.db'],
    ['postgres://u:hunter2@h:99999/db', '<invalid database url>'],
  ])('describes %s as %s', (url, described) => {
    expect(describeDatabaseUrl(url)).toBe(described);
    expect(describeDatabaseUrl(url)).not.toContain('hunter2');
  });
});
