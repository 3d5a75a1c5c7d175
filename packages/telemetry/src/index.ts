// @cryptoutil/telemetry public API.
export {};
