import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TABLE_OWNERS } from './table-owners';

const SRC = join(__dirname, '..');
const ROOT = join(SRC, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const owned = new Map<string, string>(
  Object.entries(TABLE_OWNERS).flatMap(([owner, tables]) => tables.map((t): [string, string] => [t, owner])),
);

/** Table names a piece of SQL reads or writes (FROM, JOIN, INTO, UPDATE, DELETE FROM, TABLE). */
function tablesIn(text: string, verbs = 'FROM|JOIN|INTO|UPDATE|TABLE'): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(new RegExp(`\\b(?:${verbs})\\s+"?([a-z_]+)"?`, 'g'))) {
    if (owned.has(m[1]!)) found.add(m[1]!);
  }
  return found;
}

describe('table owners', () => {
  it('gives every table of the migrations exactly one owner, and owns no table that does not exist', () => {
    const migrations = filesUnder(join(ROOT, 'migrations'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const created = new Set(
      [...migrations.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?([a-z_]+)"?/g)].map((m) => m[1]!),
    );
    expect([...owned.keys()].sort()).toEqual([...created].sort());
    const all = Object.values(TABLE_OWNERS).flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it('finds table names in SQL (the scan works)', () => {
    expect([...tablesIn('SELECT 1 FROM bids b JOIN briefs x ON x.id = b.brief_id')].sort()).toEqual([
      'bids',
      'briefs',
    ]);
    expect([...tablesIn('INSERT INTO "outbox" (type) VALUES ($1)')]).toEqual(['outbox']);
    expect([...tablesIn('UPDATE milestones SET status = $2')]).toEqual(['milestones']);
    expect([...tablesIn('taken from the bids of a brief')]).toEqual([]);
    expect([...tablesIn('SELECT 1 FROM bids', 'INTO|UPDATE|TABLE')]).toEqual([]);
  });

  it("keeps each module's SQL to the tables it owns", () => {
    const found: Record<string, string[]> = {};
    for (const file of filesUnder(join(SRC, 'modules'))) {
      if (file.endsWith('.spec.ts') || file === join(__dirname, 'table-owners.ts')) continue;
      const module = relative(join(SRC, 'modules'), file).split('/')[0]!;
      // A read model (named so) may read other modules' tables, never write them.
      const text = readFileSync(file, 'utf8');
      const used = file.endsWith('.read-model.ts')
        ? tablesIn(text.replace(/DELETE\s+FROM/g, 'DELETE_FROM'), 'INTO|UPDATE|TABLE|DELETE_FROM')
        : tablesIn(text);
      const foreign = [...used].filter((t) => owned.get(t) !== module);
      if (foreign.length) found[relative(SRC, file)] = foreign.sort();
    }
    expect(found).toEqual({});
  });
});
