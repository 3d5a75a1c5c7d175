// Every KMS migration in version order (the 2xxx range); servers and `cryptoutil kms migrate`
// pass this list to runMigrations together with the barrier's.
import type { Migration } from '@cryptoutil/db';
import { createElasticKeys } from './migrations/2001-create-elastic-keys.js';
import { createMaterialKeys } from './migrations/2002-create-material-keys.js';

export const kmsMigrations: readonly Migration[] = [createElasticKeys, createMaterialKeys];
