// Every CA migration in version order (the 4xxx range); servers and `cryptoutil ca migrate`
// pass this list to runMigrations together with the barrier's.
import type { Migration } from '@cryptoutil/db';
import { createAuthorities } from './migrations/4001-create-authorities.js';
import { createCertificates } from './migrations/4002-create-certificates.js';
import { createAudit } from './migrations/4003-create-audit.js';

export const caMigrations: readonly Migration[] = [
  createAuthorities,
  createCertificates,
  createAudit,
];
