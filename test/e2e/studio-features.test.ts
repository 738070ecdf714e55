// The studio of issue 14, end to end in Chromium against a real `millrace serve`: every bug it lists
// (each step names its number) and the features users of MLflow and Azure ML Studio reach for.
// One browser and one server for the file; the steps build on each other like a user's session.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempWorkspace } from '../helpers/workspace.js';
import { hasChromium, launchBrowser, serve, shot, type Served } from './harness.js';

const FAILS_PY = `import sys
for i in range(40):
    print(f"preparing batch {i}")
print("Traceback (most recent call last):", file=sys.stderr)
print('  File "fails.py", line 5, in <module>', file=sys.stderr)
print("ValueError: the batch size must be positive", file=sys.stderr)
sys.exit(1)
`;
const FAILS = `name: fails
steps:
  load:
    type: command
    command: [python3, -c, "print('loaded')"]
    allow_reuse: false
  train:
    type: python
    script: fails.py
    run_after: [load]
    allow_reuse: false
`;
const SLOW = `name: slow
steps:
  wait:
    type: command
    command: [python3, -c, "import time; print('waiting', flush=True); time.sleep(30)"]
    allow_reuse: false
`;
const TYPO = `name: typo
steps:
  prep:
    type: python
    scirpt: prep.py
  train:
    type: python
    script: train.py
    inputs:
      data: \${{steps.nope.outputs.x}}
`;
const ONE = `name: one
steps:
  only:
    type: command
    command: [python3, -c, "print(1)"]
`;

