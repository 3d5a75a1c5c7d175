// The README's KMS demo, run as a new user would: `cryptoutil dev` as a real process, then the
// README's own shell block with curl --cacert (ports swapped for free ones so the test cannot
// collide with a running suite). If the README drifts from the product, this fails.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, waitFor } from '@cryptoutil/server/testing';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const main = join(root, 'packages', 'cli', 'dist', 'main.js');

/** The first ```sh block after the README's KMS heading. */
function readmeKmsDemo(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf('## KMS');
  const start = readme.indexOf('```sh\n', section) + '```sh\n'.length;
  return readme.slice(start, readme.indexOf('```', start));
}

describe('README KMS demo', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cu-readme-'));
  let stop = (): void => undefined;
  afterAll(() => stop());

  it('runs against cryptoutil dev and shows each step working', async () => {
    const [pub, admin] = [await freePort(), await freePort()];
    const dev = spawn(
      process.execPath,
      [
        main,
        'dev',
        '-s',
        `public.port=${pub}`,
        '-s',
        `admin.port=${admin}`,
        '-s',
        'telemetry.logLevel=warn',
      ],
      { cwd, stdio: 'ignore' },
    );
    stop = () => dev.kill('SIGTERM');
    await waitFor(() => readFileSync(join(cwd, 'data', 'dev', 'kms.api-key')));
    await waitFor(() => readFileSync(join(cwd, 'data', 'tls', 'ca.pem')));
    const script = readmeKmsDemo()
      .replaceAll('127.0.0.1:8080', `127.0.0.1:${pub}`)
      .replaceAll('127.0.0.1:9090', `127.0.0.1:${admin}`);
    expect(script).toContain(`127.0.0.1:${pub}/service/api/v1`);
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
    expect(out).toMatch(/^\{"status":"ok"\}/);
    expect(out).toContain('"origin":"generated","status":"active"');
    expect(out).toContain('card 4111-1111');
    expect(out).toMatch(/\{"valid":true,"kid":"[0-9a-f-]{36}","payload":"cmVsZWFzZSB2MS4yLjM"\}/);
    expect(out).toContain('"publicJwk":{"kty":"EC"');
  });
});
