// @cryptoutil/tls public API.
export {};
