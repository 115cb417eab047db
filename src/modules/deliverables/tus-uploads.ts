import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Server, type ServerOptions } from '@tus/server';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { isAccessClaims, type AccessClaims } from '../../shared/auth/auth-user';
import { CommonErrors, isNotFound } from '../../shared/errors/common.errors';
import { DomainError, type ErrorDef } from '../../shared/errors/domain-error';
import { problemType, type Problem } from '../../shared/http/problem.filter';
import { DeliverableErrors } from './deliverables.errors';
import { DeliverablesService } from './deliverables.service';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

export const UPLOADS_PATH = '/api/v1/uploads';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refusal from a tus hook: answered as its problem (see `problemBodies`). */
class TusRefusal extends Error {
  readonly status_code: number;
  readonly body: string;
  constructor(def: ErrorDef, detail?: string) {
    super(detail ?? def.title);
    this.status_code = def.status;
    this.body = JSON.stringify(problemOf(def, def.status, detail));
  }
}

function problemOf(def: ErrorDef, status: number, detail?: string): Problem {
  return {
    type: problemType(def.code),
    title: def.title,
    status,
    detail: detail ?? def.title,
    code: def.code,
  };
}

/**
 * The problem for one of tus's own plain-text answers (@tus/utils ERRORS and the server's
 * direct 400/404/412 writes), by status and text; the status is kept as tus chose it.
 */
export function tusProblem(status: number, text: string): Problem {
  const t = text.trim();
  const def = ((): ErrorDef => {
    if (status >= 500) return CommonErrors.INTERNAL;
    switch (status) {
      case 401:
        return CommonErrors.UNAUTHENTICATED;
      case 403:
        return /header required/i.test(t) ? DeliverableErrors.UPLOAD_HEADER_MISSING : CommonErrors.FORBIDDEN;
      case 404:
        return DeliverableErrors.UPLOAD_NOT_FOUND;
      case 409:
        return DeliverableErrors.UPLOAD_OFFSET_MISMATCH;
      case 410:
        return DeliverableErrors.UPLOAD_GONE;
      case 412:
        return DeliverableErrors.TUS_VERSION_REQUIRED;
      case 413:
        return /maximum size/i.test(t)
          ? DeliverableErrors.UPLOAD_TOO_LARGE
          : DeliverableErrors.UPLOAD_LENGTH_MISMATCH;
      default:
        return /lock/i.test(t) ? DeliverableErrors.UPLOAD_BUSY : DeliverableErrors.UPLOAD_HEADER_INVALID;
    }
  })();
  // tus's texts name headers, never data; a 5xx says nothing (the error is logged instead).
  return problemOf(def, status, status >= 500 || !t ? undefined : t);
}

type RawHeaders = string[] | Record<string, string | string[] | number | undefined>;

/**
 * Rewrites every error answer (status >= 400) the tus server sends on `res` into problem+json,
 * keeping its status and headers (Tus-Resumable, CORS): a body that is already a problem (a
 * TusRefusal, onResponseError) passes as is, tus's plain text goes through `tusProblem`.
 */
function problemBodies(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, string>) => void;
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  let status = 0;
  let headers: Record<string, string> = {};
  const chunks: Buffer[] = [];
  const held = (chunk: unknown): void => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  Object.assign(res, {
    writeHead(code: number, ...rest: unknown[]): ServerResponse {
      if (code < 400) return passHead(code, rest);
      status = code;
      headers = toHeaderObject(
        rest.find((r) => typeof r === 'object' && r !== null) as RawHeaders | undefined,
      );
      return res;
    },
    write(chunk: unknown, ...rest: unknown[]): boolean {
      if (!status) return write(chunk, ...rest);
      held(chunk);
      return true;
    },
    end(chunk?: unknown, ...rest: unknown[]): ServerResponse {
      if (!status) return end(chunk, ...rest);
      if (typeof chunk !== 'function') held(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text.startsWith('{') ? text : JSON.stringify(tusProblem(status, text));
      for (const name of Object.keys(headers))
        if (/^(content-type|content-length)$/i.test(name)) delete headers[name];
      writeHead(status, {
        ...headers,
        'content-type': 'application/problem+json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        'cache-control': 'no-store',
      });
      return end(body);
    },
  });
  function passHead(code: number, rest: unknown[]): ServerResponse {
    (writeHead as (code: number, ...rest: unknown[]) => void)(code, ...rest);
    return res;
  }
}

