import { Upload } from 'tus-js-client';

/**
 * Uploads `data` to a tus upload URL with the real tus client (HEAD for the offset, then
 * PATCH), in chunks of `chunkSize`. Resolves when the server confirmed the last byte.
 */
export function tusUpload(
  uploadUrl: string,
  token: string,
  data: Buffer,
  opts: { chunkSize?: number; onChunk?: (sent: number) => boolean | void } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(data, {
      uploadUrl,
      headers: { Authorization: `Bearer ${token}` },
      chunkSize: opts.chunkSize ?? 256 * 1024,
      retryDelays: [],
      onChunkComplete: (_size, sent) => {
        // A test may stop the upload after a chunk, to resume it later.
        if (opts.onChunk?.(sent) === false) {
          void upload.abort().then(() => reject(new Error('aborted')));
        }
      },
      onError: reject,
      onSuccess: () => resolve(),
    });
    upload.start();
  });
}
