import type { FastifyInstance } from 'fastify';
import { CommonErrors } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';

/** No request body of this API nests deeper than a handful of levels; 32 leaves ample room. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a JSON text nests objects and arrays deeper than `limit`, found in one pass over the
 * characters without parsing (strings and their escapes skipped), stopping at the first level
 * too deep. Deep nesting is refused before JSON.parse and class-transformer recurse into it: a
 * body 3,000 levels deep overflowed the transformer's stack, and 800 KB of nested arrays held
 * the event loop for a second.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The only body parser of the API: JSON, with Fastify's own parser (prototype-poisoning checks
 * on) behind the depth check. Form-encoded and other bodies get 415 (Nest's body parsers are off
 * in bootstrap.ts, so nothing else registers one).
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new DomainError(CommonErrors.MALFORMED_REQUEST, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
      return;
    }
    void parse(req, text, done); // callback-style; the type also allows a promise
  });
}
