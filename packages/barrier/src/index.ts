// @cryptoutil/barrier: encryption at rest (ARCHITECTURE §4).
export {};
