// The KMS crypto core: material generation and BYOK import, loaded keys, JWE/JWS operations
// and data keys. Pure: jose and node:crypto only, no Fastify, kysely or storage.
export {
  DATA_KEY_ALGORITHMS,
  dataKeySpecSchema,
  fitsAlgorithm,
  generateDataKey,
  type DataKeyAlgorithm,
  type DataKeySpec,
} from './data-key.js';
export {
  decrypt,
  encryptCompact,
  encryptFlattened,
  readJweKid,
  type DecryptResult,
} from './jwe-operations.js';
export {
  readJwsKid,
  signCompact,
  signFlattened,
  verify,
  type VerifyResult,
} from './jws-operations.js';
export { toPublicJwk, type EcCurve, type KeyShape, type MaterialJwks } from '@cryptoutil/jwa';
export { loadKey, type JoseKey, type LoadedKey } from './loaded-key.js';
export { generateMaterial, materialSpec, type MaterialSpec } from './material-generation.js';
export { importMaterial, RSA_IMPORT_MAX_BITS, RSA_IMPORT_MIN_BITS } from './material-import.js';
