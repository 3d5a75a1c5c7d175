// gRPC exporter options from the OTLP config: channel credentials (TLS with an optional private
// CA for https, plaintext for http) and metadata headers. The endpoint path is ignored by gRPC.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@cryptoutil/config';
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

// A missing CA file is the operator's configuration mistake: name the key, not just ENOENT.
async function readCaFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${code})`;
    throw new ConfigError([{ path: 'telemetry.otlp.caFile', message: `${why}: ${file}` }]);
  }
}

export async function createOtlpOptions(
  input: OtlpOptionsInput,
): Promise<() => OTLPGRPCExporterConfigNode> {
  const tls = new URL(input.endpoint).protocol === 'https:';
  const ca = tls && input.caFile !== undefined ? await readCaFile(input.caFile) : undefined;
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
