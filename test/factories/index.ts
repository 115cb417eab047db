import { randomBytes, randomInt } from 'node:crypto';
import { isValidKzBin } from '../../src/modules/organisations/bin';
import { OPERATOR, type TestApp } from '../utils/app';

/** Response shapes, as the API's own DTOs describe them (types only: nothing is checked by them). */
export type { AuditEventDto as AuditEvent } from '../../src/modules/audit/dto/audit-query.dto';
export type { NotificationDto as Notification } from '../../src/modules/notifications/dto/notification.dto';

export interface Actor {
  token: string;
  refreshToken: string;
  userId: string;
  organisationId: string;
  email: string;
  password: string;
}

/** A random valid Kazakhstan BIN. */
export function validBin(): string {
  for (;;) {
    const eleven = Array.from({ length: 11 }, () => randomInt(10)).join('');
    for (let d = 0; d <= 9; d++) if (isValidKzBin(eleven + d)) return eleven + d;
  }
}

export const uniqueEmail = (label = 'user'): string => `${label}-${randomBytes(5).toString('hex')}@efir.test`;

export const bearer = (a: { token: string }): [string, string] => ['Authorization', `Bearer ${a.token}`];

/** Registers an organisation; returns its first admin, signed in. */
export async function registerOrganisation(
  t: TestApp,
  opts: { kind?: 'broadcaster' | 'studio'; country?: string; name?: string } = {},
): Promise<Actor> {
  const email = uniqueEmail(opts.kind ?? 'studio');
  const password = 'correct-horse-battery';
  const country = opts.country ?? 'KZ';
  const res = await t
    .http()
    .post('/api/v1/auth/register')
    .send({
      organisation: {
        name: opts.name ?? `Org ${randomBytes(3).toString('hex')}`,
        kind: opts.kind ?? 'studio',
        country,
        ...(country === 'KZ' ? { bin: validBin() } : {}),
      },
      user: { email, password, fullName: 'First Admin' },
    });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    token: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    userId: res.body.user.id,
    organisationId: res.body.organisation.id,
    email,
    password,
  };
}

export async function login(t: TestApp, email: string, password: string): Promise<Actor> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    token: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    userId: res.body.user.id,
    organisationId: res.body.user.organisation.id,
    email,
    password,
  };
}

/** Adds a member with `role` to the admin's organisation and signs them in. */
export async function addMember(t: TestApp, admin: Actor, role: string): Promise<Actor> {
  const email = uniqueEmail(role);
  const password = 'member-password-123';
  const res = await t
    .http()
    .post(`/api/v1/organisations/${admin.organisationId}/members`)
    .set(...bearer(admin))
    .send({ email, password, fullName: `A ${role}`, role });
  if (res.status !== 201) throw new Error(`add member failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(t, email, password);
}

export const loginOperator = (t: TestApp): Promise<Actor> => login(t, OPERATOR.email, OPERATOR.password);
