// The suite's version, reported by `cryptoutil --version` and as the OpenTelemetry
// service.version of every product.
export const CLI_VERSION = '0.1.0';
