// @cryptoutil/config: the one configuration loader of the suite.
export { isSecret, secret, secretRegistry, type SecretMeta } from './secret.js';
