// A minimal product built only with the kit's public API, for driving `cryptoutil <product> …`
// end to end before the real products exist: one migration, one public route, one scoped
// route reading the database, and a readiness check the test can fail on purpose.
import type { Migration } from '@cryptoutil/db';
import { createServiceConfigSchema, defineProduct, ReadinessCheckError } from '@cryptoutil/server';
import { sql } from 'kysely';
import { z } from 'zod';

export const fixtureState = { ready: true };

const migrations: Migration[] = [
  {
    version: 9001,
    name: 'create-fixture-greetings',
    async up(db) {
      await db.schema
        .createTable('fixture_greetings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('fixture_greetings')
        .values({ id: 'one', text: 'hello from the database' })
        .execute();
    },
  },
];

export const fixtureProduct = defineProduct({
  name: 'fixture',
  title: 'Fixture service',
  configSchema: createServiceConfigSchema({
    publicPort: 0,
    adminPort: 0,
    extend: {
      fixture: z
        .object({ greeting: z.string().default('hello').describe('What GET /greeting answers.') })
        .prefault({})
        .describe('Fixture product settings.'),
    },
  }),
  migrations,
  createService({ config, database }) {
    return Promise.resolve({
      routes: (app, _opts, done) => {
        app.get('/greeting', { config: { public: true } }, () => ({
          greeting: config.fixture.greeting,
        }));
        app.get('/greetings/:id', { config: { scopes: ['fixture:read'] } }, async (request) => {
          const { id } = request.params as { id: string };
          const row = await sql<{
            text: string;
          }>`select text from fixture_greetings where id = ${id}`.execute(database.kysely);
          return { text: row.rows[0]?.text ?? null, tenant: request.principal?.tenant };
        });
        done();
      },
      readinessChecks: [
        {
          name: 'fixture',
          check: () =>
            fixtureState.ready
              ? Promise.resolve()
              : Promise.reject(new ReadinessCheckError('fixture not ready')),
        },
      ],
    });
  },
});
