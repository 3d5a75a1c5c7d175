// Free loopback ports for tests that must name a port before a server binds it.
export { freePort } from '@cryptoutil/server/testing';
