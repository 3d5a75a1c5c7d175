// @cryptoutil/server public API.
export {};
