import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApp, type TestApp } from '../utils/app';

const ROOT = join(__dirname, '..', '..');
const STALE = 'the committed client is stale: run npm run client:generate and commit client/';

/**
 * client/schema.ts as `npm run client:generate` would write it from `document`. The generator
 * runs in a process of its own, as the npm script runs it: openapi-typescript and Prettier load
 * ES modules that Jest's module system does not.
 */
async function generatedSchema(document: unknown): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'efir-client-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    await promisify(execFile)(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(ROOT, 'scripts/client-schema.ts'),
        join(dir, 'openapi.json'),
        join(dir, 'schema.ts'),
      ],
      { cwd: ROOT },
    );
    return readFileSync(join(dir, 'schema.ts'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The typed client (client/) is generated from the document the app serves; a contract change
// that is not regenerated fails here, and the flow test (client-flow) typechecks against it.
describe('The typed client', () => {
  let t: TestApp;
  let document: unknown;

  beforeAll(async () => {
    t = await startApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('has the committed types of the document the app serves', async () => {
    const fresh = await generatedSchema(document);
    const committed = readFileSync(join(ROOT, 'client/schema.ts'), 'utf8');
    if (fresh !== committed) throw new Error(STALE);
  });

  it('has the committed document', () => {
    const committed: unknown = JSON.parse(readFileSync(join(ROOT, 'client/openapi.json'), 'utf8'));
    try {
      expect(committed).toEqual(document);
    } catch (err) {
      throw new Error(`${STALE}\n${(err as Error).message}`);
    }
  });
});
