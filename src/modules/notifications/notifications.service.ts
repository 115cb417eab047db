import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { requireAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { notFound } from '../../shared/errors/common.errors';
import { decodeCursor, toPage, type Page } from '../../shared/http/pagination';
import type { NotificationDto, NotificationQuery } from './dto/notification.dto';
import { notificationAccess } from './notification.access';
import { NotificationsRepository, toNotificationDto } from './notifications.repository';

@Injectable()
export class NotificationsService {
  private readonly access: ReturnType<typeof notificationAccess>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: NotificationsRepository,
  ) {
    this.access = notificationAccess(repo);
  }

  /** The caller's own notifications, newest first. */
  async list(user: AuthUser, q: NotificationQuery): Promise<Page<NotificationDto>> {
    const after = decodeCursor(q.cursor);
    const rows = await this.repo.list(this.ds.manager, user.id, q.unread ?? null, after, q.limit + 1);
    return toPage(rows, q.limit, toNotificationDto);
  }

  /** Marks one of the caller's notifications read (idempotent); anyone else's is a 404. */
  markRead(user: AuthUser, id: string): Promise<NotificationDto> {
    return this.ds.transaction(async (em) => {
      await requireAccess(this.access, em, user, id, 'markRead', { lock: true });
      const row = await this.repo.markRead(em, id, user.id);
      if (!row) throw notFound('Notification not found');
      return toNotificationDto(row);
    });
  }
}
