// `npm run bench`: every scenario of the performance issue, end to end, on a fresh database.
//
//   SIZES=10000,100000 ROUNDS=5 DURATION=10 SCENARIOS=reads,writes,pipeline,fanout,upload UPLOAD_MIB=2048
//
// For each size it starts Efir as a user would (`node dist/src/main.js`, workers in-process) on a
// scratch database pinned to CPU 1, seeds it (bench/seed.ts) and starts the raw read baseline
// beside it (also CPU 1); wrk runs on CPU 0. Reads alternate over every (size, server) pair;
// the bid rush and the pipeline run against the largest dataset; fan-out and upload start their
// own servers. Writes bench/results/<date>.json and <date>.md and prints the Markdown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFanoutScenario, type FanoutResult } from './fanout';
import { ensureWrk, pin, startBaseline, startServer, verdict, type BenchServer } from './lib';
import { runPipelineDrain, type DrainResult } from './pipeline';
import { READ_SCENARIOS, runReadScenarios, type ReadResult, type ReadTarget } from './reads';
import { seed } from './seed';
import { runUploadScenario, uploadTable, type UploadScenarioResult } from './upload';
import { runWriteScenarios, type WriteResult } from './writes';

const SIZES = (process.env.SIZES ?? '10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION = Number(process.env.DURATION ?? 10);
const SCENARIOS = new Set((process.env.SCENARIOS ?? 'reads,writes,pipeline,fanout,upload').split(','));
const UPLOAD_MIB = Number(process.env.UPLOAD_MIB ?? 2048);

interface Results {
  date: string;
  machine: { cpus: number; node: string };
  settings: { sizes: number[]; rounds: number; durationS: number; uploadMiB: number };
  seeds: { size: number; seconds: number }[];
  reads?: ReadResult;
  writes?: WriteResult;
  pipeline?: DrainResult;
  fanout?: FanoutResult;
  upload?: UploadScenarioResult;
}

const n = (x: number, digits = 0): string =>
  x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function markdown(r: Results): string {
  const out: string[] = [
    `# Efir benchmark, ${r.date}`,
    '',
    `${r.machine.cpus} CPUs, Node ${r.machine.node}; ${r.settings.rounds} alternating rounds of ${r.settings.durationS} s, wrk -t1 -c32 on CPU 0, servers on CPU 1; ratios are medians of per-round ratios (app ÷ raw).`,
    '',
  ];
  const rows: string[] = [];
  const row = (
    name: string,
    size: string,
    s: {
      app: { rps: number; p50_ms: number; p99_ms: number };
      raw: { rps: number; p50_ms: number; p99_ms: number };
      ratio: { rps: number; p50: number; p99: number };
    },
    goals: { rps: number; p50?: number; p99: number },
    errors: number,
  ): void => {
    rows.push(
      `| ${name} | ${size} | ${n(s.app.rps)} | ${n(s.raw.rps)} | ${verdict(s.ratio.rps, s.ratio.rps >= goals.rps)} (≥ ${goals.rps}) | ${n(s.app.p50_ms, 1)} / ${n(s.raw.p50_ms, 1)} | ${goals.p50 ? `${verdict(s.ratio.p50, s.ratio.p50 <= goals.p50)} (≤ ${goals.p50})` : `${s.ratio.p50.toFixed(2)}×`} | ${n(s.app.p99_ms, 1)} / ${n(s.raw.p99_ms, 1)} | ${verdict(s.ratio.p99, s.ratio.p99 <= goals.p99)} (≤ ${goals.p99}) | ${errors} |`,
    );
  };
  if (r.reads) {
    for (const [key, s] of Object.entries(r.reads.summary)) {
      const scenario = key.split('@')[0] as keyof typeof READ_SCENARIOS;
      row(READ_SCENARIOS[scenario], `${n(s.size)} briefs`, s, { rps: 0.65, p50: 1.6, p99: 2.5 }, s.errors);
    }
  }
  if (r.writes) {
    const w = r.writes.summary;
    if (w.spread)
      row(
        '4 bid rush, 500 studios × 50 briefs',
        'largest',
        w.spread,
        { rps: 0.85, p99: 1.5 },
        w.spread.errors,
      );
    if (w.hot) row('5 bid rush, one hot brief', 'largest', w.hot, { rps: 0.8, p99: 1.8 }, w.hot.errors);
  }
  if (rows.length) {
    out.push(
      '| scenario | dataset | app req/s | raw req/s | **req/s ratio** | app / raw p50 ms | **p50 ratio** | app / raw p99 ms | **p99 ratio** | errors |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    );
  }
  if (r.reads && Object.keys(r.reads.growth).length) {
    out.push('**Growth** (p50 at the larger dataset ÷ p50 at the smallest; goal ≤ 1.2 for the app):', '');
    out.push('| scenario | ' + Object.keys(Object.values(r.reads.growth)[0]!).join(' | ') + ' |');
    out.push(
      '|---|' +
        Object.keys(Object.values(r.reads.growth)[0]!)
          .map(() => '---|')
          .join(''),
    );
    for (const [scenario, g] of Object.entries(r.reads.growth)) {
      out.push(
        `| ${READ_SCENARIOS[scenario as keyof typeof READ_SCENARIOS]} | ` +
          Object.entries(g)
            .map(([k, v]) => (k.startsWith('app') ? verdict(v, v <= 1.2) : `${v.toFixed(2)}×`))
            .join(' | ') +
          ' |',
      );
    }
    out.push('');
  }
  if (r.writes) {
    const w = r.writes;
    const exact = w.runs.every((x) => x.check.exact);
    const bids = w.runs.reduce((s, x) => s + x.check.bids, 0);
    const maxBacklog = Math.max(...w.pipeline.map((p) => p.maxBacklog));
    const maxDrain = Math.max(...w.pipeline.map((p) => p.drainMs));
    out.push(
      `**Bid rush correctness:** ${n(bids)} bids over all runs; every 201 present exactly once with its version row, audit event and outbox event: ${exact ? '✓' : '✗'}; 409s ${w.summary.spread?.conflicts ?? 0} + ${w.summary.hot?.conflicts ?? 0}, 5xx ${(w.summary.spread?.serverErrors ?? 0) + (w.summary.hot?.serverErrors ?? 0)}, deadlocks ${w.deadlocks} ${w.deadlocks === 0 ? '✓' : '✗'}.`,
      '',
      `**Outbox under the rush (app runs):** backlog of due, unhandled events peaked at ${maxBacklog} (goal ≤ 100: ${maxBacklog <= 100 ? '✓' : '✗'}); drained ${n(maxDrain)} ms after the load stopped at worst (goal ≤ 1,000 ms: ${maxDrain <= 1000 ? '✓' : '✗'}).`,
      '',
    );
  }
  if (r.pipeline) {
    const p = r.pipeline;
    out.push(
      `**Outbox drain:** ${n(p.events)} committed events handled in ${p.seconds.toFixed(2)} s = **${n(p.eventsPerSecond)} events/s** (goal ≥ 1,500: ${p.eventsPerSecond >= 1500 ? '✓' : '✗'}).`,
      '',
    );
  }
  if (r.fanout) {
    const f = r.fanout;
    out.push(
      `**7 fan-out:** one \`brief.published\` to ${n(f.studios)} studios: last of ${n(f.studios)} rows ${n(f.medianJobStartToLastRowMs)} ms after the job started (median of ${f.runs.length}; goal ≤ 500 ms: ${f.pass ? '✓' : '✗'}); ${n(f.medianPublishToLastRowMs)} ms after the publish response.`,
      '',
    );
  }
  if (r.upload) out.push('**6 upload** (tus vs raw loopback, same client):', '', uploadTable(r.upload), '');
  return out.join('\n');
}

async function main(): Promise<void> {
  ensureWrk();
  const scratch = mkdtempSync(join(tmpdir(), 'efir-bench-run-'));
  const results: Results = {
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    settings: { sizes: SIZES, rounds: ROUNDS, durationS: DURATION, uploadMiB: UPLOAD_MIB },
    seeds: [],
  };
  const apps: BenchServer[] = [];
  const raws: { stop: () => Promise<void> }[] = [];
  try {
    const targets: ReadTarget[] = [];
    if (SCENARIOS.has('reads') || SCENARIOS.has('writes') || SCENARIOS.has('pipeline')) {
      for (const size of SCENARIOS.has('reads') ? SIZES : [Math.max(...SIZES)]) {
        const app = await startServer(`s${size}`, { RUN_WORKER: 'true' });
        apps.push(app);
        pin(app.process.pid!, 1);
        const s = await seed(app.env.DATABASE_URL!, size);
        results.seeds.push({ size, seconds: s.seconds });
        console.log(`seeded ${n(size)} briefs in ${s.seconds.toFixed(1)} s`);
        const raw = await startBaseline('raw-read', { DATABASE_URL: app.env.DATABASE_URL! });
        raws.push(raw);
        targets.push({
          size,
          databaseUrl: app.env.DATABASE_URL!,
          app: app.base.replace(/\/api\/v1$/, ''),
          raw: raw.base,
        });
      }
    }
    if (SCENARIOS.has('reads')) {
      results.reads = await runReadScenarios({
        targets,
        rounds: ROUNDS,
        seconds: DURATION,
        scratch: join(scratch, 'reads'),
      });
    }
    for (const raw of raws.splice(0)) await raw.stop();
    const largest = targets[targets.length - 1];
    // The drain first, on the freshly seeded data. Run right after the rush it measured 1,316
    // events/s against 1,742 here: the database is then still busy with the rush's aftermath
    // (dead rows for autovacuum, a grown outbox) on the same two cores.
    if (largest && SCENARIOS.has('pipeline')) {
      results.pipeline = await runPipelineDrain(largest.databaseUrl);
      console.log(`outbox drain: ${JSON.stringify(results.pipeline)}`);
    }
    if (largest && SCENARIOS.has('writes')) {
      results.writes = await runWriteScenarios({
        appBase: largest.app,
        databaseUrl: largest.databaseUrl,
        rounds: ROUNDS,
        seconds: DURATION,
        scratch: join(scratch, 'writes'),
      });
    }
    for (const app of apps.splice(0)) await app.stop();
    if (SCENARIOS.has('fanout')) results.fanout = await runFanoutScenario(10_000, 3);
    if (SCENARIOS.has('upload'))
      results.upload = await runUploadScenario({ sizeMiB: UPLOAD_MIB, rounds: Math.min(ROUNDS, 3) });
  } finally {
    for (const raw of raws) await raw.stop();
    for (const app of apps) await app.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  // A run of some scenarios only is named after them, so it never replaces a full run's results.
  const all = ['reads', 'writes', 'pipeline', 'fanout', 'upload'].every((s) => SCENARIOS.has(s));
  const name = `bench/results/${results.date.slice(0, 10)}${all ? '' : `-${[...SCENARIOS].join('-')}`}`;
  mkdirSync('bench/results', { recursive: true });
  const md = markdown(results);
  writeFileSync(`${name}.json`, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(`${name}.md`, md + '\n');
  console.log(`\n${md}\nwrote ${name}.json and ${name}.md`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
