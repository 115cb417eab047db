import { jobParts } from './outbox.relay';

describe('jobParts', () => {
  const insertOnly = new Set(['member.invited', 'bid.submitted']);
  const batchable = (type: string): boolean => insertOnly.has(type);
  const rows = (...types: string[]) => types.map((type, i) => ({ id: String(i + 1), type }));
  const ids = (parts: { id: string }[][]) => parts.map((p) => p.map((r) => r.id));

  it('puts consecutive batchable events in one job, up to the job size', () => {
    const r = rows('member.invited', 'bid.submitted', 'member.invited', 'bid.submitted', 'member.invited');
    expect(ids(jobParts(r, 2, batchable))).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('gives every other event a job of its own, never shared with a batch', () => {
    const r = rows(
      'member.invited',
      'brief.deadline',
      'member.invited',
      'milestone.accepted',
      'milestone.accepted',
    );
    expect(ids(jobParts(r, 20, batchable))).toEqual([['1'], ['2'], ['3'], ['4'], ['5']]);
  });

  it('keeps the relay order and every event exactly once', () => {
    const types = [
      'member.invited',
      'brief.deadline',
      'bid.submitted',
      'bid.submitted',
      'mail.send',
      'member.invited',
    ];
    const r = rows(...types, ...types, ...types);
    const parts = jobParts(r, 3, batchable);
    expect(parts.flat()).toEqual(r);
    for (const p of parts) {
      if (p.length > 1) expect(p.every((e) => batchable(e.type))).toBe(true);
      expect(p.length).toBeLessThanOrEqual(3);
    }
  });
});
