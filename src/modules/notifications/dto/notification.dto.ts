import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQuery } from '../../../shared/http/pagination';

export class NotificationQuery extends PageQuery {
  /** Only unread notifications. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

export class NotificationDto {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export class NotificationPageDto {
  items: NotificationDto[];
  nextCursor: string | null;
}
