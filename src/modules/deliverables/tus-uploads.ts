import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Server, type ServerOptions } from '@tus/server';
import type { FastifyInstance } from 'fastify';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { isAccessClaims, type AccessClaims } from '../../shared/auth/auth-user';
import { DomainError } from '../../shared/errors/domain-error';
import { DeliverablesService } from './deliverables.service';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';

export const UPLOADS_PATH = '/api/v1/uploads';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refusal from a tus hook: the tus server answers with its status_code and body. */
class TusRefusal extends Error {
  readonly body: string;
  constructor(
    readonly status_code: number,
    message: string,
  ) {
    super(message);
    this.body = `${message}\n`;
  }
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
      onUploadFinish: async (_req, upload) => {
        await this.deliverables.uploaded(upload.id);
        return {};
      },
    } satisfies Omit<ServerOptions, 'locker'> & { datastore: StorageDriver['datastore'] });
    // Leave the body unread: the tus server streams it into the store.
    fastify.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
    const handle = async (
      req: { raw: Parameters<Server['handle']>[0] },
      reply: {
        hijack: () => void;
        raw: Parameters<Server['handle']>[1];
      },
    ): Promise<void> => {
      reply.hijack();
      await tus.handle(req.raw, reply.raw).catch((err: Error) => {
        this.logger.error({ err }, 'tus request failed');
        if (!reply.raw.headersSent) reply.raw.writeHead(500).end();
      });
    };
    fastify.route({ method: ['HEAD', 'PATCH', 'OPTIONS'], url: `${UPLOADS_PATH}/:id`, handler: handle });
  }

  private async authorise(header: string | null, id: string): Promise<void> {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : null;
    let claims: unknown = null;
    try {
      claims = token ? await this.jwt.verifyAsync<AccessClaims>(token) : null;
    } catch {
      claims = null;
    }
    if (!isAccessClaims(claims)) throw new TusRefusal(401, 'A valid access token is required');
    // Upload ids are deliverable ids; anything else names no upload (and must not reach SQL).
    if (!UUID.test(id)) throw new TusRefusal(404, 'Not found');
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
      if (err instanceof DomainError) throw new TusRefusal(err.def.status, err.def.title);
      throw err;
    }
  }
}
