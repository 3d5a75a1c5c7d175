// `cryptoutil ca init` and `cryptoutil ca sign-csr`: the offline-root ceremony (issue 5). `init`
// writes a self-signed root, its key (to take offline), and an intermediate key with a CSR asking
// for CA:TRUE; `sign-csr` is the root signing that CSR, on the offline machine. The CA server then
// imports the root without its key and the intermediate with its key (`ca.hierarchy[].import`).
// Keys are written 0600 in a 0700 folder, and no file is ever overwritten.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CEREMONY_KEYS,
  ceremonyHierarchy,
  createCeremony,
  isCaError,
  signCaCsr,
  type CeremonyKey,
} from '@cryptoutil/ca';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError, type CliIo } from '../io.js';

interface InitOptions {
  out: string;
  subject: string;
  intermediateSubject: string;
  key: CeremonyKey;
  validityDays: number;
}

interface SignOptions {
  caCert: string;
  caKey: string;
  csr: string;
  out: string;
  validityDays: number;
  pathLength: number;
  baseUrl?: string;
  rootId: string;
}

const FILES = {
  root: 'root.pem',
  rootKey: 'root-key.pem',
  intermediateKey: 'intermediate-key.pem',
  csr: 'intermediate.csr',
  intermediate: 'intermediate.pem',
} as const;

/** A commander argument parser for a whole number in [min, max]. */
function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

/** Runs a ceremony step; what the operator got wrong (a CaError) is a usage error, exit 2. */
async function ceremonyStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (isCaError(err)) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}

function readInput(io: CliIo, flag: string, file: string): Buffer {
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch {
    throw new UsageError(`${flag}: cannot read ${resolve(io.cwd, file)}`);
  }
}

function refuseExisting(paths: readonly string[]): void {
  const existing = paths.filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new UsageError(`refusing to overwrite ${existing.join(', ')}`);
  }
}

/** `wx`: fails rather than replace a file created since the check. */
function writeNew(path: string, text: string, mode: number): void {
  writeFileSync(path, text, { mode, flag: 'wx' });
}

