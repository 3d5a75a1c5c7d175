// The public JWKS documents under /.well-known, without authentication: jwks.json (every
// published set) and jwks/{id}.json (one). Cache-Control follows the rotation schedule and a
// strong ETag answers If-None-Match with 304.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problems, ProblemError } from '@cryptoutil/server';
import type { JwksDocument, PublishedJwks } from '../service/published-jwks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(request: FastifyRequest, reply: FastifyReply, doc: JwksDocument) {
  void reply
    .header('cache-control', `public, max-age=${doc.maxAge}`)
    .header('etag', doc.etag)
    .header('access-control-allow-origin', '*');
  // RFC 9110 §13.1.2: If-None-Match compares weakly (W/ ignored) and `*` matches any.
  const match = request.headers['if-none-match'];
  const tags = match === undefined ? [] : match.split(',').map((tag) => tag.trim());
  if (tags.some((tag) => tag === '*' || tag.replace(/^W\//, '') === doc.etag)) {
    return reply.code(304).send();
  }
  return reply.type('application/jwk-set+json').send(doc.body);
}

export function wellKnownRoutes(published: PublishedJwks) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    app.get('/jwks.json', async (request, reply) => {
      return send(request, reply, (await published.document()) as JwksDocument);
    });
    app.get<{ Params: { file: string } }>('/jwks/:file', async (request, reply) => {
      const { file } = request.params;
      const id = file.endsWith('.json') ? file.slice(0, -5) : '';
      const doc = UUID.test(id) ? await published.document(id) : undefined;
      if (!doc)
        throw new ProblemError(problems.notFound, { detail: 'no published JWK set has that id' });
      return send(request, reply, doc);
    });
    done();
  };
}
