import type { DataStore } from '@tus/utils';
import type { Readable } from 'node:stream';

/** How a download is served: streamed from a local file, or by redirect to a signed URL. */
/**
 * Where ffmpeg reads an object (technical QC): a path or URL built here from the id, never from
 * user input, and the protocols reading it needs (ffmpeg's `-protocol_whitelist`).
 */
export interface MediaSource {
  input: string;
  protocols: string;
}

export type Download = { kind: 'file'; root: string; path: string } | { kind: 'redirect'; url: string };

/**
 * Where deliverable bytes live. Objects are named by the deliverable id, never by user input.
 * Both drivers pass the same contract suite (test/e2e/storage.e2e-spec.ts).
 */
export interface StorageDriver {
  readonly name: 'local' | 's3';
  /** The tus data store that receives the upload's bytes. */
  readonly datastore: DataStore;
  /** Creates the (empty) tus upload that the client then fills with PATCH requests. */
  createUpload(id: string, size: number, metadata: Record<string, string>): Promise<void>;
  /** The whole object, streamed (to verify its checksum). */
  read(id: string): Promise<Readable>;
  download(id: string, file: { fileName: string; contentType: string }): Promise<Download>;
  /** The object for ffmpeg, readable for at least `ttlSeconds` (local: its path; S3: a presigned URL). */
  mediaSource(id: string, ttlSeconds: number): Promise<MediaSource>;
}

export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');