export function registerCaCeremonyCommands(program: Command, io: CliIo): void {
  const ca =
    program.commands.find((command) => command.name() === 'ca') ??
    program.command('ca').description('certificate authority tools');
  ca.command('init')
    .description('make an offline root CA and an intermediate key and CSR for it to sign')
    .requiredOption(
      '--out <dir>',
      'output folder (created 0700; existing files are never replaced)',
    )
    .option('--subject <dn>', 'root CA subject, RFC 4514', 'CN=cryptoutil Root CA')
    .option(
      '--intermediate-subject <dn>',
      'intermediate (issuing) CA subject, RFC 4514',
      'CN=cryptoutil Issuing CA',
    )
    .addOption(
      new Option('--key <type>', 'key type of both CAs')
        .choices(Object.keys(CEREMONY_KEYS))
        .default('ec-p384'),
    )
    .option('--validity-days <days>', 'root certificate validity', wholeNumber(1, 36_500), 7300)
    .action(async (options: InitOptions) => {
      const dir = resolve(io.cwd, options.out);
      const path = (name: string) => join(dir, name);
      const outputs = [FILES.root, FILES.rootKey, FILES.intermediateKey, FILES.csr].map(path);
      refuseExisting(outputs);
      const files = await ceremonyStep('ca init', () =>
        createCeremony({
          rootSubject: options.subject,
          intermediateSubject: options.intermediateSubject,
          key: options.key,
          validityDays: options.validityDays,
        }),
      );
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeNew(path(FILES.root), files.rootCertificatePem, 0o644);
      writeNew(path(FILES.rootKey), files.rootKeyPem, 0o600);
      writeNew(path(FILES.intermediateKey), files.intermediateKeyPem, 0o600);
      writeNew(path(FILES.csr), files.intermediateCsrPem, 0o644);
      io.stdout(initReport(dir, options));
    });
  ca.command('sign-csr')
    .description('sign an intermediate CA CSR with the offline root (the ceremony signing step)')
    .requiredOption('--ca-cert <file>', 'the signing (root) CA certificate, PEM')
    .requiredOption('--ca-key <file>', 'its PKCS#8 private key, PEM')
    .requiredOption('--csr <file>', 'the intermediate CA CSR (from `ca init`), PEM or DER')
    .requiredOption('--out <file>', 'where to write the signed intermediate certificate (PEM)')
    .option('--validity-days <days>', 'intermediate validity', wholeNumber(1, 36_500), 1825)
    .option('--path-length <n>', 'basicConstraints pathLenConstraint', wholeNumber(0, 10), 0)
    .option(
      '--base-url <url>',
      'the CA server revocation base URL (ca.revocation.baseUrl): adds AIA caIssuers and CRLDP',
    )
    .option('--root-id <id>', 'the signing CA id in the server ca.hierarchy', 'root')
    .action(async (options: SignOptions) => {
      const out = resolve(io.cwd, options.out);
      refuseExisting([out]);
      const signed = await ceremonyStep('ca sign-csr', () =>
        signCaCsr({
          caCertificatePem: readInput(io, '--ca-cert', options.caCert).toString('utf8'),
          caKeyPem: readInput(io, '--ca-key', options.caKey).toString('utf8'),
          csr: new Uint8Array(readInput(io, '--csr', options.csr)),
          validityDays: options.validityDays,
          pathLength: options.pathLength,
          issuerId: options.rootId,
          ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
        }),
      );
      writeNew(out, signed.certificatePem, 0o644);
      const { info } = signed;
      io.stdout(
        [
          `wrote ${out}`,
          `  subject:   ${info.subject}`,
          `  issuer:    ${info.issuer}`,
          `  serial:    ${info.serial}`,
          `  valid:     ${info.notBefore.toISOString()} to ${info.notAfter.toISOString()}`,
          `  CA:TRUE, pathlen:${info.pathLength ?? '(none)'}`,
          'copy it beside intermediate-key.pem on the CA server and import both (see `ca init`).',
          '',
        ].join('\n'),
      );
    });
}

function initReport(dir: string, options: InitOptions): string {
  const path = (name: string) => join(dir, name);
  const hierarchy = ceremonyHierarchy({
    rootSubject: options.subject,
    intermediateSubject: options.intermediateSubject,
    rootCertificateFile: path(FILES.root),
    intermediateCertificateFile: path(FILES.intermediate),
    intermediateKeyFile: path(FILES.intermediateKey),
  });
  return [
    `wrote an offline root CA and an intermediate CSR to ${dir}`,
    `  ${FILES.root}              the root certificate: distribute it to relying parties`,
    `  ${FILES.rootKey}          the root private key: take it offline, keep no copy here`,
    `  ${FILES.intermediateKey}  the intermediate private key: stays with the CA server`,
    `  ${FILES.csr}      the intermediate CSR (CA:TRUE) for the root to sign`,
    'next:',
    '  1. sign the CSR with the root, on the offline machine holding root-key.pem:',
    `     cryptoutil ca sign-csr --ca-cert ${path(FILES.root)} --ca-key ${path(FILES.rootKey)} \\`,
    `       --csr ${path(FILES.csr)} --out ${path(FILES.intermediate)} \\`,
    '       --base-url <ca.revocation.baseUrl of the CA server, e.g. http://ca.example:8051>',
    `  2. move ${FILES.rootKey} off this machine (it is needed again only to sign a new intermediate)`,
    '  3. import both CAs in the CA server configuration (the root without a key: offline):',
    stringify({ ca: { hierarchy } })
      .trimEnd()
      .split('\n')
      .map((line) => `     ${line}`)
      .join('\n'),
    '',
  ].join('\n');
}
