import { getMetadataStorage } from 'class-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// Every string a request DTO accepts is checked for text hygiene, unless it is listed here with
// the reason it need not be: a new @IsString() field without @IsSingleLineText/@IsFreeText fails.
const EXEMPT: Record<string, string> = {
  'LoginDto.password': 'hashed, never stored or shown',
  'NewUserDto.password': 'hashed, never stored or shown',
  'NewMemberDto.password': 'hashed, never stored or shown',
  'RefreshDto.refreshToken': 'hashed and looked up, never stored as sent',
  'RegisterDeliverableDto.fileName': 'accepted and sanitised (sanitizeFileName)',
  'AuditQuery.entityType': 'already restricted to [a-z_] by @Matches',
  'InclusionProofQuery.leafHash': 'already restricted to 64 hex digits by @Matches',
  'AuditQuery.entityId': 'an identifier filter; the 22021 backstop answers a NUL with 400',
  '*.cursor': 'decoded and checked against a strict shape (decodeCursor); 400 INVALID_CURSOR',
  'UpdateOrganisationDto.genres': 'already restricted to letters, digits, space, -_ by @Matches',
};

const SRC = join(__dirname, '..', '..');

const exempt = (field: string): boolean => field in EXEMPT || `*.${field.split('.')[1]}` in EXEMPT;

function requestDtoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return requestDtoFiles(path);
    if (!e.name.endsWith('.ts') || e.name.endsWith('.spec.ts')) return [];
    return readFileSync(path, 'utf8').includes("from 'class-validator'") ? [path] : [];
  });
}

interface StringField {
  field: string;
  file: string;
  checked: boolean;
}

function stringFields(): StringField[] {
  const storage = getMetadataStorage();
  const out = new Map<string, StringField>();
  for (const file of requestDtoFiles(SRC)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading every DTO module by path
    const exports = require(file) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (typeof value !== 'function' || !value.name) continue;
      const names = new Map<string, Set<string>>();
      for (const m of storage.getTargetValidationMetadatas(value, '', true, false)) {
        const constraint = m.constraintCls
          ? storage.getTargetValidatorConstraints(m.constraintCls)[0]
          : undefined;
        if (!constraint) continue;
        const set = names.get(m.propertyName) ?? new Set<string>();
        set.add(constraint.name);
        names.set(m.propertyName, set);
      }
      for (const [property, set] of names) {
        if (!set.has('isString')) continue;
        const field = `${value.name}.${property}`;
        out.set(field, {
          field,
          file: relative(SRC, file),
          checked: set.has('isSingleLineText') || set.has('isFreeText'),
        });
      }
    }
  }
  return [...out.values()];
}

describe('text hygiene of request DTOs', () => {
  const fields = stringFields();

  it('finds the string fields of the request DTOs', () => {
    const names = fields.map((f) => f.field);
    expect(names).toEqual(
      expect.arrayContaining([
        'NewOrganisationDto.name',
        'NewUserDto.fullName',
        'CreateBriefDto.title',
        'UpdateBriefDto.synopsis',
        'AmendmentChangesDto.title',
        'CreateBidDto.creativeApproach',
        'UpdateBidDto.team',
        'AskQuestionDto.text',
        'MarkPaidDto.reference',
      ]),
    );
  });

  it('checks every string field that is not exempt, inherited ones included', () => {
    const unchecked = fields
      .filter((f) => !f.checked && !exempt(f.field))
      .map((f) => `${f.field} (${f.file})`);
    expect(unchecked).toEqual([]);
  });

  it('lists no exemption for a field that does not exist', () => {
    const names = new Set(fields.flatMap((f) => [f.field, `*.${f.field.split('.')[1]}`]));
    expect(Object.keys(EXEMPT).filter((f) => !names.has(f))).toEqual([]);
  });
});
