import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrganisationKind } from '../../shared/auth/roles';
import type { OrganisationDto } from './dto/organisation.dto';

export interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  country: string;
  bin: string | null;
  genres: string[];
  vat_rate: string | null;
  public_body: boolean;
  verified_at: Date | null;
  created_at: Date;
}

const ORG_COLUMNS = 'id, name, kind, country, bin, genres, vat_rate, public_body, verified_at, created_at';

export const toOrganisationDto = (r: OrganisationRow): OrganisationDto => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  country: r.country,
  bin: r.bin,
  genres: r.genres,
  vatRate: r.vat_rate === null ? null : Number(r.vat_rate),
  publicBody: r.public_body,
  verified: r.verified_at !== null,
  verifiedAt: r.verified_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  country: string;
  bin?: string | null;
}

export interface OrganisationChange {
  name?: string;
  genres?: string[];
  vatRate?: number | null;
  publicBody?: boolean;
}

/** Advisory lock key serialising operator bootstrap (API and worker starting together). */
const OPERATOR_BOOTSTRAP_LOCK = 7262002;

@Injectable()
export class OrganisationsRepository {
  async insert(em: EntityManager, o: NewOrganisation): Promise<OrganisationRow> {
    const [org] = await em.query<OrganisationRow[]>(
      `INSERT INTO organisations (name, kind, country, bin) VALUES ($1, $2, $3, $4) RETURNING ${ORG_COLUMNS}`,
      [o.name, o.kind, o.country, o.bin ?? null],
    );
    return org!;
  }

  /** The organisation, or undefined; `lock` takes it FOR UPDATE. */
  async find(em: EntityManager, id: string, lock = false): Promise<OrganisationRow | undefined> {
    const [row] = await em.query<OrganisationRow[]>(
      `SELECT ${ORG_COLUMNS} FROM organisations WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  async exists(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM organisations WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** Applies the fields given (a null vatRate clears it); genres are de-duplicated. */
  async update(em: EntityManager, id: string, change: OrganisationChange): Promise<OrganisationRow> {
    const [after] = await em.query<[OrganisationRow[], number]>(
      `UPDATE organisations
            SET name = coalesce($2, name),
                genres = coalesce($3::text[], genres),
                vat_rate = CASE WHEN $4::boolean THEN $5::numeric ELSE vat_rate END,
                public_body = coalesce($6, public_body),
                updated_at = now()
          WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
      [
        id,
        change.name ?? null,
        change.genres ? [...new Set(change.genres)] : null,
        change.vatRate !== undefined,
        change.vatRate ?? null,
        change.publicBody ?? null,
      ],
    );
    return after[0]!;
  }

  async markVerified(em: EntityManager, id: string): Promise<OrganisationRow> {
    const [rows] = await em.query<[OrganisationRow[], number]>(
      `UPDATE organisations SET verified_at = now(), updated_at = now() WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
      [id],
    );
    return rows[0]!;
  }

  /** Serialises operator bootstrap until the transaction ends. */
  async lockOperatorBootstrap(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(${OPERATOR_BOOTSTRAP_LOCK})`);
  }

  /** The platform organisation's id, creating it (verified) when there is none. */
  async platformId(em: EntityManager): Promise<string> {
    const [platform] = await em.query<{ id: string }[]>(
      `SELECT id FROM organisations WHERE kind = 'platform' LIMIT 1`,
    );
    if (platform) return platform.id;
    const [created] = await em.query<{ id: string }[]>(
      `INSERT INTO organisations (name, kind, country, verified_at) VALUES ('Efir platform', 'platform', 'KZ', now())
           RETURNING id`,
    );
    return created!.id;
  }

  async standing(
    em: EntityManager,
    organisationId: string,
  ): Promise<{ verified: boolean; country: string; bin: string | null } | undefined> {
    const [org] = await em.query<{ verified: boolean; country: string; bin: string | null }[]>(
      'SELECT verified_at IS NOT NULL AS verified, country, bin FROM organisations WHERE id = $1',
      [organisationId],
    );
    return org;
  }

  async studioIdsAmong(em: EntityManager, ids: string[]): Promise<string[]> {
    const rows = await em.query<{ id: string }[]>(
      `SELECT id FROM organisations WHERE id = ANY($1::uuid[]) AND kind = 'studio'`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async lock(em: EntityManager, id: string): Promise<void> {
    await em.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [id]);
  }
}
