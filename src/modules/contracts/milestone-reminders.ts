import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventPayloads } from '../../shared/outbox/events';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { SIGNERS } from './contract.access';
import { MilestonesRepository } from './repositories/milestones.repository';

/**
 * Scheduled reminders (outbox events with a future available_at): `milestone.due_soon` to the
 * studio 3 days before a milestone is due, `milestone.review_overdue` to the broadcaster's
 * admins when a submission waits MILESTONE_REVIEW_DAYS. A reminder whose milestone has moved on
 * (delivered, reviewed, resubmitted, re-dated) finds nothing to say.
 */
@Injectable()
export class MilestoneReminders {
  constructor(
    private readonly outbox: OutboxService,
    private readonly milestones: MilestonesRepository,
  ) {}

  async remind(p: EventPayloads['milestone.reminder'], em: EntityManager): Promise<void> {
    const m = await this.milestones.forReminder(em, p.milestoneId);
    if (!m || m.contract_status !== 'active') return;
    const data = { milestoneId: p.milestoneId, milestoneTitle: m.title, contractId: m.contract_id };
    if (p.kind === 'due_soon') {
      const open = m.status === 'pending' || m.status === 'changes_requested';
      if (!open || Date.parse(m.due_at) !== Date.parse(p.at)) return;
      await this.outbox.emit(em, 'milestone.due_soon', {
        recipients: { organisationIds: [m.studio_id], roles: [...SIGNERS.studio] },
        data,
      });
      return;
    }
    if (m.status !== 'submitted' || m.submitted_at !== p.at) return;
    await this.outbox.emit(em, 'milestone.review_overdue', {
      recipients: { organisationIds: [m.broadcaster_id], roles: ['admin'] },
      data,
    });
  }
}
