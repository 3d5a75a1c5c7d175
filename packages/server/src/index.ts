// @cryptoutil/server: the dual-listener service kit.
export * from './problems/index.js';
