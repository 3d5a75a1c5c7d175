// `cryptoutil tls init`: writes a CA and server certificate set (root → intermediate → server,
// SANs localhost, 127.0.0.1, ::1 plus --name values) for `tls.mode: static` or for clients that
// need the CA (`curl --cacert <dir>/ca.pem`).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateCertificateSet, tlsConfigSchema, writeCertificateSet } from '@cryptoutil/tls';
import type { Command } from 'commander';
import { UsageError, type CliIo } from '../io.js';

interface TlsInitOptions {
  dir: string;
  name: string[];
  validityDays: number;
  force?: boolean;
}

export function registerTlsCommands(program: Command, io: CliIo): void {
  const tls = program.command('tls').description('TLS certificate tools');
  tls
    .command('init')
    .description('write a CA and server certificate set for the listeners')
    .option('--dir <dir>', 'output folder', './data/tls')
    .option(
      '--name <san>',
      'extra DNS name or IP for the server certificate (repeatable)',
      collect,
      [],
    )
    .option('--validity-days <days>', 'server certificate validity in days', toInt, 90)
    .option('--force', 'overwrite an existing set')
    .action(async (options: TlsInitOptions) => {
      const dir = resolve(io.cwd, options.dir);
      if (!options.force && existsSync(resolve(dir, 'ca.pem'))) {
        throw new UsageError(`${dir}/ca.pem exists; pass --force to replace the set`);
      }
      checkLikeTheSchema(options);
      const set = await generateCertificateSet({
        names: options.name,
        validityDays: options.validityDays,
        label: 'tls-init',
      });
      const paths = await writeCertificateSet(dir, set);
      io.stdout(
        [
          `wrote a certificate set to ${dir}`,
          ...Object.entries(paths).map(([k, v]) => `  ${k}: ${v}`),
          'use it with:',
          `  tls: { mode: static, certFile: ${paths.server}, keyFile: ${paths.serverKey}, caFile: ${paths.ca} }`,
          `  curl --cacert ${paths.ca} https://localhost:<port>/...`,
          '',
        ].join('\n'),
      );
    });
}

// The same rules as `tls.names` and `tls.validityDays` in the config (valid host names and IPs,
// at most 398 days, the CA/Browser Forum limit browsers and Apple clients enforce).
function checkLikeTheSchema(options: TlsInitOptions): void {
  const result = tlsConfigSchema.safeParse({
    mode: 'auto',
    names: options.name,
    validityDays: options.validityDays,
  });
  if (result.success) return;
  const flag = (path: PropertyKey[]) => (path[0] === 'names' ? '--name' : '--validity-days');
  throw new UsageError(result.error.issues.map((i) => `${flag(i.path)}: ${i.message}`).join('; '));
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`expected a positive whole number, got ${value}`);
  return n;
}
