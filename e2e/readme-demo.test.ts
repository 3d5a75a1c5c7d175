// The README's product demos, run as a new user would: `cryptoutil dev` as a real process, then
// each README shell block with curl --cacert (ports swapped for free ones so the test cannot
// collide with a running suite). If the README drifts from the products, this fails. The JOSE
// demo verifies tokens with Debian's python3-jwcrypto, an implementation independent of ours.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { jwcryptoVersion } from '@cryptoutil/judges';
import { freePort, waitFor } from '@cryptoutil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const main = join(root, 'packages', 'cli', 'dist', 'main.js');

/** The first ```sh block after the README heading that starts with `heading`. */
function readmeDemo(heading: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf(`\n${heading}`);
  expect(section, heading).toBeGreaterThan(0);
  const start = readme.indexOf('```sh\n', section) + '```sh\n'.length;
  return readme.slice(start, readme.indexOf('```', start));
}

const ports = { kms: [8080, 9090], jose: [8060, 9060], ca: [8050, 9050] } as const;
/** The CA's plain-HTTP listener (revocation data). */
const CA_PLAIN = 8051;
type Product = keyof typeof ports;

describe('README demos', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cu-readme-'));
  const live = {} as Record<Product, [number, number]>;
  let caPlain = 0;
  let stop = (): void => undefined;
  afterAll(() => stop());

  beforeAll(async () => {
    const sets: string[] = [];
    for (const product of Object.keys(ports) as Product[]) {
      live[product] = [await freePort(), await freePort()];
      sets.push('-s', `${product}:public.port=${live[product][0]}`);
      sets.push('-s', `${product}:admin.port=${live[product][1]}`);
    }
    caPlain = await freePort();
    sets.push('-s', `ca:ca.revocation.port=${caPlain}`);
    const dev = spawn(process.execPath, [main, 'dev', ...sets, '-s', 'telemetry.logLevel=warn'], {
      cwd,
      stdio: 'ignore',
    });
    stop = () => dev.kill('SIGTERM');
    await waitFor(() => readFileSync(join(cwd, 'data', 'dev', 'kms.api-key')));
    await waitFor(() => readFileSync(join(cwd, 'data', 'dev', 'jose.api-key')));
    await waitFor(() => readFileSync(join(cwd, 'data', 'dev', 'ca.api-key')));
    await waitFor(() => readFileSync(join(cwd, 'data', 'tls', 'ca.pem')));
  });

  /** Runs a README block against the live products until livez answers, and returns stdout. */
  async function run(heading: string): Promise<string> {
    let script = readmeDemo(heading);
    for (const product of Object.keys(ports) as Product[]) {
      script = script
        .replaceAll(`127.0.0.1:${ports[product][0]}`, `127.0.0.1:${live[product][0]}`)
        .replaceAll(`127.0.0.1:${ports[product][1]}`, `127.0.0.1:${live[product][1]}`);
    }
    script = script.replaceAll(`127.0.0.1:${CA_PLAIN}`, `127.0.0.1:${caPlain}`);
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    let out = '';
    for (let attempt = 0; attempt < 50 && !out.startsWith('{"status":"ok"}'); attempt += 1) {
      out = await new Promise<string>((resolve) => {
        execFile(
          'bash',
          ['-e', '-o', 'pipefail', '-c', script],
          { cwd, env },
          (err, stdout, stderr) => {
            resolve(err ? `failed: ${stderr}` : stdout);
          },
        );
      });
      if (!out.startsWith('{"status":"ok"}')) await new Promise((r) => setTimeout(r, 200));
    }
    return out;
  }

  it('KMS: encrypt, rotate, decrypt the old ciphertext, sign, verify, publish', async () => {
    const out = await run('## KMS');
    expect(out).toMatch(/^\{"status":"ok"\}/);
    expect(out).toContain('"origin":"generated","status":"active"');
    expect(out).toContain('card 4111-1111');
    expect(out).toMatch(/\{"valid":true,"kid":"[0-9a-f-]{36}","payload":"cmVsZWFzZSB2MS4yLjM"\}/);
    expect(out).toContain('"publicJwk":{"kty":"EC"');
  });

  it.skipIf(jwcryptoVersion() === undefined && process.env.CI !== 'true')(
    'JOSE: issue a JWT, verify it with jwcrypto from jwks.json, rotate, retire',
    async () => {
      const out = await run('## JOSE');
      const kid = '[0-9a-f-]{36}';
      expect(out).toMatch(
        new RegExp(
          [
            '^\\{"status":"ok"\\}',
            `valid alice kid (${kid})`,
            `(${kid})`,
            `valid alice kid \\2`,
            `valid alice kid \\1`,
            'retired',
            '\\{"valid":false,"check":"retired","detail":"the key version is retired"\\}',
            'rejected: its kid is no longer in jwks.json',
            '',
          ].join('\n'),
        ),
      );
    },
  );

  it('CA: enroll an openssl CSR, verify the chain, OCSP good, revoke, OCSP revoked, CRL refuses it', async () => {
    const out = await run('## CA');
    expect(out).toBe(
      [
        '{"status":"ok"}',
        'www.pem: OK',
        'www.pem: good',
        'revoked',
        'www.pem: revoked',
        '\tReason: keyCompromise',
        'certificate revoked',
        '',
      ].join('\n'),
    );
  });
});
