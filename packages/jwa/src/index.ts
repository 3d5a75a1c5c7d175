// JSON Web Algorithms for every product: the algorithm lists, key shapes, key generation, BYOK
// validation and loading JWKs into the CryptoKeys jose uses. Pure: jose and node:crypto only.
export * from './algorithms.js';
export * from './key-consistency.js';
export * from './key-import.js';
export * from './key-shape.js';
export * from './load-key.js';
export * from './jose-header.js';
