import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdmin } from './admin-client.js';

// A TCP listener that accepts and never speaks TLS: the client must give up on its own.
let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise((resolve) => silent.close(resolve));
});

describe('callAdmin', () => {
  it('times out against a listener that never answers', async () => {
    const { port } = silent.address() as { port: number };
    await expect(
      callAdmin({
        method: 'GET',
        url: new URL(`https://127.0.0.1:${port}/admin/v1/livez`),
        timeoutMs: 200,
      }),
    ).rejects.toThrow('timed out after 200 ms');
  });
});
