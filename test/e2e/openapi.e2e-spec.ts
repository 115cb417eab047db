import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startApp, type TestApp } from '../utils/app';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const REDOCLY = join(ROOT, 'node_modules/.bin/redocly');

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer?: string }[];
}

describe('The OpenAPI document (/docs-json)', () => {
  let t: TestApp;
  let doc: { servers: { url: string }[]; paths: Record<string, Record<string, Record<string, unknown>>> };

  beforeAll(async () => {
    t = await startApp();
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body as typeof doc;
  });
  afterAll(() => t.close());

  it('passes redocly lint (recommended rules, redocly.yaml) with no errors and no warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'efir-openapi-'));
    try {
      // The ignore file names the document relative to itself: lint from a directory holding all three.
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      copyFileSync(join(ROOT, 'redocly.yaml'), join(dir, 'redocly.yaml'));
      copyFileSync(join(ROOT, '.redocly.lint-ignore.yaml'), join(dir, '.redocly.lint-ignore.yaml'));
      const out = await run(REDOCLY, ['lint', 'openapi.json', '--config', 'redocly.yaml', '--format=json'], {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
      const result = JSON.parse(out.stdout) as {
        totals: { errors: number; warnings: number };
        problems: LintProblem[];
      };
      const problems = result.problems
        .filter((p) => p.severity !== 'off')
        .map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
      expect(problems).toEqual([]);
      expect(result.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the base path in servers; paths are relative to it', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/api/v1' })]);
    expect(Object.keys(doc.paths).every((p) => !p.startsWith('/api/'))).toBe(true);
  });

  it('gives generator-friendly operation ids, public routes no security, errors as problem+json', () => {
    const briefs = doc.paths['/briefs']!;
    expect(briefs.get!.operationId).toBe('listBriefs');
    expect(briefs.post!.operationId).toBe('createBrief');
    expect(doc.paths['/briefs/{id}/bids']!.post!.operationId).toBe('submitBid');
    expect(doc.paths['/payouts/{id}/mark-paid']!.post!.operationId).toBe('markPayoutPaid');
    expect(doc.paths['/auth/login']!.post!.security).toEqual([]);
    expect(doc.paths['/briefs']!.get!.security).toEqual([{ bearer: [] }]);
    const award = doc.paths['/briefs/{id}/award']!.post!;
    expect(award['x-error-codes']).toEqual(expect.arrayContaining(['ALREADY_AWARDED', 'NOT_FOUND']));
    expect(award.responses).toMatchObject({
      409: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    });
  });

  it('is built from an up-to-date src/openapi-metadata.ts (npm run openapi:metadata)', async () => {
    await expect(
      run(
        join(ROOT, 'node_modules/.bin/ts-node'),
        ['--transpile-only', 'scripts/openapi-metadata.ts', '--check'],
        {
          cwd: ROOT,
        },
      ),
    ).resolves.toBeDefined();
  }, 180000);
});
