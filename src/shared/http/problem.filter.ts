import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { CommonErrors } from '../errors/common.errors';
import { DomainError, type ErrorDef, type FieldError } from '../errors/domain-error';
import { loggableError, loggableUrl } from '../logging';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  errorId?: string;
  /** Members a code adds (DomainError `extra.fields`), such as IDEA_CONVERTED's `briefId`. */
  [member: string]: unknown;
}

const byStatus: Record<number, ErrorDef> = {
  400: CommonErrors.VALIDATION_FAILED,
  401: CommonErrors.UNAUTHENTICATED,
  403: CommonErrors.FORBIDDEN,
  404: CommonErrors.NOT_FOUND,
  409: CommonErrors.CONFLICT,
  413: CommonErrors.PAYLOAD_TOO_LARGE,
  415: CommonErrors.UNSUPPORTED_MEDIA_TYPE,
  429: CommonErrors.RATE_LIMITED,
  503: CommonErrors.SERVICE_UNAVAILABLE,
};

// Fastify's own request errors (body parsing and limits) arrive here with a statusCode and an
// FST_* code; they are client errors with fixed meanings.
const fastifyCodes: Record<string, ErrorDef> = {
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrors.MALFORMED_REQUEST,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrors.MALFORMED_REQUEST,
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrors.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrors.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CommonErrors.MALFORMED_REQUEST,
};

// Postgres input errors that only reach the database when a DTO let a value through.
const pgClientErrors: Record<string, ErrorDef> = {
  '22P02': CommonErrors.VALIDATION_FAILED, // invalid text representation
  '22003': CommonErrors.VALIDATION_FAILED, // numeric value out of range
  '22001': CommonErrors.VALIDATION_FAILED, // string too long
  '22007': CommonErrors.VALIDATION_FAILED, // invalid datetime
  '22008': CommonErrors.VALIDATION_FAILED, // datetime out of range
  '22021': CommonErrors.VALIDATION_FAILED, // character not in repertoire (a NUL byte in text)
  '22P05': CommonErrors.VALIDATION_FAILED, // untranslatable character (\u0000 in jsonb)
};

export function problemType(code: string): string {
  return `https://efir.kz/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/** Every error leaves the API as RFC 9457 problem+json; internals never leak. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  /** @param byConstraint constraint name → its error (src/error-registry.ts's ERRORS_BY_CONSTRAINT) */
  constructor(private readonly byConstraint: ReadonlyMap<string, ErrorDef>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception, request);
    const retryAfter = exception instanceof DomainError ? exception.extra.retryAfterSeconds : undefined;
    if (retryAfter !== undefined)
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    void reply
      .status(problem.status)
      .header('Content-Type', 'application/problem+json; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(problem);
  }

  toProblem(exception: unknown, request?: FastifyRequest): Problem {
    if (exception instanceof DomainError) {
      const { errors, fields } = exception.extra;
      // The error's own members first: they cannot overwrite the standard ones.
      return { ...fields, ...this.build(exception.def, exception.detail, errors) };
    }
    if (exception instanceof QueryFailedError) {
      const driverError = exception.driverError as { code?: string; constraint?: string };
      const mapped = driverError.constraint ? this.byConstraint.get(driverError.constraint) : undefined;
      if (mapped) return this.build(mapped);
      const clientError = driverError.code ? pgClientErrors[driverError.code] : undefined;
      if (clientError) return this.build(clientError, 'A value is not valid');
    }
    // Fastify's parser errors, raw or wrapped by Nest into an HttpException (as its cause).
    const raw = exception as { code?: unknown; statusCode?: unknown; cause?: { code?: unknown } };
    const fastifyCode = typeof raw.code === 'string' ? raw.code : raw.cause?.code;
    if (typeof fastifyCode === 'string' && fastifyCodes[fastifyCode]) {
      return this.build(fastifyCodes[fastifyCode]);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const def = byStatus[status];
      if (def && status < 500) return this.build(def, this.httpDetail(exception, def));
    }
    if (typeof raw.statusCode === 'number' && raw.statusCode < 500) {
      const def = byStatus[raw.statusCode];
      if (def) return this.build(def);
    }
    const errorId = randomUUID();
    this.logger.error(
      // `error`, shaped here; pino's `err` serializer (the same function) is the backstop elsewhere
      { error: loggableError(exception), errorId, method: request?.method, url: loggableUrl(request?.url) },
      `Unhandled error ${errorId}`,
    );
    return {
      ...this.build(CommonErrors.INTERNAL, `Something went wrong. Quote error id ${errorId}.`),
      errorId,
    };
  }

  private httpDetail(exception: HttpException, def: ErrorDef): string {
    const response = exception.getResponse();
    if (def === CommonErrors.NOT_FOUND) return 'Not found';
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    return typeof message === 'string' ? message : def.title;
  }

  private build(def: ErrorDef, detail?: string, errors?: FieldError[]): Problem {
    const problem: Problem = {
      type: problemType(def.code),
      title: def.title,
      status: def.status,
      detail: detail ?? def.title,
      code: def.code,
    };
    if (errors?.length) problem.errors = errors;
    return problem;
  }
}
