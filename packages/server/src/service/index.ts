// Running a product on the kit: the shared config schema, the product contract and the runner.
export {
  defineProduct,
  type AnyProductDefinition,
  type ProductDefinition,
  type ServiceContext,
  type ServiceParts,
} from './product.js';
export {
  createServiceConfigSchema,
  keyCacheConfigSchema,
  type KeyCacheWords,
  type ServiceConfig,
  type ServiceConfigSchemaOptions,
} from './service-config.js';
export {
  migrateService,
  startService,
  type RunningService,
  type StartServiceOptions,
} from './start-service.js';
