import { money } from '../../shared/money';
import type { BidStatus } from './bid-status';
import type { BidContentDto, BidDto } from './dto/bid.dto';

/** What a bid commits to; hashed (canonical JSON) into its receipt. */
export type BidContent = Omit<BidContentDto, 'productionSchedule'> & { productionSchedule?: string };

export interface BidRow {
  id: string;
  brief_id: string;
  studio_id: string;
  studio_name: string;
  status: BidStatus;
  version: number;
  price_amount: string;
  currency: string;
  content: BidContent;
  over_budget: boolean;
  commitment: string | null;
  nonce: string | null;
  submitted_at: Date | null;
  decision_note: string | null;
  created_at: Date;
  updated_at: Date;
}

export const BID_COLUMNS = `x.id, x.brief_id, x.studio_id, so.name AS studio_name, x.status, x.version, x.price_amount,
  x.currency, x.content, x.over_budget, x.commitment, x.nonce, x.submitted_at, x.decision_note, x.created_at, x.updated_at`;

export const BID_FROM = `bids x JOIN organisations so ON so.id = x.studio_id`;

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
