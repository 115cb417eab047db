import type { EntityManager } from 'typeorm';

// A read model (it reads contracts' `milestones` and `contracts`, never writes them): what a
// QC report needs to know about a deliverable's milestone: the brief whose profile applies,
// and the contract and milestone the studio's notification names.

export interface QcContext {
  brief_id: string;
  contract_id: string;
  milestone_title: string;
}

export async function qcContext(em: EntityManager, milestoneId: string): Promise<QcContext | undefined> {
  const [row] = await em.query<QcContext[]>(
    `SELECT c.brief_id, c.id AS contract_id, m.title AS milestone_title
       FROM milestones m JOIN contracts c ON c.id = m.contract_id
      WHERE m.id = $1`,
    [milestoneId],
  );
  return row;
}
