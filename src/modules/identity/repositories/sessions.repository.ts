import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A refresh token with its session, locked (FOR UPDATE OF t, s) for rotation. */
export interface RefreshTokenRow {
  id: string;
  session_id: string;
  used_at: Date | null;
  live: boolean;
  revoked_at: Date | null;
  user_id: string;
  organisation_id: string;
}

/** auth_sessions (refresh-token families) and refresh_tokens. */
@Injectable()
export class SessionsRepository {
  async insertSession(em: EntityManager, userId: string): Promise<string> {
    const [session] = await em.query<{ id: string }[]>(
      'INSERT INTO auth_sessions (user_id) VALUES ($1) RETURNING id',
      [userId],
    );
    return session!.id;
  }

  /** The token with this hash, its session and user, locking the token and its session. */
  async lockRefreshToken(em: EntityManager, tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await em.query<RefreshTokenRow[]>(
      `SELECT t.id, t.session_id, t.used_at, t.expires_at > now() AS live, s.revoked_at, s.user_id,
                u.organisation_id
           FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
      [tokenHash],
    );
    return row;
  }

  async markTokenUsed(em: EntityManager, tokenId: string): Promise<void> {
    await em.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [tokenId]);
  }

  async insertRefreshToken(
    em: EntityManager,
    sessionId: string,
    tokenHash: string,
    ttlSeconds: number,
  ): Promise<void> {
    await em.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [sessionId, tokenHash, ttlSeconds],
    );
  }

  /** Revokes a live session; false when it was already revoked. */
  async revokeSession(em: EntityManager, sessionId: string, reason: string): Promise<boolean> {
    const revoked = await em.query<[unknown[], number]>(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL RETURNING user_id`,
      [sessionId, reason],
    );
    return revoked[1] > 0;
  }
}
