import type { DataStore } from '@tus/utils';
import type { Readable } from 'node:stream';

/** How a download is served: streamed from a local file, or by redirect to a signed URL. */
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
}

export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');
