import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorDef } from '../errors/domain-error';

/** A stored file to answer with: streamed from local disk, or by redirect to a signed URL. */
export type FileResponse =
  | { kind: 'redirect'; url: string }
  | {
      kind: 'file';
      /** The directory and the file's path under it (named by id, never by user input). */
      root: string;
      path: string;
      size: number;
      contentType: string;
      /** The download name of Content-Disposition. */
      fileName: string;
      /** The owner's codes for a Range outside the file (416) and failed preconditions (412). */
      errors: { rangeNotSatisfiable: ErrorDef; preconditionFailed: ErrorDef };
    };

/** RFC 6266 attachment header with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Answers with a private, uncached file: a 302 to the signed URL, or the bytes with Range,
 * If-Range and conditional requests handled by @fastify/send. Errors leave as problem+json like
 * every other answer (a 416 keeps `Content-Range: bytes *\/size`).
 */
export async function sendFileResponse(
  req: FastifyRequest,
  reply: FastifyReply,
  file: FileResponse,
): Promise<void> {
  void reply.header('Cache-Control', 'private, no-store');
  if (file.kind === 'redirect') {
    await reply.redirect(file.url, 302);
    return;
  }
  // cacheControl off: send's own `public, max-age=0` would replace our `private, no-store`.
  const result = await send(req.raw, file.path, {
    root: file.root,
    dotfiles: 'deny',
    etag: true,
    cacheControl: false,
  });
  if (result.type === 'error') {
    if (result.statusCode === 416) {
      void reply.header('Content-Range', `bytes */${file.size}`);
      throw new DomainError(file.errors.rangeNotSatisfiable, `The file has ${file.size} bytes`);
    }
    if (result.statusCode === 412) throw new DomainError(file.errors.preconditionFailed);
    // The file is known but cannot be read: ours to fix, not the caller's.
    throw new Error(`stored file ${file.path} unreadable (${result.statusCode})`);
  }
  void reply
    .status(result.statusCode)
    .headers(result.headers)
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', contentDisposition(file.fileName));
  await reply.send(result.stream);
}
