import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Koa context fields the ListParts shim uses. */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverInstance {
  /** Koa's middleware stack; s3rver's router is the last entry. */
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

const S3rver = createRequire(__filename)('s3rver') as S3rverClass;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** The environment a test app needs to use this server (STORAGE_DRIVER=s3). */
  env: Record<string, string>;
  /** Where s3rver keeps its buckets, objects and in-progress multipart uploads. */
  directory: string;
  /** The size of a stored object, or null when there is none under that key. */
  objectSize: (key: string) => Promise<number | null>;
  /** Sizes of the parts of the unfinished multipart upload of `key` (empty when there is none). */
  pendingParts: (key: string) => Promise<number[]>;
  close: () => Promise<void>;
}

/**
 * A real S3-compatible HTTP server (s3rver) on a free loopback port, with one bucket, storing
 * into a temporary directory that `close()` removes.
 */
export async function startS3(bucket = 'deliverables'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'efir-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  // s3rver 3.7 has no ListParts (GET /{bucket}/{key}?uploadId=…: it answers 405
  // MethodNotAllowed), and @tus/s3-store calls it on every HEAD and PATCH to find the offset.
  // This adds it, read from s3rver's own multipart store, just before s3rver's router.
  server.middleware.splice(server.middleware.length - 1, 0, listParts(directory));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');
  return {
    endpoint,
    bucket,
    directory,
    objectSize: async (key) => {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.ContentLength ?? 0;
      } catch (err) {
        if ((err as { name?: string }).name === 'NotFound') return null;
        throw err;
      }
    },
    pendingParts: async (key) => {
      const uploads = await readdir(uploadsDir).catch(() => [] as string[]);
      for (const uploadId of uploads) {
        const dir = join(uploadsDir, uploadId);
        if ((await readFile(join(dir, 'key'), 'utf8').catch(() => null)) !== key) continue;
        const parts = (await readdir(dir))
          .filter((f) => /^\d+$/.test(f))
          .sort((a, b) => Number(a) - Number(b));
        return Promise.all(parts.map(async (p) => (await stat(join(dir, p))).size));
      }
      return [];
    },
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * ListParts from the files s3rver's FilesystemStore writes: {dir}/{bucket}/._S3rver_uploads/
 * {uploadId}/{partNumber} and {partNumber}.md5, removed when the upload completes (then the
 * answer is 404 NoSuchUpload, as S3 gives). All parts in one page (no PartNumberMarker needed).
 * No signature check on this one request.
 */
function listParts(directory: string) {
  return async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    const uploadId = ctx.query.uploadId;
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (ctx.method !== 'GET' || typeof uploadId !== 'string' || !match || 'partNumber' in ctx.query) {
      return next();
    }
    const [, bucket, key] = match as unknown as [string, string, string];
    const uploadDir = join(directory, bucket, '._S3rver_uploads', uploadId);
    const storedKey = await readFile(join(uploadDir, 'key'), 'utf8').catch(() => null);
    ctx.type = 'application/xml';
    if (storedKey !== decodeURIComponent(key)) {
      ctx.status = 404;
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
        '<Message>The specified upload does not exist.</Message></Error>';
      return;
    }
    const numbers = (await readdir(uploadDir))
      .filter((f) => /^\d+$/.test(f))
      .map(Number)
      .sort((a, b) => a - b);
    const parts = await Promise.all(
      numbers.map(async (n) => {
        const [info, md5] = await Promise.all([
          stat(join(uploadDir, String(n))),
          readFile(join(uploadDir, `${n}.md5`), 'utf8'),
        ]);
        return (
          `<Part><PartNumber>${n}</PartNumber><LastModified>${info.mtime.toISOString()}</LastModified>` +
          `<ETag>"${md5}"</ETag><Size>${info.size}</Size></Part>`
        );
      }),
    );
    ctx.status = 200;
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult>' +
      `<Bucket>${bucket}</Bucket><Key>${storedKey}</Key><UploadId>${uploadId}</UploadId>` +
      `<MaxParts>10000</MaxParts><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`;
  };
}