function toHeaderObject(raw: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) out[raw[i]!] = raw[i + 1]!;
  } else if (raw) {
    for (const [name, value] of Object.entries(raw))
      if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * The tus 1.0 endpoint for deliverable uploads, served by @tus/server on the Fastify instance.
 * Uploads are created by POST /milestones/{id}/deliverables (which checks size and quota), so
 * clients only HEAD and PATCH here; creation and termination are not offered (nothing is ever
 * deleted). Every request needs the uploading studio's bearer token.
 */
@Injectable()
export class TusUploads implements OnModuleInit {
  private readonly logger = new Logger('TusUploads');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly jwt: JwtService,
    private readonly deliverables: DeliverablesService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // The worker process has no HTTP server.
    const adapter = this.adapterHost.httpAdapter as { getInstance?: () => FastifyInstance } | undefined;
    const fastify = adapter?.getInstance?.();
    if (!fastify) return;
    const tus = new Server({
      path: UPLOADS_PATH,
      datastore: this.storage.datastore,
      maxSize: this.config.maxUploadBytes,
      respectForwardedHeaders: false,
      // No CORS unless origins are configured (CORS_ORIGINS); @tus/server's default is `*`.
      allowedOrigins: (origin) => this.config.corsOrigins.includes(origin),
      onIncomingRequest: (req, id) => this.authorise(req.headers.get('authorization'), id),
      // Tus's own errors stay plain text here (problemBodies maps them); an unexpected error is
      // logged and answered as a bare 500 problem, its message never leaves.
      onResponseError: (_req, err) => {
        if (err instanceof TusRefusal || !(err instanceof Error) || 'status_code' in err) return undefined;
        this.logger.error({ err }, 'tus request failed');
        return { status_code: 500, body: JSON.stringify(problemOf(CommonErrors.INTERNAL, 500)) };
      },
      onUploadFinish: async (_req, upload) => {
        await this.deliverables.uploaded(upload.id);
        return {};
      },
    } satisfies Omit<ServerOptions, 'locker'> & { datastore: StorageDriver['datastore'] });
    const handle = async (
      req: { raw: Parameters<Server['handle']>[0] },
      reply: {
        hijack: () => void;
        raw: Parameters<Server['handle']>[1];
      },
    ): Promise<void> => {
      reply.hijack();
      problemBodies(reply.raw);
      await tus.handle(req.raw, reply.raw).catch((err: Error) => {
        this.logger.error({ err }, 'tus request failed');
        if (!reply.raw.headersSent)
          reply.raw.writeHead(500).end(JSON.stringify(problemOf(CommonErrors.INTERNAL, 500)));
      });
    };
    // In its own scope: only this route takes tus bodies; on JSON routes they stay a 415.
    void fastify.register((scope, _options, registered) => {
      // Leave the body unread: the tus server streams it into the store.
      scope.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
      scope.route({ method: ['HEAD', 'PATCH', 'OPTIONS'], url: `${UPLOADS_PATH}/:id`, handler: handle });
      registered();
    });
  }

  private async authorise(header: string | null, id: string): Promise<void> {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : null;
    let claims: unknown = null;
    try {
      claims = token ? await this.jwt.verifyAsync<AccessClaims>(token) : null;
    } catch {
      claims = null;
    }
    if (!isAccessClaims(claims))
      throw new TusRefusal(CommonErrors.UNAUTHENTICATED, 'A valid access token is required');
    // Upload ids are deliverable ids; anything else names no upload (and must not reach SQL).
    if (!UUID.test(id)) throw new TusRefusal(DeliverableErrors.UPLOAD_NOT_FOUND);
    try {
      await this.deliverables.assertUploader(
        {
          id: claims.sub,
          organisationId: claims.org,
          organisationKind: claims.kind,
          role: claims.role,
          sessionId: claims.sid,
        },
        id,
      );
    } catch (err) {
      // One answer for an upload that does not exist and one the caller may not see.
      if (isNotFound(err)) throw new TusRefusal(DeliverableErrors.UPLOAD_NOT_FOUND);
      if (err instanceof DomainError) throw new TusRefusal(err.def);
      throw err;
    }
  }
}
