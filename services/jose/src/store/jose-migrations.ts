// Every JOSE migration in version order (the 3xxx range); servers and `cryptoutil jose migrate`
// pass this list to runMigrations together with the barrier's.
import type { Migration } from '@cryptoutil/db';
import { createKeySets } from './migrations/3001-create-key-sets.js';
import { createKeyVersions } from './migrations/3002-create-key-versions.js';
import { createAudit } from './migrations/3003-create-audit.js';

export const joseMigrations: readonly Migration[] = [createKeySets, createKeyVersions, createAudit];
