import { createHash } from 'node:crypto';
import { bearer, type Actor } from './index';
import type { TestApp } from '../utils/app';
import { API } from '../utils/app';

const DAY = 86400;
const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();

export function ideaCallBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Stories of the steppe',
    description: 'Documentary ideas about life on the steppe.',
    genres: ['documentary'],
    languages: ['kk', 'ru'],
    closesAt: inSeconds(30 * DAY),
    votingEnabled: true,
    ...overrides,
  };
}

/** An idea call created and opened by `by` (a broadcaster's commissioner or admin). */
export async function openIdeaCall(
  t: TestApp,
  by: Actor,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await t
    .http()
    .post(`${API}/idea-calls`)
    .set(...bearer(by))
    .send(ideaCallBody(overrides))
    .expect(201);
  const id = created.body.id as string;
  await t
    .http()
    .post(`${API}/idea-calls/${id}/open`)
    .set(...bearer(by))
    .expect(200);
  return id;
}

export interface SeedIdea {
  status?: string;
  title?: string;
  logline?: string;
  description?: string;
  name?: string;
  email?: string;
  credit?: boolean;
}

/**
 * An idea written straight into the database (with its submitter row), for tests of what comes
 * after a submission (moderation, votes, reports, conversion). The receipt columns hold a hash of
 * the text and a placeholder signature: tests of receipts submit through the public route.
 */
export async function seedIdea(t: TestApp, callId: string, o: SeedIdea = {}): Promise<string> {
  const title = o.title ?? `An idea ${Math.random().toString(36).slice(2, 8)}`;
  const logline = o.logline ?? 'A logline that says what the programme is.';
  const description = o.description ?? 'A longer description of the programme idea.';
  const sha256 = createHash('sha256').update(`${callId}\n${title}\n${logline}\n${description}`).digest('hex');
  const { rows } = await t.db.query<{ id: string }>(
    `INSERT INTO ideas (call_id, status, title, logline, description, credit, sha256, signature, key_id, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'seeded', 'seeded', date_trunc('milliseconds', now())) RETURNING id`,
    [callId, o.status ?? 'pending', title, logline, description, o.credit ?? true, sha256],
  );
  const id = rows[0]!.id;
  await t.db.query(
    `INSERT INTO idea_submitters (idea_id, name, email, ip_hash, consent_version) VALUES ($1, $2, $3, 'seeded', 'v1')`,
    [id, o.name ?? 'Aigerim Nurlanovna', o.email ?? `viewer-${id.slice(0, 8)}@mail.kz`],
  );
  return id;
}
