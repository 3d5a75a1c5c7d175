// JWK set management: create (generated or BYOK), read, update, delete, rotate (manual and
// scheduled) and retire versions. Key material is generated and sealed before the transaction
// opens (the barrier may read the same database); each write, with its audit record, is one
// unit of work. Rotation moves the set's current version by compare-and-set, so of two
// instances rotating one set at once, one wins and the other learns it lost.
import { uuidv7 } from '@cryptoutil/db';
import {
  describeShape,
  generateShape,
  importPrivateJwk,
  KeyImportError,
  shapeFits,
  type KeyShape,
  type MaterialJwks,
} from '@cryptoutil/jwa';
import { calculateJwkThumbprint, calculateJwkThumbprintUri, type JWK } from 'jose';
import type { AuditActor } from '../domain/audit.js';
import { JoseError } from '../domain/jose-error.js';
import {
  partsOf,
  resolveSpec,
  type KeySet,
  type KeySetPatch,
  type KeySetSpec,
  type KeySetSpecInput,
  type KeyVersion,
  type KidFormat,
  type Page,
  type PageQuery,
} from '../domain/key-set.js';
import type { JoseStore } from '../store/jose-store.js';
import { toPublicVersion } from '../store/key-version-repo.js';
import type { AuditLog } from './audit-log.js';
import type { KeyRing } from './key-ring.js';
import type { KeyVault } from './key-vault.js';

export interface CreateKeySet extends KeySetSpecInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly kidFormat?: KidFormat | undefined;
  readonly maxVersions?: number | undefined;
  readonly rotationPeriodSeconds?: number | undefined;
  readonly publish?: boolean | undefined;
  /** BYOK: the private JWK of version 1. */
  readonly jwk?: unknown;
}

export interface KeySetsOptions {
  readonly store: JoseStore;
  readonly vault: KeyVault;
  readonly ring: KeyRing;
  readonly audit: AuditLog;
  readonly now?: () => number;
}

export const DEFAULT_MAX_VERSIONS = 3;
/** Attempts of a manual rotation that keeps losing the compare-and-set to other writers. */
const ROTATE_ATTEMPTS = 3;

/** The shape of a validated private JWK. */
function shapeOfJwk(jwk: JWK): KeyShape {
  if (jwk.kty === 'RSA')
    return { kty: 'RSA', size: Buffer.from(jwk.n ?? '', 'base64url').length * 8 };
  if (jwk.kty === 'oct')
    return { kty: 'oct', size: Buffer.from(jwk.k ?? '', 'base64url').length * 8 };
  // importPrivateJwk admits nothing else than RSA, oct, EC and OKP.
  return { kty: jwk.kty, crv: jwk.crv } as KeyShape;
}

/** The shape an import must have, in words: exact when the set pins the size or curve. */
function expectedShape(shape: KeyShape, input: Partial<KeySetSpecInput>): string {
  if (shape.kty === 'RSA') {
    return input.size === undefined
      ? 'an RSA key of 2048 bits or more'
      : `an RSA key of ${input.size} bits`;
  }
  return describeShape(shape).replace(' private', '');
}

function importFor(spec: KeySetSpec, input: Partial<KeySetSpecInput>, jwk: unknown): MaterialJwks {
  const parts = partsOf(spec);
  const pinned = (shape: KeyShape) =>
    (input.kty === undefined || input.kty === shape.kty) &&
    (input.size === undefined || ('size' in shape && input.size === shape.size)) &&
    (input.crv === undefined || ('crv' in shape && input.crv === shape.crv));
  try {
    return importPrivateJwk(jwk, {
      accepts: (shape) => shapeFits(shape, parts) && pinned(shape),
      wrongShape: `a key for ${spec.alg} must be ${expectedShape(spec.shape, input)}`,
      label: `a key for ${spec.alg}`,
    });
  } catch (err) {
    if (err instanceof KeyImportError) throw new JoseError('invalid-key-material', err.message);
    throw err;
  }
}

/** The kid an imported JWK brings, for kidFormat `jwk`; refused when it has none usable. */
function importedKid(jwk: unknown): string {
  const kid = (jwk as { kid?: unknown }).kid;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256) {
    throw new JoseError(
      'invalid-key-material',
      'kidFormat jwk needs a kid of 1 to 256 characters in the JWK',
    );
  }
  return kid;
}

/** Material for a version: the bare JWKs and, for kidFormat `jwk`, the kid the caller gave. */
interface Material extends MaterialJwks {
  readonly kid?: string;
}

async function kidFor(format: KidFormat, made: Material): Promise<string> {
  const { publicJwk } = made;
  // A jwk-format set keeps imported kids; a version it generates itself gets a UUIDv7.
  if (format === 'jwk') return made.kid ?? uuidv7();
  if (format === 'uuid' || publicJwk === undefined) return uuidv7();
  return format === 'thumbprint'
    ? calculateJwkThumbprint(publicJwk, 'sha256')
    : calculateJwkThumbprintUri(publicJwk, 'sha256');
}

