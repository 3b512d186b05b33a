/**
 * @module routes/uploads
 * Routes whose body is a file in its own media type (an SBOM, a VEX document, a feed document):
 * read as bytes, whatever the content type, up to a limit of their own.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Registers `routes` in a context where every body is read as a Buffer of at most `bodyLimit` bytes. */
export async function withRawBodies(
  app: FastifyInstance,
  bodyLimit: number,
  routes: (sub: ZodApp) => void,
): Promise<void> {
  await app.register((plain) => {
    plain.removeAllContentTypeParsers();
    plain.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
      done(null, body);
    });
    routes(plain.withTypeProvider<ZodTypeProvider>());
    return Promise.resolve();
  });
}

/** The body of a raw-body route: the bytes, or none. */
export function bytesOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
