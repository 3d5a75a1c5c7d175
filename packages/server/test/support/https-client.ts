// Re-export: the client moved to @cryptoutil/server/testing so product tests share it.
export * from '../../src/testing/https-client.js';