/** 50 steps in 5 layers of 10, each waiting for two of the layer before, with long display names. */
function wide(): string {
  const lines = ['name: wide', 'steps:'];
  for (let layer = 0; layer < 5; layer++) {
    for (let i = 0; i < 10; i++) {
      lines.push(`  s${layer}_${i}:`, '    type: command', `    display_name: "feature engineering for region ${i} at layer ${layer} of the model"`, '    command: ["true"]', '    allow_reuse: false');
      if (layer) lines.push(`    run_after: [s${layer - 1}_${i}, s${layer - 1}_${(i + 1) % 10}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// The functions given to page.evaluate run in the page; the tests compile without the DOM library.
declare const document: { createRange(): any; querySelector(s: string): any; activeElement: unknown };
declare function getComputedStyle(e: unknown): { whiteSpace: string; fontSize: string };

const LONG_EXPERIMENT = 'a-very-long-experiment-name-for-the-quarterly-churn-model-retraining';

describe.skipIf(!hasChromium)('studio features (issue 14, Chromium against millrace serve)', () => {
  let server: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const restRuns: string[] = [];
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  /** A JSON call with the token (answers of many shapes: any). */
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const waitRun = async (id: string, done = (s: string) => ['Completed', 'Failed', 'Canceled'].includes(s)) => {
    await expect.poll(async () => (await api('GET', `/api/v1/runs/${id}`)).status, { timeout: 60_000, interval: 200 }).toSatisfy(done);
    return api('GET', `/api/v1/runs/${id}`);
  };
  const runIdOfPage = () => decodeURIComponent(page.url().split('#/runs/')[1].split('?')[0]);

  beforeAll(async () => {
    const ws = tempWorkspace('compute:\n  local: { type: local, max_concurrency: 4 }\nexecutor: { kill_grace_ms: 300 }\n');
    ws.write('pipelines/fails.py', FAILS_PY);
    ws.write('pipelines/fails.yml', FAILS);
    ws.write('pipelines/slow.yml', SLOW);
    ws.write('pipelines/wide.yml', wide());
    ws.write('pipelines/zz-typo.yml', TYPO);
    ws.write('pipelines/one.yml', ONE);
    mkdirSync(join(ws.dir, 'datastores', 'default', 'landing'), { recursive: true });
    writeFileSync(join(ws.dir, 'datastores', 'default', 'landing', 'points.csv'), ['x,y,label', ...Array.from({ length: 30 }, (_, i) => `${i},${i * i},"row, ${i}"`)].join('\n') + '\n');
    // What a CLI user did before opening the studio: a published version 1.0 behind an endpoint, a token.
    expect(cli(['publish', 'pipelines/sample.yml', '--name', 'training', '--version', '1.0', '--endpoint', 'training', '-w', ws.dir]).status).toBe(0);
    token = JSON.parse(cli(['token', 'create', 'e2e', '--json', '-w', ws.dir]).stdout).token;
    [server, browser] = await Promise.all([serve(ws), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(server.loginUrl);
    await page.getByTestId('link-state').getByText('Live').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    server?.ws.cleanup();
  });

  it('bug 6: "Submit a run" asks which pipeline, then opens the last one submitted', async () => {
    await page.getByRole('link', { name: 'Submit a run' }).click();
    const chooser = page.getByTestId('pipeline-chooser');
    await chooser.waitFor();
    // Never an invalid file: zz-typo.yml is not offered, and nothing opened by itself.
    await expect(chooser.textContent()).resolves.not.toContain('zz-typo');
    await expect(page.getByTestId('submit-form').count()).resolves.toBe(0);
    await shot(page, 'pipeline-chooser');
    await chooser.getByRole('link', { name: /training-pipeline/ }).click();
    await page.getByLabel('reg_rate').fill('0.05');
    await page.getByRole('button', { name: 'Submit run' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/runs\/[^/?]+/);
    await page.getByTestId('run-status').getByText('Completed').waitFor({ timeout: 60_000 });
    await nav('Runs');
    await page.getByRole('link', { name: 'Submit a run' }).click();
    await page.getByRole('heading', { name: 'training-pipeline' }).waitFor();
    await expect(page.getByTestId('pipeline-chooser').count()).resolves.toBe(0);
  });

  it('bug 2: a burst of REST submits gets short ids that are unique and never upper-cased', async () => {
    const rates = [0.1, 0.2, 0.4, 0.6, 0.8, 0.9];
    const subs = await Promise.all(
      rates.map((r) => api('POST', '/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Name/training', { ExperimentName: 'rest-sweep', ParameterAssignments: { reg_rate: r } })),
    );
    restRuns.push(...subs.map((s) => s.Id));
    for (const id of restRuns) await waitRun(id);
    await nav('Runs');
    const table = page.getByTestId('runs-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(7);
    const shown = await table.locator('tbody tr td.run .mono').allTextContents();
    expect(new Set(shown).size).toBe(7);
    for (const s of shown) {
      expect(s).toBe(s.toLowerCase());
      expect(s.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('searches with an MLflow expression; a bad one is refused with a caret under the column', async () => {
    const box = page.getByTestId('run-search');
    // Keyboard: "/" focuses the search box.
    await page.locator('main h1').click();
    await page.keyboard.press('/');
    await expect(box.evaluate((e) => e === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('params.reg_rate > 0.5 and metrics.Accuracy >= 0');
    const table = page.getByTestId('runs-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('3 runs');
    await expect.poll(() => page.url()).toContain('search=params.reg_rate');
    await shot(page, 'runs-search');
    await box.fill('params.reg_rate >> 0.5');
    const err = page.getByTestId('search-error');
    await expect.poll(() => err.textContent()).toContain('invalid search at column 18');
    // The expression and the caret line are indented alike under the message.
    await expect(err.textContent()).resolves.toContain(`  params.reg_rate >> 0.5\n  ${' '.repeat(17)}^`);
    await shot(page, 'runs-search-error');
    await box.fill('');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(7);
  });

  it('metric and parameter columns sort and stay in the URL; the popover closes on Escape and outside clicks (bug 10)', async () => {
    const popover = page.getByTestId('columns-popover');
    await page.getByRole('button', { name: /^Columns/ }).click();
    await popover.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => popover.count()).toBe(0);
    await page.getByRole('button', { name: /^Columns/ }).click();
    await popover.getByRole('checkbox', { name: 'AUC', exact: true }).check();
    await popover.getByRole('checkbox', { name: 'reg_rate', exact: true }).check();
    await page.locator('main h1').click();
    await expect.poll(() => popover.count()).toBe(0);
    const table = page.getByTestId('runs-table');
    await table.getByRole('button', { name: /^reg_rate/ }).click();
    await expect.poll(() => page.url()).toContain('sort=params.reg_rate');
    const col = () => table.locator('tbody tr td.num.mono').allTextContents();
    await expect.poll(async () => (await col())[0]).toBe('0.9');
    // A reload (or a shared link) shows the same columns, sorted the same way.
    await page.reload();
    await table.getByRole('columnheader', { name: /AUC/ }).waitFor();
    await expect.poll(async () => (await col())[0]).toBe('0.9');
    await shot(page, 'runs-columns');
  });

  it('charts a metric against a parameter, and parallel coordinates, for the runs shown', async () => {
    await page.getByTestId('charts-toggle').click();
    const charts = page.getByTestId('run-charts');
    await charts.getByLabel('Metric').selectOption('Accuracy');
    await charts.getByTestId('scatter-chart').locator('canvas').first().waitFor();
    await expect(charts.getByTestId('scatter-chart').getAttribute('aria-label')).resolves.toBe('Accuracy against reg_rate, 7 runs');
    await shot(page, 'runs-charts-scatter');
    await charts.getByRole('button', { name: 'Parallel coordinates' }).click();
    await expect.poll(() => charts.locator('[data-testid=parallel-chart] path.line').count()).toBe(7);
    await shot(page, 'runs-charts-parallel');
    // The runs picked for compare only.
    for (const id of restRuns.slice(0, 2)) await page.getByLabel(`Select run ${id} for compare`).check();
    await charts.getByRole('button', { name: 'Picked (2)' }).click();
    await expect.poll(() => charts.locator('[data-testid=parallel-chart] path.line').count()).toBe(2);
    await page.getByTestId('charts-toggle').click();
  });

  it('bug 2: compare labels its columns with the short ids as they are', async () => {
    await page.getByTestId('compare').click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    await page.locator('th.run-col').first().waitFor();
    const headers = await page.locator('th.run-col').allInnerTexts();
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const h of headers) expect(h.trim()).toBe(h.trim().toLowerCase());
    // One column per run, in the parameters table and again in the metrics table.
    expect(new Set(headers).size).toBe(2);
  });

  it('bug 1: a REST run shows its graph with edges, links its trigger, and reruns the same published version', async () => {
    const id = restRuns[0];
    await page.goto(`${server.url}/#/runs/${id}`);
    await page.getByTestId('pipeline-graph').locator('path.edge').first().waitFor({ state: 'attached' });
    await expect(page.getByTestId('pipeline-graph').locator('path.edge').count()).resolves.toBe(1);
    const trigger = page.getByTestId('run-trigger');
    await expect(trigger.textContent()).resolves.toMatch(/REST, token e2e via endpoint training version 1\.0/);
    await expect(trigger.getByRole('link', { name: 'training' }).getAttribute('href')).resolves.toBe('#/endpoints?show=training');
    await page.getByRole('button', { name: 'Rerun', exact: true }).click();
    await expect.poll(() => page.url()).not.toContain(id);
    const again = runIdOfPage();
    await page.getByTestId('run-status').getByText('Completed').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('run-trigger').textContent()).resolves.toMatch(/manual via endpoint training version 1\.0 · rerun of/);
    const rec = await api('GET', `/api/v1/runs/${again}`);
    expect(rec.published).toMatchObject({ name: 'training', version: '1.0', endpoint: 'training' });

    // Rerun with changes: the run's own parameter form; Escape closes it, nothing is submitted.
    await page.getByRole('button', { name: 'Rerun with changes…' }).click();
    const dialog = page.getByTestId('rerun-dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'Rerun with changes…' }).click();
    await dialog.getByLabel('reg_rate').fill('0.33');
    await shot(page, 'rerun-dialog');
    await dialog.getByRole('button', { name: 'Submit run' }).click();
    await expect.poll(() => page.url()).not.toContain(again);
    await expect.poll(() => page.locator('.facts').textContent()).toContain('reg_rate=0.33');
    const changed = await waitRun(runIdOfPage());
    expect(changed).toMatchObject({ status: 'Completed', parameters: { reg_rate: 0.33 }, published: { version: '1.0', endpoint: 'training' } });
  });

  it('bugs 3 and 10: a reused step links to the run it reused, says it ran no attempt, and shows the command it ran', async () => {
    await page.locator('[data-step="prepare_data"]').click();
    const link = page.getByTestId('reused-link');
    await link.waitFor();
    await expect(page.getByTestId('step-attempt').textContent()).resolves.toBe('none (reused)');
    await shot(page, 'step-reused');
    await link.click();
    await expect.poll(() => page.url()).toMatch(/#\/runs\/[^?]+\?step=prepare_data/);
    await page.getByRole('heading', { name: 'prepare data' }).waitFor();
    await expect(page.getByText('cannot show a step run').count()).resolves.toBe(0);
    await page.locator('[data-step="train_model"]').click();
    const command = page.getByTestId('step-command');
    await expect.poll(() => command.textContent()).toMatch(/train_model\.py --in_folder \/.*\/prepped --reg \d/);
    await expect(command.textContent()).resolves.not.toContain('${{');
    await shot(page, 'step-overview');
  });

  it('bug 5: the Artifacts tab lists what a step uploaded, next to its log', async () => {
    await page.getByRole('tab', { name: 'Artifacts' }).click();
    const list = page.getByTestId('artifacts');
    await list.getByText('outputs/model.json').waitFor();
    await expect(list.textContent()).resolves.toContain('user_logs/std_log.txt');
    await list.getByRole('button', { name: 'outputs/model.json' }).click();
    await expect.poll(() => page.getByTestId('artifact-preview').textContent()).toContain('{');
    await shot(page, 'step-artifacts');
    await page.getByRole('tab', { name: 'Outputs' }).click();
    await page.getByTestId('artifacts').waitFor();
  });

  it('the log view finds text, wraps or not, and downloads the whole log', async () => {
    await page.getByRole('tab', { name: 'Log' }).click();
    await expect.poll(() => page.getByTestId('step-log').textContent()).toContain('Accuracy');
    await page.getByTestId('log-search').fill('accuracy');
    await expect.poll(() => page.getByTestId('log-matches').textContent()).toMatch(/^1 of \d+$/);
    await expect(page.getByTestId('step-log').locator('mark').count()).resolves.toBeGreaterThan(0);
    await page.getByLabel('Wrap lines').uncheck();
    await expect(page.getByTestId('step-log').evaluate((e) => getComputedStyle(e).whiteSpace)).resolves.toBe('pre');
    const res = await page.request.get((await page.getByTestId('log-download').getAttribute('href'))!);
    expect(await res.text()).toContain('Accuracy');
    await shot(page, 'step-log-search');
  });

  it('names a run, and the runs table shows the name', async () => {
    await page.getByTestId('edit-run-info').click();
    const form = page.getByTestId('run-info-form');
    await form.getByLabel('Name').fill('lower regularization');
    await form.getByLabel('Description').fill('reg_rate 0.33 after the sweep');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe('lower regularization');
    await page.getByTestId('add-tag').click();
    await page.getByLabel('New tag name').fill('team');
    await page.getByLabel('New tag value').fill('churn');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => page.getByTestId('run-tags').textContent()).toContain('team=churn');
    await shot(page, 'run-named');
    await page.goto(`${server.url}/#/runs?search=${encodeURIComponent("tags.team = 'churn'")}`);
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr').count()).toBe(1);
    await expect(page.getByTestId('runs-table').textContent()).resolves.toContain('lower regularization');
  });

  it('a failed run opens at its failed step, with the last 20 lines of its log up front', async () => {
    await page.goto(`${server.url}/#/pipelines?file=fails.yml`);
    await page.getByRole('button', { name: 'Submit run' }).click();
    await page.getByTestId('run-status').getByText('Failed').waitFor({ timeout: 60_000 });
    const summary = page.getByTestId('failure-summary');
    await summary.waitFor();
    await expect.poll(() => summary.getByTestId('failure-log').textContent()).toContain('ValueError: the batch size must be positive');
    const lines = (await summary.getByTestId('failure-log').textContent())!.split('\n');
    expect(lines.length).toBe(20);
    await expect.poll(() => page.url()).toMatch(/step=train&tab=log/);
    await expect.poll(() => page.getByTestId('step-log').locator('.line.error').count()).toBeGreaterThanOrEqual(3);
    await shot(page, 'run-failed');
  });

  it('bug 4: a running run\'s duration ticks; cancel asks first, and Escape keeps it running', async () => {
    const run = await api('POST', '/api/v1/runs', { file: 'slow.yml', experiment: 'slow' });
    await waitRun(run.id, (s) => s === 'Running');
    // The page's clock is fast-forwarded instead of waiting (playwright-core's clock), in a page of its own.
    const main = page;
    page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/#/runs/${run.id}`);
    const dur = page.getByTestId('run-duration');
    await dur.waitFor();
    const seconds = async () => {
      const t = (await dur.textContent())!;
      const m = /^(\d+(?:\.\d+)?) (ms|s)$|^(\d+)m (\d+)s$/.exec(t);
      if (!m) throw new Error(`duration '${t}'`);
      return m[2] === 'ms' ? Number(m[1]) / 1000 : m[2] === 's' ? Number(m[1]) : Number(m[3]) * 60 + Number(m[4]);
    };
    const before = await seconds();
    await page.clock.runFor(20_000);
    await expect.poll(seconds).toBeGreaterThanOrEqual(before + 19);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    await shot(page, 'cancel-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    expect((await api('GET', `/api/v1/runs/${run.id}`)).status).toBe('Running');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await confirm.getByRole('button', { name: 'Cancel run' }).click();
    expect((await waitRun(run.id)).status).toBe('Canceled');
    await page.close();
    page = main;
  });

  it('a 50-step graph fits, zooms and pans, with step names wrapped and never drawn below 9 px', async () => {
    const run = await api('POST', '/api/v1/runs', { file: 'wide.yml', experiment: 'wide' });
    await page.goto(`${server.url}/#/runs/${run.id}`);
    const graph = page.getByTestId('pipeline-graph');
    await expect.poll(() => graph.locator('[data-step]').count()).toBe(50);
    await expect.poll(() => graph.locator('path.edge').count()).toBe(80);
    const zoom = () => graph.getByTestId('graph-zoom').textContent().then((t) => Number(t!.replace('%', '')) / 100);
    await graph.getByTestId('graph-fit').click();
    const fitted = await zoom();
    const fontPx = await graph.locator('text.label').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(fontPx * fitted).toBeGreaterThanOrEqual(9);
    // Long names take two lines, cut with an ellipsis.
    const label = graph.locator('[data-step="s2_3"] text.label');
    await expect(label.count()).resolves.toBe(2);
    await expect(label.nth(1).textContent()).resolves.toMatch(/…$/);
    await graph.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(zoom).toBeGreaterThan(fitted);
    // A graph larger than its box pans with the wheel (and by dragging its background).
    const before = await graph.locator('svg > g').getAttribute('transform');
    const box = (await graph.locator('.viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(150, 120);
    await expect.poll(() => graph.locator('svg > g').getAttribute('transform')).not.toBe(before);
    await graph.getByTestId('graph-fit').click();
    await waitRun(run.id);
    await shot(page, 'graph-50-steps');
  });

  it('bugs 8 and 10: validation lists every problem at once, the caret under the column; "1 step"', async () => {
    await nav('Pipelines');
    await expect(page.getByRole('link', { name: /one\.yml/ }).textContent()).resolves.toContain('1 step ·');
    await page.getByRole('link', { name: /zz-typo\.yml/ }).click();
    const errors = page.getByTestId('validation-errors');
    await errors.waitFor();
    await expect(errors.textContent()).resolves.toContain('2 validation errors');
    await expect(errors.textContent()).resolves.toContain("unknown key 'scirpt'");
    await expect(errors.textContent()).resolves.toContain("refers to unknown step 'nope'");
    // The caret's left edge is the left edge of the character at the error's column.
    const offsets = await page.getByTestId('line-error').evaluateAll((msgs) =>
      msgs.map((m) => {
        const line = Number(m.getAttribute('data-line'));
        const col = Number(m.getAttribute('data-col'));
        const code = document.querySelector(`[data-testid=pipeline-source] .line[data-line="${line}"] code`)!.firstChild!;
        const r = document.createRange();
        r.setStart(code, col - 1);
        r.setEnd(code, col);
        return Math.abs(r.getBoundingClientRect().left - m.querySelector('.caret')!.getBoundingClientRect().left);
      }),
    );
    expect(offsets.length).toBe(2);
    for (const o of offsets) expect(o).toBeLessThan(1);
    await shot(page, 'pipeline-errors-all');
  });

  it('bug 7: publishing with a blank version after the CLI\'s 1.0 makes 2.0 and leaves the default unless asked', async () => {
    await page.getByRole('link', { name: /sample\.yml/ }).click();
    const form = page.getByTestId('publish-form');
    await form.getByLabel('Name').fill('training');
    await expect.poll(() => form.getByLabel('Version').getAttribute('placeholder')).toBe('2.0');
    await form.getByLabel('Endpoint').fill('training');
    await expect(form.getByTestId('make-default').isChecked()).resolves.toBe(false);
    await shot(page, 'publish-form');
    await form.getByRole('button', { name: 'Publish version' }).click();
    await expect.poll(() => page.getByTestId('published').textContent()).toContain('version 2.0');
    const ep = await api('GET', '/api/v1/pipeline-endpoints/training');
    expect(ep.defaultVersion).toBe('1.0');
    expect(ep.versions.map((v: { version: string }) => v.version)).toEqual(['1.0', '2.0']);
  });

  it('submits an endpoint from its parameter form; the endpoint shows its versions and recent runs', async () => {
    await nav('Endpoints');
    const card = page.getByTestId('endpoint').filter({ hasText: 'training' });
    await card.getByTestId('recent-runs').locator('li').first().waitFor();
    await shot(page, 'endpoints-recent');
    await card.getByRole('button', { name: 'Submit…' }).click();
    const dialog = page.getByTestId('published-submit');
    await dialog.getByLabel('Version').selectOption('2.0');
    await dialog.getByLabel('reg_rate').fill('-1');
    await dialog.getByRole('button', { name: 'Submit run' }).click();
    await dialog.getByText('Fix the highlighted parameters first.').waitFor();
    await dialog.getByLabel('reg_rate').fill('0.7');
    await shot(page, 'endpoint-submit');
    await dialog.getByRole('button', { name: 'Submit run' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/runs\//);
    const rec = await waitRun(runIdOfPage());
    expect(rec).toMatchObject({ parameters: { reg_rate: 0.7 }, published: { version: '2.0', endpoint: 'training' } });
  });

  it('schedules: parameter values, a time-zone picker, "next fire in …", run now and the last run; a zone error shown once', async () => {
    await nav('Schedules');
    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByTestId('schedule-form');
    await form.getByLabel('Name').fill('hourly');
    await form.getByLabel('Frequency').selectOption('Hour');
    await form.getByTestId('schedule-params').getByLabel('reg_rate').fill('0.25');
    await expect(page.locator('datalist#time-zones option[value="Europe/Berlin"]').count()).resolves.toBe(1);
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    const preview = page.getByTestId('schedule-preview');
    await expect.poll(() => preview.textContent()).toContain("unknown time zone 'Mars/Olympus'");
    expect(((await preview.textContent())!.match(/Mars\/Olympus/g) ?? []).length).toBe(1);
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await preview.locator('li').first().waitFor();
    await form.getByRole('button', { name: 'Create schedule' }).click();
    const table = page.getByTestId('schedules-table');
    await table.getByText('hourly').waitFor();
    // Without a start time, a recurrence starts at its creation (docs/schedules.md): the words say so.
    await expect(table.textContent()).resolves.toMatch(/every hour, from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0[12]:00 \(Europe\/Berlin\)/);
    await expect(table.textContent()).resolves.toContain('reg_rate=0.25');
    await expect.poll(() => table.getByTestId('next-fire').textContent()).toMatch(/^in \d+ (s|min|h)/);
    await table.getByRole('button', { name: 'Run now' }).click();
    await table.getByRole('link', { name: /^[0-9a-z]{8,}$/ }).waitFor();
    const last = (await table.getByRole('link', { name: /^[0-9a-z]{8,}$/ }).first().getAttribute('href'))!;
    const run = await waitRun(decodeURIComponent(last.split('#/runs/')[1]));
    expect(run).toMatchObject({ parameters: { reg_rate: 0.25 }, trigger: { kind: 'schedule', schedule: 'hourly', runNow: true } });
    await page.reload();
    await expect.poll(() => table.textContent()).toContain('Completed');
    await shot(page, 'schedules-run-now');
  });

  it('workspace: browses a datastore, previews a CSV head and registers it as a dataset', async () => {
    await nav('Workspace');
    const browser = page.getByTestId('datastore-browser');
    await browser.getByRole('button', { name: 'landing/' }).click();
    await browser.getByRole('button', { name: 'points.csv' }).click();
    const preview = page.getByTestId('file-preview');
    await expect.poll(() => preview.locator('table.csv tbody tr').count()).toBe(20);
    await expect(preview.locator('table.csv thead').textContent()).resolves.toBe('xylabel');
    await expect(preview.locator('table.csv tbody tr').first().textContent()).resolves.toBe('00row, 0');
    await preview.getByRole('button', { name: 'Register as dataset' }).click();
    const form = page.getByTestId('dataset-form');
    await expect(form.getByLabel('Name').inputValue()).resolves.toBe('points');
    await expect(form.getByLabel('Kind').inputValue()).resolves.toBe('tabular');
    await shot(page, 'workspace-browse');
    await form.getByRole('button', { name: 'Register dataset' }).click();
    await page.getByTestId('datasets-table').getByText('landing/points.csv').waitFor();
  });

  it('bug 10: a long experiment name stays inside its card, its count beside it', async () => {
    const run = await api('POST', '/api/v1/runs', { file: 'one.yml', experiment: LONG_EXPERIMENT });
    await waitRun(run.id);
    await nav('Runs');
    const card = page.getByRole('complementary', { name: 'Experiments' });
    const button = card.getByRole('button', { name: new RegExp(LONG_EXPERIMENT) });
    await button.waitFor();
    const [cardBox, nameBox, countBox] = await Promise.all([card.boundingBox(), button.locator('.name').boundingBox(), button.locator('.count').boundingBox()]);
    expect(countBox!.x + countBox!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width);
    expect(nameBox!.x + nameBox!.width).toBeLessThanOrEqual(countBox!.x);
    await shot(page, 'experiments-long-names');
  });

  it('dark theme: the run page with its graph and charts', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/#/runs?charts=1&metrics=Accuracy`);
    await page.getByTestId('scatter-chart').locator('canvas').first().waitFor();
    await shot(page, 'runs-charts-dark');
    await page.goto(`${server.url}/#/runs/${restRuns[1]}?step=train_model&tab=log`);
    await expect.poll(() => page.getByTestId('step-log').textContent()).toContain('Accuracy');
    await shot(page, 'run-log-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
