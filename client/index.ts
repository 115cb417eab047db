// The typed Efir client: openapi-fetch over the types generated from the OpenAPI document
// (client/schema.ts, rebuilt by `npm run client:generate`; never edited by hand).
//
//   const efir = createEfirClient({ baseUrl: 'https://efir.example', token });
//   const { data, error, response } = await efir.GET('/api/v1/briefs/{id}', { params: { path: { id } } });
//   const brief = await ok(efir.GET('/api/v1/briefs/{id}', { params: { path: { id } } })); // throws EfirApiError
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export type EfirClient = Client<paths>;

/** A bearer token, or a function asked before every request (e.g. one that refreshes it). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface EfirClientOptions {
  /** Where Efir answers, e.g. `https://efir.example` (the paths carry the `/api/v1` prefix). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` unless the request sets its own Authorization. */
  token?: TokenSource;
  /** A fetch of your own (defaults to globalThis.fetch). */
  fetch?: (input: Request) => Promise<Response>;
  /** Headers for every request. */
  headers?: Record<string, string>;
}

/** The middleware that signs every request with the bearer token. */
export function bearerAuth(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('Authorization')) return request;
      const value = typeof token === 'function' ? await token() : token;
      if (value) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

export function createEfirClient(options: EfirClientOptions): EfirClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (options.token !== undefined) client.use(bearerAuth(options.token));
  return client;
}

/** An RFC 9457 problem+json body, as every Efir error answers (api.md, "Errors"). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  /** The stable error code, e.g. `BIDS_SEALED`. */
  code?: string;
  detail?: string;
  instance?: string;
  [field: string]: unknown;
}

/** A non-2xx answer: its status, its problem+json body (when it had one) and the response. */
export class EfirApiError extends Error {
  override readonly name = 'EfirApiError';

  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly response: Response,
  ) {
    super(
      `${response.url ? `${new URL(response.url).pathname}: ` : ''}${status} ${problem?.code ?? ''}`.trim(),
    );
  }

  /** The problem's stable `code`, if the body had one. */
  get code(): string | undefined {
    return this.problem?.code;
  }
}

function asProblem(body: unknown): Problem | undefined {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Problem) : undefined;
}

/**
 * The data of a 2xx answer, or an EfirApiError carrying the problem+json body of any other:
 * `const brief = await ok(efir.GET(...))`.
 */
export async function ok<D, E>(call: Promise<{ data?: D; error?: E; response: Response }>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw new EfirApiError(response.status, asProblem(error), response);
  return data as D;
}
