// gRPC exporter options from the OTLP config: channel credentials (TLS with an optional private
// CA for https, plaintext for http) and metadata headers. The endpoint path is ignored by gRPC.
import { readFile } from 'node:fs/promises';
import {
  createEmptyMetadata,
  createInsecureCredentials,
  createSslCredentials,
  type OTLPGRPCExporterConfigNode,
} from '@opentelemetry/otlp-grpc-exporter-base';

export interface OtlpOptionsInput {
  endpoint: string;
  caFile?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
}

export async function createOtlpOptions(
  input: OtlpOptionsInput,
): Promise<() => OTLPGRPCExporterConfigNode> {
  const tls = new URL(input.endpoint).protocol === 'https:';
  const ca = tls && input.caFile !== undefined ? await readFile(input.caFile) : undefined;
  // One fresh options object per exporter: exporters own their metadata and channel.
  return () => {
    const metadata = createEmptyMetadata();
    for (const [name, value] of Object.entries(input.headers ?? {})) {
      metadata.set(name.toLowerCase(), value);
    }
    return {
      url: input.endpoint,
      credentials: tls ? createSslCredentials(ca) : createInsecureCredentials(),
      metadata,
    };
  };
}
