import { Check, Column, Entity, Index } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../shared/database/columns';
import type { OrganisationKind } from '../../shared/auth/roles';

@Entity('organisations')
@Check('organisations_kind_check', `kind IN ('broadcaster', 'studio', 'platform')`)
@Check('organisations_country_check', `country ~ '^[A-Z]{2}$'`)
@Check('organisations_vat_rate_check', `vat_rate IS NULL OR (vat_rate >= 0 AND vat_rate <= 100)`)
@Index('organisations_bin_key', ['country', 'bin'], { unique: true, where: 'bin IS NOT NULL' })
export class Organisation {
  @UuidPk('organisations')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: OrganisationKind;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text', nullable: true })
  bin: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  genres: string[];

  @Column({ name: 'vat_rate', type: 'numeric', precision: 5, scale: 2, nullable: true })
  vatRate: string | null;

  @Column({ name: 'public_body', type: 'boolean', default: false })
  publicBody: boolean;

  @Timestamp('verified_at', { nullable: true })
  verifiedAt: Date | null;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('updated_at', { default: () => 'now()' })
  updatedAt: Date;
}
