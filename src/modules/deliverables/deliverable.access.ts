import type { EntityManager } from 'typeorm';
import type { ResourceAccess } from '../../shared/auth/access';
import type { AuthUser } from '../../shared/auth/auth-user';
import { Policy } from '../../shared/auth/policies';
import { isNotFound } from '../../shared/errors/common.errors';
import type { ContractsService, ContractTerms, MilestoneRow } from '../contracts/contracts.service';
import type { DeliverableRow, DeliverablesRepository } from './deliverables.repository';

// Who acts for a party: its organisation, in a signer's role (as the contract's signers).
const studioSigner = (user: AuthUser, studioId: string): boolean =>
  user.organisationId === studioId && Policy.SignForStudio.roles.includes(user.role);
const broadcasterSigner = (user: AuthUser, broadcasterId: string): boolean =>
  user.organisationId === broadcasterId && Policy.SignForBroadcaster.roles.includes(user.role);

/** A milestone's contract as the caller sees it; `milestone` is the locked row when asked to lock. */
export interface MilestoneWork {
  contract: ContractTerms;
  milestone: MilestoneRow | undefined;
}
export type MilestoneWorkAction = 'read' | 'upload' | 'submit' | 'review';

/** The contract of a milestone, when the caller may see it (a party's member, or the operator). */
async function visibleContract(
  contracts: ContractsService,
  em: EntityManager,
  user: AuthUser,
  contractId: string,
): Promise<ContractTerms | undefined> {
  try {
    return await contracts.visible(em, user, contractId);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * The deliverables of a milestone and its review: visible to the contract's parties and the
 * operator; the studio's signers upload and submit, the broadcaster's signers review. With
 * `lock`, the milestone row is taken FOR UPDATE before the contract is read.
 */
export const milestoneWorkAccess = (
  contracts: ContractsService,
): ResourceAccess<MilestoneWork, MilestoneWorkAction> => ({
  noun: 'Milestone',
  async load(em, user, id, lock) {
    const milestone = lock ? await contracts.lockMilestone(em, id) : undefined;
    const contractId = lock ? milestone?.contract_id : await contracts.milestoneContractId(em, id);
    if (contractId === undefined) return undefined;
    const contract = await visibleContract(contracts, em, user, contractId);
    return contract && { contract, milestone };
  },
  actions: {
    read: () => true,
    upload: (user, w) => studioSigner(user, w.contract.row.studio_id),
    submit: (user, w) => studioSigner(user, w.contract.row.studio_id),
    review: (user, w) => broadcasterSigner(user, w.contract.row.broadcaster_id),
  },
});

export type DeliverableAction = 'read' | 'download';

/** A registered file: visible to the parties of its milestone's contract and the operator. */
export const deliverableAccess = (
  repository: DeliverablesRepository,
  contracts: ContractsService,
): ResourceAccess<DeliverableRow, DeliverableAction> => ({
  noun: 'Deliverable',
  async load(em, user, id) {
    const row = await repository.findById(em, id);
    if (!row) return undefined;
    const contractId = await contracts.milestoneContractId(em, row.milestone_id);
    if (contractId === undefined) return undefined;
    return (await visibleContract(contracts, em, user, contractId)) && row;
  },
  actions: { read: () => true, download: () => true },
});

/**
 * A tus upload: it exists only for the studio that registered it (anyone else, the broadcaster
 * included, is told it does not exist); that studio's signers write to it.
 */
export const uploadAccess = (
  repository: DeliverablesRepository,
): ResourceAccess<{ studio_id: string }, 'write'> => ({
  noun: 'Upload',
  async load(em, user, id) {
    const row = await repository.studioOf(em, id);
    return row?.studio_id === user.organisationId ? row : undefined;
  },
  actions: { write: (user, row) => studioSigner(user, row.studio_id) },
});
