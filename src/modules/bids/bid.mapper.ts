import { money } from '../../shared/money';
import type { BidRow } from './bids.repository';
import type { BidContentDto, BidDto } from './dto/bid.dto';

export type { BidRow };

/** What a bid commits to; hashed (canonical JSON) into its receipt. */
export type BidContent = Omit<BidContentDto, 'productionSchedule'> & { productionSchedule?: string };

export function toBidDto(r: BidRow): BidDto {
  const c = r.content;
  return {
    id: r.id,
    briefId: r.brief_id,
    studio: { id: r.studio_id, name: r.studio_name },
    status: r.status,
    version: r.version,
    price: money(r.price_amount, r.currency),
    breakdown: c.breakdown,
    milestones: c.milestones,
    creativeApproach: c.creativeApproach,
    team: c.team,
    productionSchedule: c.productionSchedule,
    overBudget: r.over_budget,
    receipt:
      r.commitment && r.nonce && r.submitted_at
        ? { commitment: r.commitment, nonce: r.nonce, submittedAt: r.submitted_at.toISOString() }
        : null,
    decisionNote: r.decision_note,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The content object that is stored and committed to (only the fields of a bid's content). */
export function contentOf(dto: BidContentDto): BidContent {
  const content: BidContent = {
    price: { amount: dto.price.amount, currency: dto.price.currency },
    breakdown: dto.breakdown.map((l) => ({
      label: l.label,
      amount: { amount: l.amount.amount, currency: l.amount.currency },
    })),
    milestones: dto.milestones.map((m) => ({
      title: m.title,
      share: m.share,
      dueAt: new Date(m.dueAt).toISOString(),
    })),
    creativeApproach: dto.creativeApproach,
    team: dto.team,
  };
  if (dto.productionSchedule !== undefined) content.productionSchedule = dto.productionSchedule;
  return content;
}
