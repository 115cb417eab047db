import { HttpException, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { CommonErrors } from '../errors/common.errors';
import { DomainError, constraintMap, defineErrors } from '../errors/domain-error';
import { ProblemFilter, problemType } from './problem.filter';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function queryFailed(driverError: Record<string, unknown>): QueryFailedError {
  return new QueryFailedError(
    'INSERT INTO users ...',
    [],
    Object.assign(new Error('pg says no'), driverError),
  );
}

// What a module declares (src/error-registry.ts collects the real ones).
const ModuleErrors = defineErrors({
  EMAIL_TAKEN: [409, 'A user with this e-mail address already exists', { constraints: ['users_email_key'] }],
});

describe('ProblemFilter', () => {
  const filter = new ProblemFilter(constraintMap([ModuleErrors]));
  // The filter logs unexpected errors; keep the test output quiet.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  describe('toProblem', () => {
    it('hides the internals of an unexpected error behind an error id', () => {
      const problem = filter.toProblem(new Error('secret internals'));
      expect(problem.status).toBe(500);
      expect(problem.code).toBe('INTERNAL');
      expect(problem.type).toBe(problemType('INTERNAL'));
      expect(problem.errorId).toMatch(UUID);
      expect(problem.detail).toContain(problem.errorId);
      expect(JSON.stringify(problem)).not.toContain('secret internals');
    });

    it('gives every unexpected error a different error id', () => {
      const a = filter.toProblem(new Error('x'));
      const b = filter.toProblem(new Error('x'));
      expect(a.errorId).not.toBe(b.errorId);
    });

    it('answers a domain error with the status and code of its definition', () => {
      const Errors = defineErrors({ BID_WINDOW_CLOSED: [409, 'The bid window is closed'] });
      const problem = filter.toProblem(new DomainError(Errors.BID_WINDOW_CLOSED, 'Closed at noon'));
      expect(problem).toEqual({
        type: 'https://efir.kz/problems/bid-window-closed',
        title: 'The bid window is closed',
        status: 409,
        detail: 'Closed at noon',
        code: 'BID_WINDOW_CLOSED',
      });
    });

    it('lists the field errors of a domain error', () => {
      const errors = [{ field: 'user.email', message: 'email must be an email' }];
      const problem = filter.toProblem(new DomainError(CommonErrors.VALIDATION_FAILED, 'bad', { errors }));
      expect(problem.status).toBe(400);
      expect(problem.errors).toEqual(errors);
    });

    it('adds the extra members of a domain error to the body, never over the standard ones', () => {
      const Errors = defineErrors({ IDEA_CONVERTED: [409, 'The idea was already converted into a brief'] });
      const problem = filter.toProblem(
        new DomainError(Errors.IDEA_CONVERTED, 'Converted before', {
          fields: { briefId: 'b-1', code: 'SOMETHING_ELSE', status: 200 },
        }),
      );
      expect(problem).toEqual({
        type: 'https://efir.kz/problems/idea-converted',
        title: 'The idea was already converted into a brief',
        status: 409,
        detail: 'Converted before',
        code: 'IDEA_CONVERTED',
        briefId: 'b-1',
      });
    });

    it('maps a violated unique constraint that a module declared to its code', () => {
      const problem = filter.toProblem(queryFailed({ code: '23505', constraint: 'users_email_key' }));
      expect(problem.status).toBe(409);
      expect(problem.code).toBe('EMAIL_TAKEN');
    });

    it('answers an invalid text representation from PostgreSQL with a 400', () => {
      const problem = filter.toProblem(queryFailed({ code: '22P02' }));
      expect(problem.status).toBe(400);
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(problem)).not.toContain('pg says no');
    });

    it.each([
      ['22021', 'a NUL byte in text: character not in repertoire'],
      ['22P05', 'a \\u0000 escape in jsonb: untranslatable character'],
    ])('answers SQLSTATE %s (%s) from PostgreSQL with a 400', (code) => {
      const problem = filter.toProblem(queryFailed({ code }));
      expect(problem.status).toBe(400);
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errorId).toBeUndefined();
      expect(JSON.stringify(problem)).not.toContain('pg says no');
    });

    it('treats an unmapped constraint violation as an internal error', () => {
      const problem = filter.toProblem(queryFailed({ code: '23505', constraint: 'some_unknown_key' }));
      expect(problem.status).toBe(500);
      expect(JSON.stringify(problem)).not.toContain('some_unknown_key');
    });

    it('answers an HttpException 404 with NOT_FOUND', () => {
      const problem = filter.toProblem(new NotFoundException('Cannot GET /api/v1/secret/route'));
      expect(problem.status).toBe(404);
      expect(problem.code).toBe('NOT_FOUND');
      expect(problem.detail).toBe('Not found');
    });

    it('does not pass an HttpException 500 message through', () => {
      const problem = filter.toProblem(new HttpException('stack details', 500));
      expect(problem.status).toBe(500);
      expect(problem.code).toBe('INTERNAL');
      expect(JSON.stringify(problem)).not.toContain('stack details');
    });

    it('answers Fastify body-too-large with a 413', () => {
      const problem = filter.toProblem({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
      expect(problem.status).toBe(413);
      expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers Fastify invalid JSON with MALFORMED_REQUEST', () => {
      const problem = filter.toProblem({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
      expect(problem.status).toBe(400);
      expect(problem.code).toBe('MALFORMED_REQUEST');
    });
  });
});
