// @cryptoutil/kms: the key management service (ARCHITECTURE §5).
export {};
