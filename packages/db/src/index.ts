// @cryptoutil/db public API.
export {};
