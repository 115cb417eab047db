import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { CommonErrors } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { countOutboxBacklog } from '../../shared/outbox/outbox.repository';
import { QUEUES } from '../../shared/queue/queue.constants';
import { QueueService } from '../../shared/queue/queue.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Prometheus metrics: process defaults, an HTTP request histogram, queue depths by state and
 * the outbox backlog (read at scrape time). One registry per application, not prom-client's
 * global one, so several apps in one process (tests) do not collide.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry = new Registry();
  private internal: Server | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueService,
    @InjectDataSource() private readonly ds: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'efir_' });
    const queueJobs = new Gauge({
      name: 'efir_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      collect: async () => {
        // Redis down reads as no queue depths, not a failed scrape.
        const health = await this.queues
          .health()
          .catch(() => ({ redis: 'down' as const, queues: undefined }));
        queueJobs.reset();
        for (const queue of Object.values(QUEUES)) {
          for (const [state, n] of Object.entries(health.queues?.[queue] ?? {}))
            queueJobs.set({ queue, state }, n);
        }
      },
    });
    new Gauge({
      name: 'efir_outbox_backlog',
      help: 'Outbox events due but not yet handed to a queue',
      registers: [this.registry],
      async collect() {
        // A database outage is reported as -1, not a failed scrape: the other metrics still count.
        const n = await countOutboxBacklog(ds.manager).catch(() => -1);
        this.set(n ?? -1);
      },
    });
  }

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter as { getInstance?: () => FastifyInstance } | undefined;
    const fastify = adapter?.getInstance?.();
    if (!fastify) return;
    const requests = new Histogram({
      name: 'efir_http_request_duration_seconds',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [this.registry],
    });
    fastify.addHook('onResponse', (req, reply, done) => {
      // The route pattern, not the URL: ids would explode the label space.
      const route = req.routeOptions.url ?? 'unmatched';
      requests.observe(
        { method: req.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
    if (this.config.metricsPort) {
      this.internal = createServer((req, res) => {
        void this.registry
          .metrics()
          .then((text) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text));
      }).listen(this.config.metricsPort, '0.0.0.0');
    }
  }

  onApplicationShutdown(): void {
    this.internal?.close();
  }

  /**
   * The Prometheus text for a caller of the API route: only with the metrics token (compared in
   * constant time). No address is trusted; without a configured token, metrics are on
   * METRICS_PORT alone (403).
   */
  async scrapeWithToken(authorization: string | undefined): Promise<{ contentType: string; body: string }> {
    const token = this.config.metricsToken;
    if (!token) throw new DomainError(CommonErrors.FORBIDDEN, 'Metrics are served on the internal port');
    if (!sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new DomainError(CommonErrors.UNAUTHENTICATED, 'The metrics token is required');
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
