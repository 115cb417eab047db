import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { notFound } from '../../shared/errors/common.errors';
import { cursorTsSql, decodeCursor, toPage, type Page } from '../../shared/http/pagination';
import type { NotificationDto, NotificationQuery } from './dto/notification.dto';

interface NotificationRow {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
  cursor_ts: string;
}

const COLUMNS = `id, type, title, data, created_at, read_at, ${cursorTsSql('created_at')} AS cursor_ts`;

const toDto = (r: NotificationRow): NotificationDto => ({
  id: r.id,
  type: r.type,
  title: r.title,
  data: r.data,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The caller's own notifications, newest first. */
  async list(user: AuthUser, q: NotificationQuery): Promise<Page<NotificationDto>> {
    const after = decodeCursor(q.cursor);
    const rows = await this.ds.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notifications
        WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [user.id, q.unread ?? null, after?.ts ?? null, after?.id ?? null, q.limit + 1],
    );
    return toPage(rows, q.limit, toDto);
  }

  /** Marks one of the caller's notifications read (idempotent); anyone else's is a 404. */
  async markRead(user: AuthUser, id: string): Promise<NotificationDto> {
    const [rows] = await this.ds.query<[NotificationRow[], number]>(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, user.id],
    );
    const row = rows[0];
    if (!row) throw notFound('Notification not found');
    return toDto(row);
  }
}