function stamp(jwk: JWK, spec: KeySetSpec, kid: string): JWK {
  return { ...jwk, kid, alg: spec.alg, use: spec.use };
}

export function createKeySets(options: KeySetsOptions) {
  const { store, vault, ring, audit } = options;
  const now = options.now ?? Date.now;

  async function get(tenantId: string, id: string): Promise<KeySet> {
    const set = await store.sets.get(tenantId, id);
    if (!set) throw new JoseError('not-found', 'JWK set not found');
    return set;
  }

  /** New material for `set`'s next version: generated, or the caller's JWK validated. */
  async function material(
    spec: KeySetSpec,
    kidFormat: KidFormat,
    jwk: unknown,
    input: Partial<KeySetSpecInput> = {},
  ): Promise<Material> {
    if (jwk === undefined) return generateShape(spec.shape);
    const made = importFor(spec, input, jwk);
    return kidFormat === 'jwk' ? { ...made, kid: importedKid(jwk) } : made;
  }

  async function sealVersion(
    tenantId: string,
    setId: string,
    version: number,
    spec: KeySetSpec,
    kidFormat: KidFormat,
    made: Material,
  ) {
    const kid = await kidFor(kidFormat, made);
    const privateJwk = stamp(made.privateJwk, spec, kid);
    const privateJwe = await vault.seal({ tenantId, setId, version }, privateJwk);
    return {
      setId,
      tenantId,
      version,
      kid,
      status: 'active' as const,
      ...(made.publicJwk === undefined ? {} : { publicJwk: stamp(made.publicJwk, spec, kid) }),
      createdAt: now(),
      privateJwe,
    };
  }

  /** Audit records for versions retired because a set keeps at most maxVersions. */
  async function recordRetired(
    unit: JoseStore,
    actor: AuditActor,
    set: KeySet,
    versions: readonly number[],
  ): Promise<void> {
    for (const version of versions) {
      await audit.recordIn(unit, set.tenantId, actor, {
        operation: 'retire',
        outcome: 'success',
        setId: set.id,
        version,
      });
    }
  }

  async function versionOf(tenantId: string, id: string, version: number) {
    const set = await get(tenantId, id);
    const found = await store.versions.get(tenantId, id, version);
    if (!found) throw new JoseError('not-found', 'version not found');
    return { set, version: toPublicVersion(found) };
  }

  async function versionsOf(tenantId: string, id: string) {
    const set = await get(tenantId, id);
    const versions = await store.versions.list(tenantId, id);
    return { set, versions: versions.map(toPublicVersion) };
  }

  async function rotateOnce(
    actor: AuditActor,
    set: KeySet,
    jwk: unknown,
  ): Promise<KeyVersion | undefined> {
    const next = set.currentVersion + 1;
    const made = await material(set.spec, set.kidFormat, jwk, shapeInput(set.spec.shape));
    const sealed = await sealVersion(set.tenantId, set.id, next, set.spec, set.kidFormat, made);
    const moved = await store.transaction(async (unit) => {
      if (!(await unit.sets.advance(set, set.currentVersion, next, sealed.kid, sealed.createdAt))) {
        return false;
      }
      await unit.versions.insert(sealed);
      const retired = await unit.versions.retireBeyond(
        set.tenantId,
        set.id,
        set.maxVersions,
        sealed.createdAt,
      );
      await audit.recordIn(unit, set.tenantId, actor, {
        operation: 'rotate',
        outcome: 'success',
        setId: set.id,
        version: next,
        kid: sealed.kid,
      });
      await recordRetired(unit, actor, set, retired);
      return true;
    });
    ring.invalidate();
    return moved ? toPublicVersion(sealed) : undefined;
  }

  return {
    async create(tenantId: string, actor: AuditActor, input: CreateKeySet): Promise<KeySet> {
      let spec = resolveSpec(input);
      const kidFormat = input.kidFormat ?? 'uuid';
      const symmetric = spec.shape.kty === 'oct';
      if (kidFormat === 'jwk' && input.jwk === undefined) {
        throw new JoseError(
          'invalid-key-spec',
          'kidFormat jwk keeps the kid of an imported key: give jwk',
        );
      }
      if (symmetric && kidFormat.startsWith('thumbprint')) {
        throw new JoseError(
          'invalid-key-spec',
          'thumbprint kids are for asymmetric sets: the thumbprint of a secret key is a hash of it',
        );
      }
      if (symmetric && input.publish === true) {
        throw new JoseError('invalid-key-spec', 'an oct set has no public key to publish');
      }
      const made = await material(spec, kidFormat, input.jwk, input);
      if (input.jwk !== undefined) spec = { ...spec, shape: shapeOfJwk(made.privateJwk) };
      const id = uuidv7();
      const sealed = await sealVersion(tenantId, id, 1, spec, kidFormat, made);
      const at = sealed.createdAt;
      const set: KeySet = {
        id,
        tenantId,
        name: input.name,
        description: input.description ?? '',
        spec,
        kidFormat,
        maxVersions: input.maxVersions ?? DEFAULT_MAX_VERSIONS,
        ...(input.rotationPeriodSeconds === undefined
          ? {}
          : { rotationPeriodSeconds: input.rotationPeriodSeconds }),
        publish: input.publish ?? !symmetric,
        currentVersion: 1,
        currentKid: sealed.kid,
        createdAt: at,
        updatedAt: at,
        rotatedAt: at,
      };
      await store.transaction(async (unit) => {
        await unit.sets.insert(set);
        await unit.versions.insert(sealed);
        await audit.recordIn(unit, tenantId, actor, {
          operation: 'create',
          outcome: 'success',
          setId: id,
          version: 1,
          kid: sealed.kid,
        });
      });
      return set;
    },
    get,
    list(tenantId: string, query: PageQuery): Promise<Page<KeySet>> {
      return store.sets.list(tenantId, query);
    },
    async update(tenantId: string, actor: AuditActor, id: string, patch: KeySetPatch) {
      const set = await get(tenantId, id);
      if (patch.publish === true && set.spec.shape.kty === 'oct') {
        throw new JoseError('invalid-key-spec', 'an oct set has no public key to publish');
      }
      const updated = await store.transaction(async (unit) => {
        const next = await unit.sets.update(set, patch, now());
        await audit.recordIn(unit, tenantId, actor, {
          operation: 'update',
          outcome: 'success',
          setId: id,
        });
        if (patch.maxVersions !== undefined) {
          const retired = await unit.versions.retireBeyond(tenantId, id, patch.maxVersions, now());
          await recordRetired(unit, actor, set, retired);
        }
        return next;
      });
      ring.invalidate();
      return updated;
    },
    async delete(tenantId: string, actor: AuditActor, id: string): Promise<void> {
      const versions = await store.versions.list(tenantId, id);
      const deleted = await store.transaction(async (unit) => {
        if (!(await unit.sets.delete(tenantId, id))) return false;
        await audit.recordIn(unit, tenantId, actor, {
          operation: 'delete',
          outcome: 'success',
          setId: id,
        });
        return true;
      });
      if (!deleted) throw new JoseError('not-found', 'JWK set not found');
      vault.forget(
        id,
        versions.map((v) => v.version),
      );
      ring.invalidate();
    },
    /** A new current version, generated or imported (`jwk`). */
    async rotate(tenantId: string, actor: AuditActor, id: string, jwk?: unknown) {
      for (let attempt = 1; ; attempt += 1) {
        const set = await get(tenantId, id);
        const version = await rotateOnce(actor, set, jwk);
        if (version) return version;
        if (attempt >= ROTATE_ATTEMPTS) {
          throw new JoseError('not-allowed', 'the set is being rotated by another writer: retry');
        }
      }
    },
    /** Rotates every set whose period has passed; returns how many this instance rotated. */
    async rotateDue(limit = 100): Promise<number> {
      let rotated = 0;
      for (const due of await store.sets.due(now(), limit)) {
        const set = await store.sets.get(due.tenantId, due.id);
        // Another instance may have rotated it since the query: the CAS decides.
        if (!set || set.currentVersion !== due.currentVersion) continue;
        const actor = { subject: 'scheduler', method: 'system' };
        if (await rotateOnce(actor, set, undefined)) rotated += 1;
      }
      return rotated;
    },
    versions: versionsOf,
    version: versionOf,
    async retire(tenantId: string, actor: AuditActor, id: string, version: number) {
      const { set, version: found } = await versionOf(tenantId, id, version);
      if (found.status === 'retired') return { set, version: found };
      if (version === set.currentVersion) {
        throw new JoseError('not-allowed', 'the current version cannot be retired: rotate first');
      }
      await store.transaction(async (unit) => {
        await unit.versions.retire(tenantId, id, version, now());
        await audit.recordIn(unit, tenantId, actor, {
          operation: 'retire',
          outcome: 'success',
          setId: id,
          version,
          kid: found.kid,
        });
      });
      ring.invalidate();
      return versionOf(tenantId, id, version);
    },
    /** The set's public keys (current and previous versions). */
    async publicJwks(tenantId: string, id: string): Promise<JWK[]> {
      const { versions } = await versionsOf(tenantId, id);
      return versions
        .filter((v) => v.status === 'active' && v.publicJwk !== undefined)
        .map((v) => v.publicJwk as JWK);
    },
  };
}

function shapeInput(shape: KeyShape): Partial<KeySetSpecInput> {
  return shape.kty === 'EC' || shape.kty === 'OKP'
    ? { kty: shape.kty, crv: shape.crv }
    : { kty: shape.kty, size: shape.size };
}

export type KeySets = ReturnType<typeof createKeySets>;
