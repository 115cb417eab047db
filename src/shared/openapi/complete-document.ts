import type { OpenAPIObject } from '@nestjs/swagger';
// The spec types, reached through OpenAPIObject (the package does not export them by name).
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = NonNullable<Exclude<OperationObject['responses'][string], { $ref: string }>>;
type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
import { CommonErrors } from '../errors/common.errors';
import type { ErrorDef } from '../errors/domain-error';

/** What the document cannot tell about a route: its name, policy, and the codes it may answer. */
export interface RouteDoc {
  operationId: string;
  summary: string;
  isPublic: boolean;
  rateLimited: boolean;
  errors: readonly ErrorDef[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable and is what a client should branch on.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://efir.kz/problems/not-found' },
    title: { type: 'string', example: 'Not found' },
    status: { type: 'integer', example: 404 },
    detail: { type: 'string', example: 'Brief not found' },
    code: { type: 'string', example: 'NOT_FOUND' },
    errors: {
      type: 'array',
      description: 'Field errors of a VALIDATION_FAILED answer.',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    errorId: { type: 'string', description: 'Quote it to support (500 only).' },
    briefId: {
      type: 'string',
      format: 'uuid',
      description: 'IDEA_CONVERTED only: the brief the idea was already converted into.',
    },
  },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  416: 'Range not satisfiable',
  422: 'Unprocessable',
  429: 'Too many requests',
  503: 'Service unavailable',
};

function problemResponse(errors: ErrorDef[]): ResponseObject {
  const status = errors[0]!.status;
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}: ${errors.map((e) => `\`${e.code}\` (${e.title})`).join('; ')}`,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

/** The codes a route answers: the generic ones its shape implies, then its declared ones. */
function errorsOf(path: string, op: OperationObject, route: RouteDoc): ErrorDef[] {
  const errors: ErrorDef[] = [];
  if (op.requestBody || op.parameters?.length) errors.push(CommonErrors.VALIDATION_FAILED);
  if (op.requestBody) errors.push(CommonErrors.MALFORMED_REQUEST, CommonErrors.UNSUPPORTED_MEDIA_TYPE);
  if (op.parameters?.some((p) => 'name' in p && p.name === 'cursor') === true)
    errors.push(CommonErrors.INVALID_CURSOR);
  if (!route.isPublic) errors.push(CommonErrors.UNAUTHENTICATED, CommonErrors.FORBIDDEN);
  if (/\{id\}/.test(path)) errors.push(CommonErrors.NOT_FOUND);
  if (route.rateLimited) errors.push(CommonErrors.RATE_LIMITED);
  for (const e of route.errors) if (!errors.some((x) => x.code === e.code)) errors.push(e);
  return errors;
}

/**
 * Completes the generated document: names, security, problem responses, servers. `routes` is
 * keyed by the operationId Nest generated (`Controller_method`); an operation without an entry
 * fails, so a new route cannot go undocumented.
 */
export function completeDocument(
  doc: OpenAPIObject,
  routes: ReadonlyMap<string, RouteDoc>,
  basePath: string,
): OpenAPIObject {
  doc.servers = [{ url: basePath, description: 'This server' }];
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, Problem: PROBLEM_SCHEMA };
  const missing: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const route = routes.get(op.operationId ?? '');
      if (!route) {
        missing.push(`${method.toUpperCase()} ${path} (${op.operationId})`);
        continue;
      }
      // The doc comment (the plugin's summary) becomes the description; the summary is short.
      if (op.summary && op.summary !== route.summary && !op.description) op.description = op.summary;
      op.summary = route.summary;
      op.operationId = route.operationId;
      op.security = route.isPublic ? [] : [{ bearer: [] }];
      const errors = errorsOf(path, op, route);
      const byStatus = new Map<number, ErrorDef[]>();
      for (const e of errors) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
      for (const [status, defs] of [...byStatus].sort(([a], [b]) => a - b)) {
        const existing = op.responses[status] as ResponseObject | undefined;
        const response = problemResponse(defs);
        if (existing?.description) response.description = `${existing.description}. ${response.description}`;
        op.responses[status] = response;
      }
      if (errors.length)
        (op as unknown as Record<string, unknown>)['x-error-codes'] = errors.map((e) => e.code);
    }
  }
  if (missing.length) throw new Error(`Operations with no entry in src/openapi.ts: ${missing.join(', ')}`);
  return doc;
}
