// A fresh PostgreSQL database per product benchmark run (`bench_<product>_<pid>`), created and
// dropped through the admin URL with the `pg` the suite itself uses. The drop forces out leftover
// connections (PostgreSQL 13+), so a service killed mid-run cannot keep the database alive.
import { URL } from 'node:url';
import { dependencyOf } from './deps.mjs';

async function withClient(adminUrl, work) {
  const { default: pg } = await dependencyOf('db', 'pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` (a plain identifier) and returns a URL naming it. */
export async function createDatabase(adminUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

export async function dropDatabase(adminUrl, name) {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  );
}
