// The typed client's types (client/schema.ts) from an OpenAPI document, the same way for
// `npm run client:generate` and for the test that fails when the committed file is stale
// (test/e2e/client.e2e-spec.ts):
//
//   ts-node --transpile-only scripts/client-schema.ts <openapi.json> <schema.ts>
//
// Deterministic: openapi-typescript sorts every key (alphabetize), so the document's key order
// does not matter, and the result is formatted with the repository's Prettier settings.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

export const SCHEMA_FILE = join(__dirname, '..', 'client', 'schema.ts');

export async function clientSchemaSource(document: unknown): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, { alphabetize: true, silent: true });
  const source = COMMENT_HEADER + astToString(ast);
  const options = await resolveConfig(SCHEMA_FILE);
  return format(source, { ...options, filepath: SCHEMA_FILE });
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: scripts/client-schema.ts <openapi.json> <schema.ts>');
  const document: unknown = JSON.parse(readFileSync(input, 'utf8'));
  writeFileSync(output, await clientSchemaSource(document));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
