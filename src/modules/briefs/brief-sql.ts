// SQL fragments over `briefs` for the queries of other modules (table-owners.ts): the table is
// named here, by its owner, so a query keeps its shape without another module naming it.

/** The title of the brief `idExpr`, as a scalar subquery. */
export const briefTitleSql = (idExpr: string): string => `(SELECT title FROM briefs WHERE id = ${idExpr})`;
