// Raw baseline for the upload scenario (6): node:http + jsonwebtoken (KeyObject secret) + node:fs,
// nothing else. The minimal tus 1.0 subset the app's upload path uses, at the byte level:
//   POST   /api/v1/uploads        Upload-Length (+ Upload-Metadata) → 201, Location
//   HEAD   /api/v1/uploads/:id    → 200, Upload-Offset, Upload-Length
//   PATCH  /api/v1/uploads/:id    Upload-Offset, Content-Type: application/offset+octet-stream;
//                                 the body is streamed (pipeline) into the file at that offset
//                                 → 204, Upload-Offset
// Like @tus/file-store, an upload is an empty file `<id>` plus `<id>.json` written at creation,
// its offset is the file's size, and a PATCH writes through fs.createWriteStream({ flags: 'r+',
// start }) with Node's default 16 KiB highWaterMark (WRITE_HIGH_WATER_MARK, in bytes, changes it
// to see what a bigger write buffer gives). Every request needs a bearer access token.
//
//   PORT=… JWT_SECRET=… UPLOAD_DIR=… [MAX_UPLOAD_BYTES=…] [WRITE_HIGH_WATER_MARK=…] node -r ts-node/register/transpile-only bench/baselines/raw-upload.ts
import { createSecretKey, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { verify, type JwtPayload } from 'jsonwebtoken';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const DIR = process.env.UPLOAD_DIR ?? '/tmp/efir-raw-upload';
const MAX = Number(process.env.MAX_UPLOAD_BYTES ?? 200 * 1024 ** 3);
const HWM = process.env.WRITE_HIGH_WATER_MARK ? Number(process.env.WRITE_HIGH_WATER_MARK) : undefined;
const PATH = '/api/v1/uploads';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

function reply(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Tus-Resumable': '1.0.0', 'Content-Length': '0', ...headers });
  res.end();
}

function authorise(req: IncomingMessage): void {
  const auth = req.headers.authorization;
  try {
    if (!auth?.startsWith('Bearer ')) throw new Error('no token');
    const claims = verify(auth.slice(7), key, {
      algorithms: ['HS256'],
      issuer: 'efir',
      audience: 'efir-api',
    }) as JwtPayload;
    if (claims.typ !== 'access') throw new Error('typ');
  } catch {
    throw new HttpError(401);
  }
}

const int = (v: string | string[] | undefined): number => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new HttpError(400);
  return n;
};

/** Upload-Length of each upload (also in its `.json` sidecar, which the app's store reads back). */
const lengths = new Map<string, number>();

async function offsetOf(id: string): Promise<number> {
  try {
    return (await stat(join(DIR, id))).size;
  } catch {
    throw new HttpError(404);
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  authorise(req);
  if (req.headers['tus-resumable'] !== '1.0.0') throw new HttpError(412);
  if (req.method === 'POST' && url.pathname === PATH) {
    const size = int(req.headers['upload-length']);
    if (size > MAX) throw new HttpError(413);
    const id = randomUUID();
    const metadata = Object.fromEntries(
      String(req.headers['upload-metadata'] ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const [k, v] = pair.trim().split(' ');
          return [k, Buffer.from(v ?? '', 'base64').toString('utf8')];
        }),
    );
    await mkdir(DIR, { recursive: true });
    await writeFile(join(DIR, id), '');
    await writeFile(
      join(DIR, `${id}.json`),
      JSON.stringify({ id, size, offset: 0, metadata, creation_date: new Date().toISOString() }),
    );
    lengths.set(id, size);
    return reply(res, 201, { Location: `http://${req.headers.host}${PATH}/${id}` });
  }
  const id = url.pathname.startsWith(`${PATH}/`) ? url.pathname.slice(PATH.length + 1) : '';
  const length = ID.test(id) ? lengths.get(id) : undefined;
  if (length === undefined) throw new HttpError(404);
  if (req.method === 'HEAD') {
    return reply(res, 200, {
      'Upload-Offset': String(await offsetOf(id)),
      'Upload-Length': String(length),
      'Cache-Control': 'no-store',
    });
  }
  if (req.method !== 'PATCH') throw new HttpError(405);
  if (req.headers['content-type'] !== 'application/offset+octet-stream') throw new HttpError(415);
  const offset = int(req.headers['upload-offset']);
  if (offset !== (await offsetOf(id))) throw new HttpError(409);
  let written = offset;
  await pipeline(
    req,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        written += chunk.length;
        if (written > length) throw new HttpError(413);
        yield chunk;
      }
    },
    createWriteStream(join(DIR, id), { flags: 'r+', start: offset, highWaterMark: HWM }),
  );
  reply(res, 204, { 'Upload-Offset': String(written) });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    if (!(err instanceof HttpError)) console.error(err);
    reply(res, err instanceof HttpError ? err.status : 500);
  });
});

server.listen(Number(process.env.PORT ?? 3991), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
