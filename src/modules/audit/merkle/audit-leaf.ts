import canonicalize from 'canonicalize';
import { leafHashOf } from './merkle-tree';

/** The fields of an audit event that its leaf hash covers (ids and values only, no personal data). */
export interface AuditLeafEvent {
  actorId: string | null;
  organisationId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  /** Database time of the append, ISO 8601 UTC with microseconds (cursorTsSql). */
  at: string;
}

/**
 * The UTF-8 canonical JSON (RFC 8785, JCS) of an event: the bytes its leaf hash is over. A client
 * recomputes it from a `GET /audit` item with any JCS implementation.
 */
export function canonicalEvent(e: AuditLeafEvent): string {
  return canonicalize({
    actorId: e.actorId,
    organisationId: e.organisationId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    at: e.at,
  })!;
}

/** hex SHA-256(0x00 ‖ canonical JSON of the event). */
export const eventLeafHash = (e: AuditLeafEvent): string => leafHashOf(canonicalEvent(e)).toString('hex');
