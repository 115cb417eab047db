import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventPayloads } from '../../shared/outbox/events';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { cursorTsSql } from '../../shared/http/pagination';
import { SIGNERS } from './contracts.service';

/**
 * Scheduled reminders (outbox events with a future available_at): `milestone.due_soon` to the
 * studio 3 days before a milestone is due, `milestone.review_overdue` to the broadcaster's
 * admins when a submission waits MILESTONE_REVIEW_DAYS. A reminder whose milestone has moved on
 * (delivered, reviewed, resubmitted, re-dated) finds nothing to say.
 */
@Injectable()
export class MilestoneReminders {
  constructor(private readonly outbox: OutboxService) {}

  async remind(p: EventPayloads['milestone.reminder'], em: EntityManager): Promise<void> {
    const [m] = await em.query<
      {
        title: string;
        status: string;
        due_at: string;
        submitted_at: string | null;
        broadcaster_id: string;
        studio_id: string;
        contract_id: string;
        contract_status: string;
      }[]
    >(
      `SELECT m.title, m.status, ${cursorTsSql('m.due_at')} AS due_at,
              ${cursorTsSql('m.submitted_at')} AS submitted_at, c.broadcaster_id, c.studio_id, c.id AS contract_id,
              c.status AS contract_status
         FROM milestones m JOIN contracts c ON c.id = m.contract_id WHERE m.id = $1`,
      [p.milestoneId],
    );
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
