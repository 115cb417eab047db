/**
 * The OCDS 1.1 merge of a process's releases into its compiled release
 * (https://standard.open-contracting.org/1.1/en/schema/merging/), for the releases Efir writes:
 *
 * - releases are applied oldest first, so a later value wins;
 * - `id`, `date` and `tag` of a release are omitted when merged (`omitWhenMerged`); the
 *   compiled release gets its own `id`, the latest `date` and `tag: ['compiled']`;
 * - objects are merged field by field, recursively; a `null` removes the field;
 * - an array of objects that all carry an `id` is merged by that id (identifier merge: an entry
 *   with a known id is merged into it, in place; a new id is appended); any other array (strings
 *   such as `roles`, `wholeListMerge` lists such as `additionalIdentifiers`, objects without
 *   ids) is replaced whole by the later release.
 *
 * No maintained npm package implements these rules (the reference implementation is Python's
 * ocdsmerge), hence this small function and its spec.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Fields of the schema marked `wholeListMerge: true` (OCDS 1.1.5 release schema). */
const WHOLE_LIST = new Set(['additionalIdentifiers', 'additionalClassifications']);

/** Fields of a release that never reach the compiled release (`omitWhenMerged: true`). */
const OMITTED = new Set(['id', 'date', 'tag']);

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const byId = (items: Json[]): items is JsonObject[] =>
  items.length > 0 &&
  items.every((i) => isObject(i) && (typeof i.id === 'string' || typeof i.id === 'number'));

function mergeArray(key: string, target: Json | undefined, source: Json[]): Json[] {
  if (WHOLE_LIST.has(key) || !byId(source) || !Array.isArray(target) || !byId(target)) {
    return source.map((v) => mergeValue(key, undefined, v));
  }
  const merged: JsonObject[] = [...target];
  // OCDS compares identifiers as strings: 1 and "1" are the same entry.
  const idOf = ({ id }: JsonObject): string => (typeof id === 'number' ? id.toString() : (id as string));
  for (const item of source) {
    const at = merged.findIndex((m) => idOf(m) === idOf(item));
    if (at === -1) merged.push(mergeObject(undefined, item));
    else merged[at] = mergeObject(merged[at], item);
  }
  return merged;
}

function mergeValue(key: string, target: Json | undefined, source: Json): Json {
  if (Array.isArray(source)) return mergeArray(key, target, source);
  if (isObject(source)) return mergeObject(isObject(target) ? target : undefined, source);
  return source;
}

function mergeObject(target: JsonObject | undefined, source: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (value === null) delete out[key];
    else out[key] = mergeValue(key, out[key], value);
  }
  return out;
}

/**
 * The compiled release of `releases` (one process, oldest first). `id` names the compiled
 * release; its `date` is the latest release date.
 */
export function compileReleases(releases: readonly JsonObject[], id: string): JsonObject {
  if (!releases.length) throw new Error('a compiled release needs at least one release');
  let merged: JsonObject = {};
  let date = '';
  for (const release of releases) {
    const fields = Object.fromEntries(Object.entries(release).filter(([k]) => !OMITTED.has(k)));
    merged = mergeObject(merged, fields);
    if (typeof release.date === 'string' && release.date > date) date = release.date;
  }
  const { ocid, ...rest } = merged;
  return { ocid: ocid!, id, date, tag: ['compiled'], ...rest };
}
