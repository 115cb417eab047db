import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyInstance } from 'fastify';
import { isAccessClaims, type AccessClaims } from '../../shared/auth/auth-user';
import { QUEUES } from '../../shared/queue/queue.constants';
import { QueueService } from '../../shared/queue/queue.service';

export const DASHBOARD_PATH = '/admin/queues';

/** Bull Board over every queue, at /admin/queues, for the platform operator's bearer token only. */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueService,
    private readonly jwt: JwtService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as { getInstance?: () => FastifyInstance } | undefined;
    const fastify = adapter?.getInstance?.();
    if (!fastify) return;
    const board = new FastifyAdapter();
    createBullBoard({
      queues: Object.values(QUEUES).map((name) => new BullMQAdapter(this.queues.queue(name))),
      serverAdapter: board,
    });
    board.setBasePath(DASHBOARD_PATH);
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', async (req, reply) => {
        const header = req.headers.authorization;
        const claims = header?.startsWith('Bearer ')
          ? await this.jwt.verifyAsync<AccessClaims>(header.slice(7)).catch(() => null)
          : null;
        if (!isAccessClaims(claims) || claims.role !== 'operator') {
          await reply
            .status(claims ? 403 : 401)
            .header('Content-Type', 'application/problem+json')
            .send({
              type: 'about:blank',
              title: claims
                ? 'The queue dashboard is for the platform operator'
                : 'Authentication is required',
              status: claims ? 403 : 401,
              detail: 'Send the operator access token as a bearer token',
              code: claims ? 'FORBIDDEN' : 'UNAUTHENTICATED',
            });
        }
      });
      await scope.register(board.registerPlugin(), { prefix: DASHBOARD_PATH });
    });
  }
}
