// `cryptoutil ca init` and `cryptoutil ca sign-csr` as an operator runs them (the built process,
// in a temporary folder), judged by openssl: the root verifies the intermediate, which carries
// CA:TRUE, pathlen and the CA key usages; keys are 0600 in a 0700 folder; nothing is overwritten;
// the printed config imports the files. The options and every operator mistake (exit 2 with a
// message) run in-process through the same command tree, with the products of this build.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { products } from '../src/products.js';
import { cli } from './cli-harness.js';

const main = join(import.meta.dirname, '..', 'dist', 'main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'cu-ca-ceremony-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The built `cryptoutil` as a real process. */
function cryptoutil(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
}

/** notAfter − notBefore of a certificate, in days. */
function days(path: string): number {
  const dates = openssl('x509', '-in', path, '-noout', '-startdate', '-enddate');
  const [start, end] = dates
    .trim()
    .split('\n')
    .map((l) => Date.parse(l.replace(/^\w+=/, '')));
  return ((end ?? 0) - (start ?? 0)) / 86_400_000;
}

const mode = (path: string): number => statSync(join(cwd, path)).mode & 0o777;

/** In-process, for the options and refusals. */
const inProcess = (...args: string[]): Promise<Run> => cli(args, { cwd, products });

const signArgs = (dir: string): string[] => [
  'ca',
  'sign-csr',
  '--ca-cert',
  `${dir}/root.pem`,
  '--ca-key',
  `${dir}/root-key.pem`,
  '--csr',
  `${dir}/intermediate.csr`,
];

/** A CSR made by openssl with its own key; `ext` adds `-addext` values. */
function opensslCsr(name: string, newkey: string[], ...ext: string[]): string {
  openssl(
    'req',
    '-new',
    ...newkey,
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-subj',
    `/CN=${name}`,
    ...ext.flatMap((e) => ['-addext', e]),
    '-out',
    `${name}.csr`,
  );
  return `${name}.csr`;
}

describe('cryptoutil ca init and ca sign-csr', () => {
  let init: Run;
  beforeAll(async () => {
    init = await cryptoutil(
      'ca',
      'init',
      '--out',
      'ceremony',
      '--subject',
      'CN=Acme Root CA, O=Acme',
      '--intermediate-subject',
      'CN=Acme Issuing CA, O=Acme',
    );
  });

  it('init writes the root, its key, the intermediate key and CSR; keys 0600, folder 0700', () => {
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(init.stdout).toMatch(
      /^wrote an offline root CA and an intermediate CSR to .*ceremony\n/,
    );
    expect(mode('ceremony')).toBe(0o700);
    expect(mode('ceremony/root-key.pem')).toBe(0o600);
    expect(mode('ceremony/intermediate-key.pem')).toBe(0o600);
    expect(mode('ceremony/root.pem')).toBe(0o644);
    const root = openssl('x509', '-in', 'ceremony/root.pem', '-noout', '-subject', '-issuer');
    expect(root).toBe('subject=O = Acme, CN = Acme Root CA\nissuer=O = Acme, CN = Acme Root CA\n');
    const csr = openssl('req', '-in', 'ceremony/intermediate.csr', '-noout', '-verify', '-text');
    expect(csr).toContain('Subject: O = Acme, CN = Acme Issuing CA');
    expect(csr).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    expect(openssl('pkey', '-in', 'ceremony/root-key.pem', '-pubout')).toBe(
      openssl('x509', '-in', 'ceremony/root.pem', '-noout', '-pubkey'),
    );
  });

  it('init prints the config that imports the root without a key and the intermediate with one', () => {
    const dir = join(cwd, 'ceremony');
    const lines = init.stdout.split('\n');
    const start = lines.findIndex((l) => l.includes('3. import both CAs'));
    const snippet = lines
      .slice(start + 1)
      .map((l) => l.slice(5))
      .join('\n');
    expect(parse(snippet)).toEqual({
      ca: {
        hierarchy: [
          {
            id: 'root',
            subject: 'CN=Acme Root CA, O=Acme',
            import: { certificateFile: `${dir}/root.pem` },
          },
          {
            id: 'issuing',
            parent: 'root',
            subject: 'CN=Acme Issuing CA, O=Acme',
            issuing: true,
            import: {
              certificateFile: `${dir}/intermediate.pem`,
              keyFile: `${dir}/intermediate-key.pem`,
            },
          },
        ],
      },
    });
    expect(init.stdout).toContain(`cryptoutil ca sign-csr --ca-cert ${dir}/root.pem`);
  });

  it('sign-csr makes an intermediate openssl verifies, CA:TRUE pathlen:0, with AIA caIssuers and no CRLDP', async () => {
    const res = await cryptoutil(
      ...signArgs('ceremony'),
      '--out',
      'ceremony/intermediate.pem',
      '--base-url',
      'http://ca.acme.test:8051',
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`wrote ${join(cwd, 'ceremony', 'intermediate.pem')}\n`);
    expect(res.stdout).toContain('  subject:   CN=Acme Issuing CA,O=Acme\n');
    expect(res.stdout).toContain('  CA:TRUE, pathlen:0\n');
    expect(openssl('verify', '-CAfile', 'ceremony/root.pem', 'ceremony/intermediate.pem')).toBe(
      'ceremony/intermediate.pem: OK\n',
    );
    const text = openssl('x509', '-in', 'ceremony/intermediate.pem', '-noout', '-text');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/);
    expect(text).toMatch(
      /X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign\n/,
    );
    expect(text).toContain(
      'CA Issuers - URI:http://ca.acme.test:8051/.well-known/pki-ca/certs/root.crt',
    );
    expect(text).not.toContain('CRL Distribution Points');
    expect(text).toContain('Subject: O = Acme, CN = Acme Issuing CA');
  });

  it('init takes --key and --validity-days; sign-csr takes --path-length, --validity-days and --root-id', async () => {
    const made = await inProcess(
      'ca',
      'init',
      '--out',
      'p256',
      '--key',
      'ec-p256',
      '--validity-days',
      '365',
    );
    expect(made.code).toBe(0);
    expect(openssl('x509', '-in', 'p256/root.pem', '-noout', '-text')).toContain(
      'ASN1 OID: prime256v1',
    );
    expect(days('p256/root.pem')).toBe(365);
    const res = await inProcess(
      ...signArgs('p256'),
      '--out',
      'pathlen1.pem',
      '--path-length',
      '1',
      '--validity-days',
      '30',
      '--base-url',
      'https://pki.acme.test',
      '--root-id',
      'acme-root',
    );
    expect(res.code).toBe(0);
    const text = openssl('x509', '-in', 'pathlen1.pem', '-noout', '-text');
    expect(text).toContain('CA:TRUE, pathlen:1');
    expect(text).toContain('URI:https://pki.acme.test/.well-known/pki-ca/certs/acme-root.crt');
    expect(days('pathlen1.pem')).toBe(30);
  });

  it('never overwrites: init into a used folder and sign-csr onto an existing file exit 2', async () => {
    const before = readFileSync(join(cwd, 'ceremony', 'root-key.pem'), 'utf8');
    const again = await inProcess('ca', 'init', '--out', 'ceremony');
    const dir = join(cwd, 'ceremony');
    expect(again).toEqual({
      code: 2,
      stdout: '',
      stderr: `cryptoutil: refusing to overwrite ${dir}/root.pem, ${dir}/root-key.pem, ${dir}/intermediate-key.pem, ${dir}/intermediate.csr\n`,
    });
    expect(readFileSync(join(cwd, 'ceremony', 'root-key.pem'), 'utf8')).toBe(before);
    const resign = await inProcess(...signArgs('ceremony'), '--out', 'ceremony/intermediate.pem');
    expect(resign.code).toBe(2);
    expect(resign.stderr).toBe(`cryptoutil: refusing to overwrite ${dir}/intermediate.pem\n`);
  });

  it('init refuses a bad --key, --validity-days and subject with exit 2', async () => {
    const key = await cryptoutil('ca', 'init', '--out', 'bad', '--key', 'rsa-2048');
    expect(key.code).toBe(2);
    expect(key.stderr).toContain(
      "error: option '--key <type>' argument 'rsa-2048' is invalid. Allowed choices are ec-p384, ec-p256, rsa-4096, rsa-3072.",
    );
    const days = await inProcess('ca', 'init', '--out', 'bad', '--validity-days', '0');
    expect(days.code).toBe(2);
    expect(days.stderr).toContain(
      "error: option '--validity-days <days>' argument '0' is invalid. expected a whole number from 1 to 36500.",
    );
    const subject = await inProcess('ca', 'init', '--out', 'bad', '--subject', 'CN');
    expect(subject).toEqual({
      code: 2,
      stdout: '',
      stderr: 'cryptoutil: ca init: distinguished name: expected type=value\n',
    });
    expect(() => statSync(join(cwd, 'bad'))).toThrow(/ENOENT/);
  });

  it('sign-csr refuses a non-CA CSR, an RSA 2048 CA key, a tampered CSR and unreadable files', async () => {
    const common = ['--ca-cert', 'ceremony/root.pem', '--ca-key', 'ceremony/root-key.pem'];
    const leaf = opensslCsr('leaf', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    expect(await inProcess('ca', 'sign-csr', ...common, '--csr', leaf, '--out', 'x.pem')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'cryptoutil: ca sign-csr: the CSR does not ask for a CA certificate (basicConstraints cA TRUE); it is not an intermediate CSR\n',
    });
    const weak = opensslCsr('weak', ['-newkey', 'rsa:2048'], 'basicConstraints=critical,CA:TRUE');
    expect(await inProcess('ca', 'sign-csr', ...common, '--csr', weak, '--out', 'x.pem')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'cryptoutil: ca sign-csr: the CSR key is RSA 2048: a CA key needs at least 3072 bits (NIST SP 800-131A)\n',
    });
    const pem = readFileSync(join(cwd, 'ceremony', 'intermediate.csr'), 'utf8');
    const body = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    body[body.length - 3] = (body[body.length - 3] ?? 0) ^ 0x01;
    writeFileSync(join(cwd, 'tampered.csr'), body);
    const tampered = await inProcess(
      'ca',
      'sign-csr',
      ...common,
      '--csr',
      'tampered.csr',
      '--out',
      'x.pem',
    );
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toMatch(/^cryptoutil: ca sign-csr: the CSR /);
    const missing = await inProcess(
      'ca',
      'sign-csr',
      ...common,
      '--csr',
      'nope.csr',
      '--out',
      'x.pem',
    );
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `cryptoutil: --csr: cannot read ${join(cwd, 'nope.csr')}\n`,
    });
    const wrongKey = await inProcess(
      'ca',
      'sign-csr',
      '--ca-cert',
      'ceremony/root.pem',
      '--ca-key',
      'ceremony/intermediate-key.pem',
      '--csr',
      'ceremony/intermediate.csr',
      '--out',
      'x.pem',
    );
    expect(wrongKey.stderr).toBe(
      'cryptoutil: ca sign-csr: the CA key is not the private key of the CA certificate\n',
    );
    expect(wrongKey.code).toBe(2);
    expect(() => statSync(join(cwd, 'x.pem'))).toThrow(/ENOENT/);
  });
});
