// @cryptoutil/config: the one configuration loader of the suite.
export { ConfigError, type ConfigIssue } from './config-error.js';
export { ENV_PREFIX, envNameFor, pathForEnvName } from './env-names.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { isSecret, secret } from './secret.js';
export { isSecretField } from './secret-files.js';
export { renderConfigDocs, renderConfigSection, typeName, type ConfigDocSection } from './docs.js';
export { REDACTED, redactConfig } from './redact.js';
