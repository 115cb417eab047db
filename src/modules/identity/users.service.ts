import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Page, PageQuery } from '../../shared/http/pagination';
import { decodeCursor } from '../../shared/http/pagination';
import {
  UsersRepository,
  type NewUser,
  type UserCredentialsRow,
  type UserSummary,
} from './repositories/users.repository';

export type { NewUser, UserCredentialsRow, UserSummary } from './repositories/users.repository';

/**
 * The users table for the modules above identity (organisations registers members and the
 * platform operator): each method takes the caller's EntityManager, so the caller's use case
 * stays one transaction.
 */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** A new user of `organisationId`; the e-mail is stored lower-cased. */
  createUser(
    em: EntityManager,
    organisationId: string,
    user: NewUser,
    passwordHash: string,
  ): Promise<UserSummary> {
    return this.users.insert(em, organisationId, user, passwordHash);
  }

  /** The platform operator's account, named 'Platform operator'. */
  createOperator(
    em: EntityManager,
    organisationId: string,
    email: string,
    passwordHash: string,
  ): Promise<string> {
    return this.users.insertOperator(em, organisationId, email, passwordHash);
  }

  /** The user with exactly this e-mail (not lower-cased here), with what a password check needs. */
  findByEmail(em: EntityManager, email: string): Promise<UserCredentialsRow | undefined> {
    return this.users.credentialsByEmail(em, email);
  }

  /** Sets a new password hash and re-enables the account. */
  setPassword(em: EntityManager, userId: string, passwordHash: string): Promise<void> {
    return this.users.setPassword(em, userId, passwordHash);
  }

  /** The organisation's enabled members, newest first. */
  listMembers(em: EntityManager, organisationId: string, page: PageQuery): Promise<Page<UserSummary>> {
    return this.users.listMembers(em, organisationId, decodeCursor(page.cursor), page.limit);
  }
}
