// The typed map of outbox event types to their payloads. Payloads stay in PostgreSQL; the
// BullMQ job carries only the outbox id.

/** Who an event is for: explicit users, and/or members of organisations (optionally by role). */
export interface Recipients {
  userIds?: string[];
  organisationIds?: string[];
  /** Verified studios with this genre among their interests. */
  studiosInterestedInGenre?: string;
  /** Limits organisation members (not `userIds`) to these roles. */
  roles?: string[];
  /**
   * A user told about their own account (security notices): in-app, and by e-mail whatever
   * their e-mail settings; it concerns no organisation, so no webhook carries it.
   */
  accountHolder?: string;
}

export type NotificationData = Record<string, string | number | boolean | null>;

export interface NotifyPayload {
  recipients: Recipients;
  data: NotificationData;
}

/** Every notification type the API lists (GET /notifications `type`), plus the foundation's own. */
export const NOTIFICATION_TYPES = [
  'member.invited',
  'organisation.verified',
  'brief.published',
  'brief.amended',
  'brief.cancelled',
  'brief.closing_soon',
  'question.answered',
  'bid.submitted',
  'bids.opened',
  'bid.awarded',
  'bid.not_selected',
  'contract.ready_to_sign',
  'contract.active',
  'milestone.submitted',
  'milestone.accepted',
  'milestone.changes_requested',
  'milestone.due_soon',
  'milestone.review_overdue',
  'deliverable.ready',
  'deliverable.rejected',
  'deliverable.qc_passed',
  'deliverable.qc_failed',
  'invoice.issued',
  'invoice.overdue',
  'payout.approval_needed',
  'payout.approved',
  'payout.paid',
  'webhook.failed',
  'account.login_attack',
  'idea.submitted',
  'idea.reported',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export type EventPayloads = { [T in NotificationType]: NotifyPayload } & {
  'mail.send': { mailId: string };
  /** Scheduled at a brief deadline (or 24 h before it); stale if the deadline has moved since. */
  'brief.deadline': { briefId: string; kind: 'close' | 'closing_soon'; bidsCloseAt: string };
  /** Scheduled milestone reminder; `at` is the due date or submission time it was scheduled for. */
  'milestone.reminder': { milestoneId: string; kind: 'due_soon' | 'review_overdue'; at: string };
  /** A tus upload completed: verify its checksum. */
  'deliverable.uploaded': { deliverableId: string };
  /** Scheduled at issue + INVOICE_REMINDER_DAYS: reminds the payer if the invoice is still open. */
  'invoice.reminder': { invoiceId: string };
  /**
   * An e-mail to a member of the public about an idea (the ideas module sends it: the address
   * stays in its tables, and a link's token is made at send time, so neither is in the outbox).
   * `ideaId` for every kind but `vote`, which names its vote request; `decision` for `decision`.
   */
  'idea.mail': { kind: IdeaMailKind; ideaId?: string; requestId?: string; decision?: IdeaDecision };
  /** Scheduled at a vote request's expiry: deletes its e-mail address if it is still kept. */
  'idea.vote_expiry': { requestId: string };
  /** One webhook delivery (routed to the webhooks queue, not to the outbox consumer). */
  'webhook.deliver': { deliveryId: string };
  /** A contract had every milestone paid and completed (open data records its end). */
  'contract.completed': { contractId: string };
  /** A contract was terminated (draft or active; open data records its end). */
  'contract.terminated': { contractId: string };
  /**
   * Open data: releases were recorded; assigns their publication sequence once their
   * transaction has committed (transparency/ocds).
   */
  'ocds.sequence': Record<string, never>;
};
export type EventType = keyof EventPayloads;

/**
 * E-mails to the public: the submitter's receipt (with the withdraw/erase link), a moderation
 * decision, the published answer, the conversion into a brief; a voter's confirmation link.
 */
export type IdeaMailKind = 'receipt' | 'decision' | 'answer' | 'converted' | 'vote';

/** The moderation decisions a submitter is told of (the `decision` e-mail says which). */
export type IdeaDecision = 'approved' | 'rejected' | 'shortlisted' | 'declined';

export const EVENT_TYPES: readonly EventType[] = [
  ...NOTIFICATION_TYPES,
  'mail.send',
  'brief.deadline',
  'milestone.reminder',
  'deliverable.uploaded',
  'webhook.deliver',
  'invoice.reminder',
  'idea.mail',
  'idea.vote_expiry',
  'contract.completed',
  'contract.terminated',
  'ocds.sequence',
];

/** Event types the relay sends to a queue of their own, whose worker handles them. */
export const ROUTED_EVENTS: Partial<Record<EventType, 'webhooks'>> = { 'webhook.deliver': 'webhooks' };

export interface OutboxRow<T extends EventType = EventType> {
  id: string;
  type: T;
  payload: EventPayloads[T];
}
