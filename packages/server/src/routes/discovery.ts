/**
 * @module routes/discovery
 * Passive discovery over HTTP: upload a capture (pcap or pcapng, gzip or not) and its devices
 * enter the inventory, as `ward scan --save` does. The upload is decoded as it streams in — never
 * held in memory — and bounded in size and time; one that is cut off, too large or too slow stores
 * nothing. Also the
 * observations stored for a device key.
 */
import { ServerError } from '@ward/services';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit.js';

/** Largest capture accepted in one upload. */
export const CAPTURE_LIMIT = 2 * 1024 * 1024 * 1024;
const CAPTURE_TYPES = ['application/vnd.tcpdump.pcap', 'application/octet-stream', 'application/gzip'];

/** The request body as it arrives, failing with SERVER_PAYLOAD_TOO_LARGE past `limit` bytes. */
async function* bounded(body: AsyncIterable<unknown>, limit: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of body) {
    const bytes = chunk as Uint8Array;
    seen += bytes.length;
    if (seen > limit) {
      throw new ServerError('SERVER_PAYLOAD_TOO_LARGE', `the capture is larger than ${String(limit)} bytes`, {
        details: { limit },
      });
    }
    yield bytes;
  }
}

const reportSchema = z.object({
  devices: z.number(),
  stats: z.object({
    packets: z.number(),
    bytes: z.number(),
    flows: z.number(),
    decodeErrors: z.number(),
    truncated: z.boolean(),
  }),
  observations: z.object({ inserted: z.number(), known: z.number() }),
  inventory: z.object({ created: z.number(), updated: z.number(), unchanged: z.number() }),
});

/** How long one capture upload may take to arrive. */
export const UPLOAD_TIMEOUT_MS = 15 * 60_000;

export function discoveryRoutes(limit = CAPTURE_LIMIT, timeoutMs = UPLOAD_TIMEOUT_MS): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/observations',
      {
        config: { access: 'devices:read' },
        schema: {
          tags: ['discovery'],
          summary: 'What passive discovery stored about one device key (mac:…, ip:…), optionally of one kind',
          querystring: z.object({
            deviceKey: z.string().min(3).max(200),
            kind: z.string().min(1).max(64).optional(),
          }),
          response: {
            200: z.object({
              items: z
                .array(
                  z.object({
                    id: z.string(),
                    deviceKey: z.string(),
                    kind: z.string(),
                    value: z.unknown(),
                    firstSeen: z.string(),
                    lastSeen: z.string(),
                    source: z.string(),
                  }),
                )
                .readonly(),
            }),
          },
        },
      },
      async (request) => {
        const rows = await app.store.observations.list({
          deviceKey: request.query.deviceKey,
          ...(request.query.kind === undefined ? {} : { kind: request.query.kind }),
        });
        return { items: rows.map((r) => ({ ...r, value: JSON.parse(r.value) as unknown })) };
      },
    );

    await app.register((plain) => {
      const sub = plain.withTypeProvider<ZodTypeProvider>();
      sub.removeAllContentTypeParsers();
      // The body stays a stream: the route reads it as it arrives.
      sub.addContentTypeParser(CAPTURE_TYPES, (_request, payload, done) => {
        done(null, payload);
      });
      sub.post(
        '/scans',
        {
          config: { access: 'devices:write' },
          schema: {
            tags: ['discovery'],
            summary: 'Upload a capture (pcap/pcapng, gzip or not): its devices are merged into the inventory',
            description:
              `The body is the capture (${CAPTURE_TYPES.join(', ')}), decoded as it streams in; at most ` +
              `${String(limit)} bytes. Observations are stored and devices merged with sensor provenance ` +
              '(sensor "upload"); a capture cut off or over the limit stores nothing.',
            querystring: z.object({ file: z.string().min(1).max(200).default('upload') }),
            response: { 200: reportSchema },
          },
        },
        async (request) => {
          const body = request.body as AsyncIterable<unknown> | undefined;
          if (
            body === undefined ||
            typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function'
          ) {
            throw new ServerError('SERVER_VALIDATION', 'the body must be a capture file', {
              details: { field: 'body' },
            });
          }
          // A capture that trickles in is cut off: the connection is closed and nothing is stored.
          const timer = setTimeout(() => {
            request.raw.destroy(
              new ServerError('SERVER_REQUEST_TIMEOUT', `the capture did not arrive within ${String(timeoutMs)} ms`),
            );
          }, timeoutMs);
          try {
            return await app.services.discovery(actorOf(request)).ingest(bounded(body, limit), request.query.file);
          } finally {
            clearTimeout(timer);
          }
        },
      );
      return Promise.resolve();
    });
  };
}
