// TLS 1.3 only on both listeners (ARCHITECTURE §6), checked from outside with OpenSSL's
// s_client and with a Node TLS client capped at TLS 1.2.
import { execFile } from 'node:child_process';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { useRunningFixture } from './fixture-app.js';

const running = useRunningFixture();

interface ClientOutcome {
  readonly code: number;
  readonly stdout: string;
}

function sClient(port: number, version: '-tls1_2' | '-tls1_3'): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, version, '-servername', 'localhost'],
      { timeout: 20_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
    child.stdin?.end();
  });
}

function nodeHandshake(port: number, maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: running.tls.ca,
      maxVersion,
    });
    socket.once('secureConnect', () => {
      resolve(String(socket.getProtocol()));
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe.each(['public', 'admin'] as const)('%s listener', (listener) => {
  const port = () => running.bound[listener].port;

  it('refuses TLS 1.2 and accepts TLS 1.3 (openssl s_client)', async () => {
    const old = await sClient(port(), '-tls1_2');
    expect(old.code).not.toBe(0);
    expect(old.stdout).toContain('Cipher is (NONE)');
    const current = await sClient(port(), '-tls1_3');
    expect(current.code).toBe(0);
    expect(current.stdout).toContain('New, TLSv1.3, Cipher is');
  });

  it('refuses a Node client capped at TLS 1.2 and completes TLS 1.3', async () => {
    await expect(nodeHandshake(port(), 'TLSv1.2')).rejects.toMatchObject({
      code: expect.stringMatching(/^ERR_SSL_/) as unknown,
    });
    await expect(nodeHandshake(port(), 'TLSv1.3')).resolves.toBe('TLSv1.3');
  });
});
