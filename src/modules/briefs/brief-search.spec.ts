import { statusFilterSql, toPrefixQuery } from './brief-search';

describe('toPrefixQuery', () => {
  it('turns words of any script into prefix terms joined by AND', () => {
    expect(toPrefixQuery('Қазақ кино, Документальный!')).toBe('қазақ:* & кино:* & документальный:*');
  });

  it('drops tsquery syntax and answers null when no word is left', () => {
    expect(toPrefixQuery("a:* | !b & (c)'")).toBe('a:* & b:* & c:*');
    expect(toPrefixQuery('  !&|() ')).toBeNull();
  });
});

describe('statusFilterSql', () => {
  it('splits published and closed by the deadline, on the database clock', () => {
    expect(statusFilterSql('published', '$4')).toBe('(b.status = $4 AND b.bids_close_at > now())');
    expect(statusFilterSql('closed', '$4')).toContain("b.status = 'published' AND b.bids_close_at <= now()");
    expect(statusFilterSql(undefined, '$4')).toBe('$4::text IS NULL');
  });
});
