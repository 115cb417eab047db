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
 * The notifications of `by` of `type` about one object: `about` names the data field and its
 * value, e.g. `{ contractId }`.
 */
export async function notificationsAbout(
  t: TestApp,
  by: Actor,
  type: string,
  about: Record<string, string>,
): Promise<Notification[]> {
  const [[key, id]] = Object.entries(about) as [[string, string]];
  return (await notificationsOf(t, by)).filter((n) => n.type === type && n.data[key] === id);
}

/** Polls until `by` has a notification of `type` about the object (see notificationsAbout). */
export function waitForNotification(
  t: TestApp,
  by: Actor,
  type: string,
  about: Record<string, string>,
  ms?: number,
): Promise<true> {
  return eventually(async () => (await notificationsAbout(t, by, type, about)).length > 0 || undefined, ms);
}
