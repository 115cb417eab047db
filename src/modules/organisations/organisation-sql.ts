// SQL fragments over `organisations` for the queries of other modules (table-owners.ts): the
// table is named here, by its owner, so a join keeps its plan without another module naming it.

/** `JOIN organisations <alias> ON <alias>.id = <idExpr>` (or LEFT JOIN). */
export const joinOrganisation = (
  alias: string,
  idExpr: string,
  join: 'JOIN' | 'LEFT JOIN' = 'JOIN',
): string => `${join} organisations ${alias} ON ${alias}.id = ${idExpr}`;

/** Whether the organisation `idExpr` is verified. */
export const organisationVerifiedSql = (idExpr: string): string =>
  `EXISTS (SELECT 1 FROM organisations vo WHERE vo.id = ${idExpr} AND vo.verified_at IS NOT NULL)`;
