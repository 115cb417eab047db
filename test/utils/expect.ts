import type { Response } from 'supertest';

export interface ProblemChecks {
  /** `type` must also be an absolute http(s) URI, not just any string. */
  typeUri?: boolean;
  /** The response must also carry `Cache-Control: no-store`. */
  noStore?: boolean;
}

/**
 * Every error leaves the API as RFC 9457 problem+json: the status, the content type, and a body
 * with type, title, status, detail and a stable code (equal to `code` when one is given).
 */
export function expectProblem(
  res: Response,
  status: number,
  code?: string,
  checks: ProblemChecks = {},
): void {
  // status and body in one assertion, so that a failure shows the body that came back
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({
    status,
    ...(code === undefined ? {} : { body: { code } }),
  });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: checks.typeUri ? expect.stringMatching(/^https?:\/\//) : expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code: code ?? expect.any(String),
    }),
  );
  if (checks.noStore) expect(res.headers['cache-control']).toBe('no-store');
}
