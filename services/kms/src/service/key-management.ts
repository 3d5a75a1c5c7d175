// The key lifecycle as the API offers it: elastic keys (create with their first version, list,
// get, rename, enable, disable, delete, cancel delete) and their material keys (generate,
// import, list, get, revoke). Key material is generated and sealed before the transaction
// opens (the barrier may read the same database), then rows land in one unit of work.
import { uuidv7 } from '@cryptoutil/db';
import { generateMaterial, importMaterial, type MaterialJwks } from '../crypto/index.js';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import type {
  ElasticKey,
  ElasticKeyEvent,
  ElasticKeyPage,
  ElasticKeyPatch,
  ElasticKeyQuery,
} from '../domain/elastic-key.js';
import { KmsError } from '../domain/kms-error.js';
import type { KmsStore } from '../domain/kms-store.js';
import type { MaterialKey, MaterialKeyOrigin, MaterialKeyPage } from '../domain/material-key.js';
import type { KeyResolver } from './key-resolver.js';
import type { MaterialVault } from './material-vault.js';
import { toPublic } from '../store/material-key-repo.js';

export interface CreateElasticKeyInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly algorithm: ElasticKeyAlgorithm;
  readonly versioningAllowed: boolean;
  readonly importAllowed: boolean;
}

export interface KeyManagement {
  create(tenantId: string, input: CreateElasticKeyInput): Promise<ElasticKey>;
  list(tenantId: string, query: ElasticKeyQuery): Promise<ElasticKeyPage>;
  get(tenantId: string, id: string): Promise<ElasticKey>;
  update(tenantId: string, id: string, patch: ElasticKeyPatch): Promise<ElasticKey>;
  apply(tenantId: string, id: string, event: ElasticKeyEvent): Promise<ElasticKey>;
  generateVersion(tenantId: string, id: string): Promise<MaterialKey>;
  importVersion(tenantId: string, id: string, jwk: unknown): Promise<MaterialKey>;
  listVersions(
    tenantId: string,
    id: string,
    query: { readonly pageSize?: number; readonly pageToken?: string | undefined },
  ): Promise<MaterialKeyPage>;
  getVersion(tenantId: string, id: string, kid: string): Promise<MaterialKey>;
  revokeVersion(tenantId: string, id: string, kid: string): Promise<MaterialKey>;
}

const notFound = (what: string) => new KmsError('not-found', `${what} not found`);

export function createKeyManagement(deps: {
  readonly store: KmsStore;
  readonly vault: MaterialVault;
  readonly resolver: KeyResolver;
  readonly newId?: () => string;
}): KeyManagement {
  const { store, vault, resolver } = deps;
  const newId = deps.newId ?? uuidv7;

  const sealVersion = async (
    key: Pick<ElasticKey, 'tenantId' | 'id'>,
    id: string,
    material: MaterialJwks,
    origin: MaterialKeyOrigin,
  ) => {
    const owner = { tenantId: key.tenantId, elasticKeyId: key.id, id };
    return {
      ...owner,
      origin,
      privateJwe: await vault.seal(owner, material.privateJwk),
      ...(material.publicJwk ? { publicJwk: material.publicJwk } : {}),
    };
  };

  const get = async (tenantId: string, id: string) => {
    const key = await store.elasticKeys.get(tenantId, id);
    if (!key) throw notFound('elastic key');
    return key;
  };

  /** Adds a version to an existing key, checking the rules inside the transaction. */
  async function addVersion(
    tenantId: string,
    id: string,
    origin: MaterialKeyOrigin,
    jwk?: unknown,
  ) {
    const key = await get(tenantId, id);
    const kid = newId();
    const material =
      origin === 'imported'
        ? importMaterial(key.algorithm, jwk, kid)
        : await generateMaterial(key.algorithm, kid);
    const version = await sealVersion(key, kid, material, origin);
    const created = await store.transaction(async (tx) => {
      const current = await tx.elasticKeys.get(tenantId, id);
      if (!current) throw notFound('elastic key');
      checkVersionRules(current, origin, await tx.materialKeys.count(tenantId, id));
      const inserted = await tx.materialKeys.insert(version);
      if (current.status === 'pending_import')
        await tx.elasticKeys.setStatus(tenantId, id, 'imported');
      return inserted;
    });
    resolver.invalidate(tenantId, id);
    return created;
  }

  return {
    async create(tenantId, input) {
      const id = newId();
      const draft = { ...input, tenantId, id };
      if (input.importAllowed) {
        return store.elasticKeys.create({ ...draft, status: 'pending_import' });
      }
      const kid = newId();
      const material = await generateMaterial(input.algorithm, kid);
      const version = await sealVersion({ tenantId, id }, kid, material, 'generated');
      return store.transaction(async (tx) => {
        await tx.elasticKeys.create({ ...draft, status: 'pending_generate' });
        await tx.materialKeys.insert(version);
        const active = await tx.elasticKeys.setStatus(tenantId, id, 'generated');
        return active as ElasticKey;
      });
    },
    list: (tenantId, query) => store.elasticKeys.list(tenantId, query),
    get,
    async update(tenantId, id, patch) {
      const key = await store.elasticKeys.update(tenantId, id, patch);
      if (!key) throw notFound('elastic key');
      resolver.invalidate(tenantId, id);
      return key;
    },
    async apply(tenantId, id, event) {
      const key = await store.elasticKeys.setStatus(tenantId, id, event);
      if (!key) throw notFound('elastic key');
      resolver.invalidate(tenantId, id);
      return key;
    },
    generateVersion: (tenantId, id) => addVersion(tenantId, id, 'generated'),
    importVersion: (tenantId, id, jwk) => addVersion(tenantId, id, 'imported', jwk),
    async listVersions(tenantId, id, query) {
      await get(tenantId, id);
      return store.materialKeys.list(tenantId, id, query);
    },
    async getVersion(tenantId, id, kid) {
      const version = await store.materialKeys.get(tenantId, id, kid);
      if (!version) throw notFound('material key');
      return toPublic(version);
    },
    async revokeVersion(tenantId, id, kid) {
      const revoked = await store.materialKeys.revoke(tenantId, id, kid);
      if (!revoked) throw notFound('material key');
      resolver.invalidate(tenantId, id, kid);
      return revoked;
    },
  };
}

function checkVersionRules(key: ElasticKey, origin: MaterialKeyOrigin, versions: number): void {
  if (origin === 'imported' && !key.importAllowed) {
    throw new KmsError('not-allowed', 'this elastic key does not allow import');
  }
  const expected = key.status === 'pending_import' && origin === 'imported';
  if (key.status !== 'active' && !expected) {
    throw new KmsError(
      'key-not-active',
      `cannot add a version to an elastic key that is ${key.status}`,
    );
  }
  if (versions > 0 && !key.versioningAllowed) {
    throw new KmsError('not-allowed', 'this elastic key does not allow versioning');
  }
}
