// Dual-dialect test helper (see README of @cryptoutil/db).
export {};
