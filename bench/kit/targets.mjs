// The four targets of the kit benchmark (docs/performance.md): the bare Fastify ceiling and
// the kit's public route, scoped route with an API key, and public route with request logs.
import { URL, fileURLToPath } from 'node:url';

const script = (name) => fileURLToPath(new URL(`targets/${name}.mjs`, import.meta.url));

export const TARGETS = [
  {
    name: 'ceiling',
    label: 'bare Fastify 5, `GET /hello`',
    script: script('ceiling'),
    args: (dir) => [dir],
    path: '/hello',
  },
  {
    name: 'public',
    label: 'kit, public route, log level warn',
    script: script('kit'),
    args: (dir) => [dir, 'public', 'warn'],
    path: '/service/api/v1/hello',
  },
  {
    name: 'api-key',
    label: 'kit, scoped route + API key, warn',
    script: script('kit'),
    args: (dir) => [dir, 'scoped', 'warn'],
    path: '/service/api/v1/hello',
  },
  {
    name: 'logged',
    label: 'kit, public route, log level info',
    script: script('kit'),
    args: (dir) => [dir, 'public', 'info'],
    path: '/service/api/v1/hello',
  },
];
