// Studio UI benchmark (issue: Studio UI): a store of 100,000 pipeline runs (each with one step run)
// and 1,000,000 metric points behind a real `millrace serve`, opened in Debian's Chromium.
// Targets: the runs page's first data request < 50 ms, the page interactive < 1 s, a metric chart
// of 100,000 points rendered < 200 ms (downsampled on the server by runs/metric-series). Issue 14
// adds: the same page with an MLflow-style search and with charts across runs open.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'millrace.js');
const CHROMIUM = process.env.MILLRACE_CHROMIUM ?? '/usr/bin/chromium';
const RUNS = 100_000;
const BIG_SERIES = 100_000;
const POINTS = 1_000_000;

/** Writes the store directly (the engine would take hours to make 100,000 real runs). */
export async function fillStore(dir) {
  const { Store } = await import('../dist/main/store/store.js');
  const store = Store.open(join(dir, 'millrace.db'));
  const db = store.rawConnection();
  const t0 = Date.now() - RUNS * 60_000;
  const statuses = ['Completed', 'Completed', 'Completed', 'Failed', 'Canceled'];
  const triggers = ['manual', 'cli', 'rest', 'schedule'];
  db.transaction(() => {
    const exps = [1, 2, 3].map((i) => db.prepare('INSERT INTO experiments (name, created_at) VALUES (?, ?) RETURNING id').get(`bench-${i}`, t0).id);
    const run = db.prepare(
      `INSERT INTO runs (id, experiment_id, parent_id, kind, name, display_name, seq, status, trigger_kind, trigger_info, pipeline_file, parameters, created_at, started_at, ended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < RUNS; i++) {
      const id = `bench${String(i).padStart(7, '0')}`;
      const at = t0 + i * 60_000;
      const status = statuses[i % statuses.length];
      run.run(id, exps[i % 3], null, 'pipeline', 'training-pipeline', null, 0, status, triggers[i % 4], '{}', 'sample.yml', JSON.stringify({ reg_rate: (i % 100) / 100, raw_path: 'raw' }), at, at + 1000, at + 1000 + (i % 5000));
      run.run(`${id}s`, exps[i % 3], id, 'step', 'train_model', 'train model', 1, status, null, null, null, null, at, at + 1000, at + 1000 + (i % 5000));
    }
    // 1,000,000 points: one step with a 100,000-point series (the chart), the rest spread over the newest runs.
    const metric = db.prepare(`INSERT INTO metrics (run_id, name, kind, step, value, ts) VALUES (?, ?, 'scalar', ?, ?, ?)`);
    const big = `bench${String(RUNS - 1).padStart(7, '0')}s`;
    for (let k = 0; k < BIG_SERIES; k++) metric.run(big, 'loss', k, Math.exp(-k / 20_000) + 0.05 * Math.sin(k / 50), t0 + k);
    const rest = POINTS - BIG_SERIES;
    const perRun = 100;
    for (let r = 0; r < rest / perRun; r++) {
      const rid = `bench${String(RUNS - 2 - r).padStart(7, '0')}s`;
      for (let k = 0; k < perRun; k++) metric.run(rid, k === perRun - 1 ? 'accuracy' : 'loss', k, Math.random(), t0 + k);
    }
    // What MetricStore.insert keeps as points arrive (the run records read these).
    db.exec('INSERT INTO metric_summaries (run_id, name, count, min, max, first_id, last_id) SELECT run_id, name, COUNT(*), MIN(value), MAX(value), MIN(id), MAX(id) FROM metrics GROUP BY run_id, name');
  })();
  db.exec('ANALYZE');
  store.close();
  return `bench${String(RUNS - 1).padStart(7, '0')}`;
}

const get = (url, cookie) =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    request(url, { headers: { cookie } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    }).on('error', reject).end();
  });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runUiBench(report) {
  if (!existsSync(CHROMIUM)) {
    console.log(`\n## Studio UI\n\nskipped: no Chromium at ${CHROMIUM}`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = join(tmpdir(), `millrace-bench-${process.pid}`, 'ui');
  rmSync(dir, { recursive: true, force: true });
  execFileSync('node', [cli, 'init', dir], { stdio: 'ignore' });
  const tFill = performance.now();
  const bigRun = await fillStore(dir);
  const fillMs = performance.now() - tFill;

  const server = spawn('node', [cli, 'serve', '--port', '0', '--json', '-w', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => server.on('exit', r));
  let ready;
  while (!ready) {
    if (server.exitCode !== null) throw new Error('serve did not start');
    try {
      ready = JSON.parse(out);
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // Log in once (sets the cookie), then measure cold opens of the runs page.
    await page.goto(ready.loginUrl);
    await page.locator('[data-testid=runs-table] tbody tr').first().waitFor({ timeout: 30_000 });
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

    // The runs page's first data request, straight over HTTP (what the page asks first: the page of
    // runs, its total counted after), 20 times each.
    const times = async (path, n = 20) => {
      const xs = [];
      for (let i = 0; i < n; i++) xs.push((await get(`${ready.url}${path}`, cookie)).ms);
      return median(xs);
    };
    const direct = [await times('/api/v1/runs?sort=createdAt&order=desc&limit=50&offset=0&count=false')];
    const countMs = await times('/api/v1/runs/count');
    const search = encodeURIComponent('metrics.accuracy >= 0.5 and params.reg_rate > 0.5');
    const searchPageMs = await times(`/api/v1/runs?filter=${search}&sort=createdAt&order=desc&limit=50&offset=0&count=false`);
    const searchCountMs = await times(`/api/v1/runs/count?filter=${search}`, 5);
    const sortByMetricMs = await times('/api/v1/runs?sort=metrics.accuracy&order=desc&limit=50&offset=0&count=false&metrics=accuracy', 5);
    const chartDataMs = await times('/api/v1/runs?metrics=accuracy&limit=500&count=false', 10);

    const pageLoad = async (hash) => {
      await page.goto('about:blank');
      await page.goto(`${ready.url}/${hash}`);
      await page.locator('[data-testid=runs-table] tbody tr').first().waitFor({ timeout: 30_000 });
      return page.evaluate(() => {
        const res = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/runs?'));
        return { now: performance.now(), req: res ? res.responseEnd - res.requestStart : NaN };
      });
    };
    // The page opened on a search (a link with ?search=): same measures.
    const searchInteractive = [];
    const searchFirst = [];
    for (let i = 0; i < 5; i++) {
      const t = await pageLoad(`#/runs?search=${search}`);
      searchInteractive.push(t.now);
      searchFirst.push(t.req);
    }
    // Charts across runs open (scatter of accuracy against reg_rate for the newest 500 runs): until drawn.
    const chartsDrawn = [];
    for (let i = 0; i < 3; i++) {
      await page.goto('about:blank');
      await page.goto(`${ready.url}/#/runs?charts=1`);
      await page.locator('[data-testid=scatter-chart] canvas').first().waitFor({ timeout: 30_000 });
      chartsDrawn.push(await page.evaluate(() => performance.now()));
    }

    const interactive = [];
    const firstRequest = [];
    for (let i = 0; i < 5; i++) {
      await page.goto('about:blank');
      await page.goto(`${ready.url}/#/runs`);
      await page.locator('[data-testid=runs-table] tbody tr').first().waitFor({ timeout: 30_000 });
      const t = await page.evaluate(() => {
        const res = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/runs?'));
        return { now: performance.now(), req: res ? res.responseEnd - res.requestStart : NaN };
      });
      interactive.push(t.now);
      firstRequest.push(t.req);
    }
    // A page later in the 100,000: server-side paging keeps it as quick.
    // Timed inside the page (click -> the new rows are in the DOM), free of the driver's polling.
    const before = await page.locator('[data-testid=runs-table] tbody tr a').first().getAttribute('href');
    await page.evaluate(() => {
      window.__t0 = performance.now();
      [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Older')).click();
    });
    const nextPageMs = await (
      await page.waitForFunction(
        (b) => (document.querySelector('[data-testid=runs-table] tbody tr a')?.getAttribute('href') !== b ? performance.now() - window.__t0 : 0),
        before,
        { polling: 'raf' },
      )
    ).jsonValue();

    // The 100,000-point chart: open the step's Metrics tab; time until uPlot's canvas is drawn.
    const chart = [];
    const seriesReq = [];
    const chartOnly = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${ready.url}/#/runs/${bigRun}?step=train_model&tab=overview`);
      await page.getByRole('tab', { name: 'Metrics' }).waitFor();
      // The run page itself has loaded.
      await page.getByTestId('pipeline-graph').waitFor();
      await page.waitForTimeout(300);
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('tab', { name: 'Metrics' }).click();
      await page.locator('[data-testid=metric-chart] canvas').first().waitFor({ timeout: 30_000 });
      const t = await page.evaluate(() => {
        const res = performance.getEntriesByType('resource').filter((e) => e.name.includes('metric-series')).pop();
        return { now: performance.now(), req: res ? res.responseEnd - res.requestStart : NaN, start: res ? res.startTime : NaN };
      });
      chart.push(t.now - t0);
      seriesReq.push(t.req);
      chartOnly.push(t.now - t.start);
    }
    const r = {
      fillMs,
      countMs,
      searchPageMs,
      searchCountMs,
      sortByMetricMs,
      chartDataMs,
      searchFirstInPageMs: median(searchFirst),
      searchInteractiveMs: median(searchInteractive),
      chartsDrawnMs: median(chartsDrawn),
      firstRequestDirectMs: median(direct),
      firstRequestInPageMs: median(firstRequest),
      interactiveMs: median(interactive),
      nextPageMs,
      tabToChartMs: median(chart),
      chartMs: median(chartOnly),
      seriesRequestMs: median(seriesReq),
    };
    report.ui(r);
    return r;
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runUiBench({ ui: (r) => console.log(r) });
}
