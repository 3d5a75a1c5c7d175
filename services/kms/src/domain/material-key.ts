// The material key: one version of an elastic key's key material (ARCHITECTURE §5). Its id is
// the JOSE `kid` that JWE/JWS headers carry, so an old version keeps decrypting and verifying
// after rotation. The newest active version is the primary one, used to encrypt and sign.
// Pure: the repository interface here is implemented by src/store with kysely.

export const MATERIAL_KEY_STATUSES = ['active', 'revoked'] as const;
export type MaterialKeyStatus = (typeof MATERIAL_KEY_STATUSES)[number];

export const MATERIAL_KEY_ORIGINS = ['generated', 'imported'] as const;
export type MaterialKeyOrigin = (typeof MATERIAL_KEY_ORIGINS)[number];

/** A public JWK (RFC 7517) as stored: only public members. */
export type PublicJwk = Readonly<Record<string, unknown>>;

export interface MaterialKey {
  /** UUIDv7; the `kid`. */
  readonly id: string;
  readonly tenantId: string;
  readonly elasticKeyId: string;
  readonly origin: MaterialKeyOrigin;
  readonly status: MaterialKeyStatus;
  /** Asymmetric keys only. */
  readonly publicJwk?: PublicJwk;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly revokedAt?: number;
}

/** A material key with its private part, a barrier JWE; never leaves the service. */
export interface SealedMaterialKey extends MaterialKey {
  readonly privateJwe: string;
}

export interface NewMaterialKey {
  /** Chosen by the caller, because the barrier AAD of the private part names it. */
  readonly id: string;
  readonly tenantId: string;
  readonly elasticKeyId: string;
  readonly origin: MaterialKeyOrigin;
  readonly publicJwk?: PublicJwk;
  readonly privateJwe: string;
}

export interface MaterialKeyPage {
  readonly items: readonly MaterialKey[];
  readonly nextPageToken?: string;
}

/** Storage of material keys; every method is tenant-scoped like ElasticKeyRepo. */
export interface MaterialKeyRepo {
  insert(key: NewMaterialKey): Promise<MaterialKey>;
  get(tenantId: string, elasticKeyId: string, id: string): Promise<SealedMaterialKey | undefined>;
  /** The newest active version, or undefined when none is active. */
  primary(tenantId: string, elasticKeyId: string): Promise<SealedMaterialKey | undefined>;
  /** Newest first. */
  list(
    tenantId: string,
    elasticKeyId: string,
    query?: { readonly pageSize?: number; readonly pageToken?: string | undefined },
  ): Promise<MaterialKeyPage>;
  count(tenantId: string, elasticKeyId: string): Promise<number>;
  /**
   * Marks an active version revoked; returns undefined when it does not exist and throws
   * KmsError `invalid-transition` when it is already revoked.
   */
  revoke(tenantId: string, elasticKeyId: string, id: string): Promise<MaterialKey | undefined>;
}

/** The additional authenticated data binding a private part to its owner and version. */
export function materialAad(key: {
  readonly tenantId: string;
  readonly elasticKeyId: string;
  readonly id: string;
}): Uint8Array {
  return new TextEncoder().encode(`kms-material:${key.tenantId}:${key.elasticKeyId}:${key.id}`);
}
