import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { QUEUES } from '../../../shared/queue/queue.constants';
import { QueueService } from '../../../shared/queue/queue.service';
import { DeliverablesService, type FileDigest } from '../deliverables.service';
import { STORAGE_DRIVER, type StorageDriver } from '../storage/storage-driver';

/** A `verify` job on the deliverables queue: an id only (the run reloads the row). */
export interface VerifyJobData {
  deliverableId: string;
}

/** Runs at a time per worker process; each streams one whole file (disk or network bound). */
const CONCURRENCY = 2;

/**
 * The id of a deliverable's verification job; built here only. Deterministic, so an outbox event
 * handled twice adds one job: BullMQ ignores an add whose id it still holds, waiting, active,
 * completed (kept by `removeOnComplete`, 1000 jobs for an hour) or failed (kept 7 days). That is
 * what one deliverable wants: a row is one version of its kind (a new upload is a new row and a
 * new id), verified once. Two consequences: an add after the completed twin was removed runs,
 * claims nothing and ends; and while a job that used up its attempts sits in the failed set, an
 * add is ignored, so the deliverable stays `verifying` until that job is retried from there.
 */
export const verifyJobId = (deliverableId: string): string => `verify-${deliverableId}`;

/**
 * Checksum verification of uploaded deliverables, on the deliverables queue, with no transaction
 * open while the file is read (a 200 GiB master takes minutes): claim the row in one short
 * transaction, hash the stored file, record the result in another short transaction that
 * re-checks the row. A run repeated (a job added twice, a killed worker's job retried by
 * BullMQ's stalled-job check) hashes again and records nothing once a result is recorded.
 */
@Injectable()
export class DeliverableVerification implements OnModuleInit {
  private readonly logger = new Logger('DeliverableVerification');

  constructor(
    private readonly deliverables: DeliverablesService,
    private readonly queues: QueueService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  onModuleInit(): void {
    this.queues.onWorkerStart(() =>
      this.queues.startWorker<VerifyJobData>(QUEUES.deliverables, (job) => this.run(job.data.deliverableId), {
        concurrency: CONCURRENCY,
      }),
    );
  }

  /** Queues the verification of a completed upload (the `deliverable.uploaded` handler). */
  async enqueue(deliverableId: string): Promise<void> {
    await this.queues
      .queue(QUEUES.deliverables)
      .add('verify', { deliverableId } satisfies VerifyJobData, { jobId: verifyJobId(deliverableId) });
  }

  /** One run. A storage error throws, so BullMQ retries the job with backoff. */
  async run(deliverableId: string): Promise<void> {
    if (!(await this.deliverables.claimVerification(deliverableId))) return;
    const started = process.hrtime.bigint();
    const digest = await this.digest(deliverableId);
    const status = await this.deliverables.recordVerification(deliverableId, digest);
    this.logger.log(
      {
        deliverableId,
        bytes: digest.bytes.toString(),
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
        status: status ?? 'recorded by another run',
      },
      'deliverable verified',
    );
  }

  /** Streams the stored file once through SHA-256, counting its bytes; no database connection held. */
  private async digest(id: string): Promise<FileDigest> {
    const hash = createHash('sha256');
    let bytes = 0n;
    for await (const chunk of await this.storage.read(id)) {
      const buf = chunk as Buffer;
      bytes += BigInt(buf.length);
      hash.update(buf);
    }
    return { sha256: hash.digest('hex'), bytes };
  }
}
