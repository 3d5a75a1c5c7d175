// @cryptoutil/cli public API.
export {};
