// What the JOSE operations take and answer: the collaborators they are built from, the caller,
// and each operation's request and result, independent of the HTTP wire shapes in routes/.
import type { ContentEncryption } from '@cryptoutil/jwa';
import type { CryptoOperationCounter } from '@cryptoutil/telemetry';
import type { X509Certificate } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Header, Serialization } from '../crypto/jose-input.js';
import type { JwtCheck } from '../crypto/jwt.js';
import type { AuditLog } from './audit-log.js';
import type { KeyRing } from './key-ring.js';

export interface OperationsOptions {
  readonly ring: KeyRing;
  readonly audit: AuditLog;
  readonly trustAnchors: readonly X509Certificate[];
  readonly maxDecompressedBytes: number;
  readonly jwt: {
    readonly defaultLifetimeSeconds: number;
    readonly maxLifetimeSeconds: number;
    readonly maxClockToleranceSeconds: number;
  };
  readonly now?: () => number;
  readonly newId: () => string;
  /** Counts operations by algorithm and outcome (absent: telemetry is off). */
  readonly metrics?: CryptoOperationCounter;
}

/** Who asks: the tenant and the audit actor (the kit's `callerOf` makes one per request). */
export type { Caller } from '@cryptoutil/server';

export interface SignRequest {
  readonly signers: readonly {
    setId: string;
    protectedHeader?: Header | undefined;
    header?: Header | undefined;
  }[];
  readonly payload: Uint8Array;
  readonly serialization: Serialization;
  readonly detached: boolean;
  readonly b64: boolean;
}

/** Members that do not apply are undefined (and absent from the JSON answer). */
export interface SignatureResult {
  readonly valid: boolean;
  readonly check?: string | undefined;
  readonly detail?: string | undefined;
  readonly alg?: string | undefined;
  readonly kid?: string | undefined;
  readonly setId?: string | undefined;
  readonly version?: number | undefined;
}

export interface VerifyRequest {
  readonly jws: unknown;
  readonly payload?: Uint8Array | undefined;
  readonly algorithms?: readonly string[] | undefined;
  readonly setId?: string | undefined;
}

/** Members that do not apply are undefined (and absent from the JSON answer). */
export interface VerifyResult {
  readonly valid: boolean;
  readonly check?: string | undefined;
  readonly detail?: string | undefined;
  readonly payload?: Uint8Array | undefined;
  /** The payload's base64url as the JWS carried it, when it did (not detached or unencoded). */
  readonly payloadBase64url?: string | undefined;
  readonly protectedHeader?: Header | undefined;
  readonly signatures: readonly SignatureResult[];
}

export interface EncryptRequest {
  readonly recipients: readonly { setId: string; header?: Header | undefined }[];
  readonly plaintext: Uint8Array;
  readonly serialization: 'compact' | 'json';
  readonly enc?: ContentEncryption | undefined;
  readonly zip: boolean;
  readonly aad?: Uint8Array | undefined;
  readonly protectedHeader?: Header | undefined;
}

export interface IssueRequest {
  readonly setId: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly iss?: string | undefined;
  readonly sub?: string | undefined;
  readonly aud?: string | readonly string[] | undefined;
  readonly lifetimeSeconds?: number | undefined;
  readonly jti?: string | undefined;
  readonly nbf?: number | undefined;
  readonly typ: string;
  readonly encryptTo?:
    { readonly setId: string; readonly enc?: ContentEncryption | undefined } | undefined;
}

export interface JwtVerifyRequest {
  readonly jwt: string;
  readonly algorithms?: readonly string[] | undefined;
  readonly issuer?: string | readonly string[] | undefined;
  readonly audience?: string | readonly string[] | undefined;
  readonly subject?: string | undefined;
  readonly typ?: string | undefined;
  readonly requiredClaims?: readonly string[] | undefined;
  readonly clockToleranceSeconds?: number | undefined;
  readonly maxTokenAgeSeconds?: number | undefined;
}

export type JwtVerifyResult =
  | {
      readonly valid: true;
      readonly claims: JWTPayload;
      readonly protectedHeader: Header;
      readonly kid?: string;
    }
  | { readonly valid: false; readonly check: JwtCheck; readonly detail: string };
