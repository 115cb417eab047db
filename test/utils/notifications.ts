import { bearer, type Actor, type Notification } from '../factories';
import { api, eventually, type TestApp } from './app';

/** Every in-app notification of `by` (newest first), following the cursor over at most 10 pages of 100. */
export async function notificationsOf(t: TestApp, by: Actor): Promise<Notification[]> {
  const all: Notification[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10; page++) {
    const res = await t
      .http()
      .get(api('/notifications'))
      .query({ limit: 100, ...(cursor ? { cursor } : {}) })
      .set(...bearer(by));
    expect(res.status).toBe(200);
    all.push(...(res.body.items as Notification[]));
    cursor = res.body.nextCursor as string | null;
    if (!cursor) break;
  }
  return all;
}

/**
 * The notifications of `by` of `type` (newest first) whose data has the fields of `about`, e.g.
 * `{ contractId }`: the notices about one object.
 */
export async function notificationsAbout(
  t: TestApp,
  by: Actor,
  type: string,
  about: Record<string, string> = {},
): Promise<Notification[]> {
  const fields = Object.entries(about);
  return (await notificationsOf(t, by)).filter(
    (n) => n.type === type && fields.every(([key, value]) => n.data[key] === value),
  );
}

/** Polls until `by` has a notification of `type` (about the object, see notificationsAbout); returns the newest. */
export function waitForNotification(
  t: TestApp,
  by: Actor,
  type: string,
  about: Record<string, string> = {},
  ms?: number,
): Promise<Notification> {
  return eventually(async () => (await notificationsAbout(t, by, type, about))[0], ms);
}
