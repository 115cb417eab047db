import { compileReleases, type JsonObject } from './merge';

const release = (id: string, date: string, body: JsonObject): JsonObject => ({
  ocid: 'ocds-abc123-1',
  id,
  date,
  tag: ['tender'],
  ...body,
});

describe('compileReleases (OCDS 1.1 merge)', () => {
  it('omits id, date and tag of the releases and stamps its own, with the latest date', () => {
    const c = compileReleases(
      [
        release('r1', '2025-01-01T00:00:00.000Z', { initiationType: 'tender' }),
        release('r2', '2025-02-01T00:00:00.000Z', {}),
      ],
      'compiled-r2',
    );
    expect(c).toEqual({
      ocid: 'ocds-abc123-1',
      id: 'compiled-r2',
      date: '2025-02-01T00:00:00.000Z',
      tag: ['compiled'],
      initiationType: 'tender',
    });
    expect(Object.keys(c).slice(0, 4)).toEqual(['ocid', 'id', 'date', 'tag']);
  });

  it('merges objects recursively, the later value winning, and removes a field set to null', () => {
    const c = compileReleases(
      [
        release('r1', '2025-01-01T00:00:00.000Z', {
          tender: { id: 't', title: 'A', status: 'active', value: { amount: 1, currency: 'KZT' } },
        }),
        release('r2', '2025-01-02T00:00:00.000Z', { tender: { status: 'complete', title: null } }),
      ],
      'c',
    );
    expect(c.tender).toEqual({ id: 't', status: 'complete', value: { amount: 1, currency: 'KZT' } });
  });

  it('merges arrays of objects by id, in place, appending new ids', () => {
    const c = compileReleases(
      [
        release('r1', '2025-01-01T00:00:00.000Z', {
          parties: [
            { id: 'b', name: 'Broadcaster', roles: ['buyer'] },
            { id: 's', name: 'Studio', roles: ['tenderer'] },
          ],
        }),
        release('r2', '2025-01-02T00:00:00.000Z', {
          parties: [
            { id: 's', roles: ['tenderer', 'supplier'] },
            { id: 'x', name: 'Another', roles: ['tenderer'] },
          ],
        }),
      ],
      'c',
    );
    expect(c.parties).toEqual([
      { id: 'b', name: 'Broadcaster', roles: ['buyer'] },
      { id: 's', name: 'Studio', roles: ['tenderer', 'supplier'] },
      { id: 'x', name: 'Another', roles: ['tenderer'] },
    ]);
  });

  it('merges nested arrays by id too (contracts → implementation → transactions)', () => {
    const c = compileReleases(
      [
        release('r1', '2025-01-01T00:00:00.000Z', {
          contracts: [
            { id: 'c', awardID: 'a', status: 'active', implementation: { transactions: [{ id: 1 }] } },
          ],
        }),
        release('r2', '2025-01-02T00:00:00.000Z', {
          contracts: [{ id: 'c', awardID: 'a', implementation: { transactions: [{ id: 2 }] } }],
        }),
      ],
      'c',
    );
    expect(c.contracts).toEqual([
      { id: 'c', awardID: 'a', status: 'active', implementation: { transactions: [{ id: 1 }, { id: 2 }] } },
    ]);
  });

  it('replaces arrays of strings, wholeListMerge arrays and arrays of objects without ids', () => {
    const c = compileReleases(
      [
        release('r1', '2025-01-01T00:00:00.000Z', {
          tender: { id: 't', submissionMethod: ['written', 'inPerson'], x: [{ a: 1 }, { a: 2 }] },
          parties: [
            {
              id: 'p',
              additionalIdentifiers: [
                { id: '1', scheme: 'A' },
                { id: '2', scheme: 'B' },
              ],
            },
          ],
        }),
        release('r2', '2025-01-02T00:00:00.000Z', {
          tender: { id: 't', submissionMethod: ['electronicSubmission'], x: [{ a: 3 }] },
          parties: [{ id: 'p', additionalIdentifiers: [{ id: '3', scheme: 'C' }] }],
        }),
      ],
      'c',
    );
    expect(c.tender).toEqual({ id: 't', submissionMethod: ['electronicSubmission'], x: [{ a: 3 }] });
    expect(c.parties).toEqual([{ id: 'p', additionalIdentifiers: [{ id: '3', scheme: 'C' }] }]);
  });

  it('does not change its inputs', () => {
    const r1 = release('r1', '2025-01-01T00:00:00.000Z', {
      tender: { id: 't', items: [{ id: '1', quantity: 1 }] },
    });
    const before = JSON.stringify(r1);
    compileReleases(
      [
        r1,
        release('r2', '2025-01-02T00:00:00.000Z', { tender: { id: 't', items: [{ id: '1', quantity: 2 }] } }),
      ],
      'c',
    );
    expect(JSON.stringify(r1)).toBe(before);
  });

  it('refuses an empty list', () => {
    expect(() => compileReleases([], 'c')).toThrow();
  });
});
