import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3Store } from '@tus/s3-store';
import { Upload } from '@tus/utils';
import type { Readable } from 'node:stream';
import type { AppConfig } from '../../../config/env';
import { contentDisposition } from '../../../shared/http/file-response';
import type { Download, MediaSource, StorageDriver } from './storage-driver';

/** Seconds a presigned download URL stays valid. */
const DOWNLOAD_URL_TTL = 300;
/** The longest a SigV4 presigned URL may be valid. */
const MAX_URL_TTL = 7 * 86400;

/**
 * Any S3-compatible store: @tus/s3-store writes the upload as a multipart upload (8 MiB
 * parts); downloads redirect to a short-lived presigned URL.
 */
export class S3Storage implements StorageDriver {
  readonly name = 's3' as const;
  readonly datastore: S3Store;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(s3: AppConfig['s3']) {
    this.bucket = s3.bucket!;
    const clientConfig = {
      region: s3.region,
      // The SDK's default (WHEN_SUPPORTED) sends streamed bodies such as UploadPart as
      // `Content-Encoding: aws-chunked` with a CRC32 trailer; an S3-compatible store that does
      // not decode it (s3rver, for one) keeps the chunk framing as data, so every part grows and
      // the tus offset no longer matches. Checksums only where an operation requires one; the
      // whole-file SHA-256 is verified by DeliverableVerification anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
      ...(s3.endpoint ? { endpoint: s3.endpoint, forcePathStyle: true } : {}),
      ...(s3.accessKeyId && s3.secretAccessKey
        ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
        : {}),
    };
    this.client = new S3Client(clientConfig);
    this.datastore = new S3Store({
      partSize: 8 * 1024 * 1024,
      s3ClientConfig: { bucket: this.bucket, ...clientConfig },
    });
  }

  async createUpload(id: string, size: number, metadata: Record<string, string>): Promise<void> {
    await this.datastore.create(
      new Upload({ id, size, offset: 0, metadata, creation_date: new Date().toISOString() }),
    );
  }

  async read(id: string): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: id }));
    return out.Body as Readable;
  }

  async download(id: string, file: { fileName: string; contentType: string }): Promise<Download> {
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: id,
        ResponseContentType: file.contentType,
        ResponseContentDisposition: contentDisposition(file.fileName),
      }),
      { expiresIn: DOWNLOAD_URL_TTL },
    );
    return { kind: 'redirect', url };
  }

  /**
   * A presigned GET URL for ffmpeg, which reads it with HTTP range requests (no copy of a
   * 200 GiB master on local disk). The URL shows in the worker host's process list while the
   * analysis runs: it grants reading this one object until it expires.
   */
  async mediaSource(id: string, ttlSeconds: number): Promise<MediaSource> {
    const input = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: id }), {
      expiresIn: Math.min(Math.ceil(ttlSeconds), MAX_URL_TTL),
    });
    return { input, protocols: 'http,https,tls,tcp' };
  }
}
