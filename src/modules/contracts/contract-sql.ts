// SQL fragments over `contracts` and `milestones` for the queries of other modules
// (table-owners.ts): the tables are named here, by their owner, so a join keeps its plan
// without another module naming them.

/** `JOIN contracts <alias> ON <alias>.id = <idExpr>` (or LEFT JOIN). */
export const joinContract = (alias: string, idExpr: string, join: 'JOIN' | 'LEFT JOIN' = 'JOIN'): string =>
  `${join} contracts ${alias} ON ${alias}.id = ${idExpr}`;

/** `JOIN milestones <alias> ON <alias>.id = <idExpr>` (or LEFT JOIN). */
export const joinMilestone = (alias: string, idExpr: string, join: 'JOIN' | 'LEFT JOIN' = 'JOIN'): string =>
  `${join} milestones ${alias} ON ${alias}.id = ${idExpr}`;
