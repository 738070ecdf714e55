// Reuse you can see, in the studio (issue 15): the step panel says why a step ran (with the diff
// of the code that changed) or which run it reused; the outputs tab shows lineage; the
// experiments list shows the space each experiment takes. Chromium against a real `millrace serve`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempWorkspace } from '../helpers/workspace.js';
import { hasChromium, launchBrowser, serve, shot, type Served } from './harness.js';

describe.skipIf(!hasChromium)('studio: why reused, lineage, space', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  const runs: string[] = [];
  beforeAll(async () => {
    const ws = tempWorkspace();
    const run = (...extra: string[]) => {
      const r = cli(['run', 'pipelines/sample.yml', '-w', ws.dir, '--json', ...extra]);
      expect(r.status, r.stderr).toBe(0);
      runs.push(JSON.parse(r.stdout).id);
    };
    run();
    const script = join(ws.dir, 'pipelines', 'scripts', 'train_model.py');
    writeFileSync(script, readFileSync(script, 'utf8').replace('ap.add_argument("--epochs", type=int, default=300)', 'ap.add_argument("--epochs", type=int, default=400)'));
    run('-p', 'reg_rate=0.1');
    run('-p', 'reg_rate=0.1');
    // The sample's raw data as a dataset: its lineage lists the steps that read its folder.
    const reg = cli(['dataset', 'register', 'raw_data', '--datastore', 'default', '--path', 'raw', '--kind', 'tabular', '-w', ws.dir]);
    expect(reg.status, reg.stderr).toBe(0);
    [server, browser] = await Promise.all([serve(ws), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(server.loginUrl);
    await page.getByTestId('link-state').getByText('Live').waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    server?.ws.cleanup();
  });

  it('says why a step ran, with the diff of the changed script, and links the run compared with', async () => {
    await page.goto(`${server.url}/#/runs/${runs[1]}?step=train_model`);
    const why = page.getByTestId('why');
    await why.waitFor();
    await expect(page.getByTestId('why-title').textContent()).resolves.toBe('Why it ran');
    const reasons = await why.getByTestId('why-reason').allTextContents();
    expect(reasons[0]).toBe('allow_reuse: false');
    expect(reasons[1]).toBe('parameter reg_rate: 0.01 → 0.1');
    expect(reasons[2]).toMatch(/^code: train_model\.py changed \(hash \w{8}… → \w{8}…\)/);
    await why.locator('summary').first().click();
    await expect(why.getByTestId('why-diff').textContent()).resolves.toContain('+    ap.add_argument("--epochs", type=int, default=400)');
    await why.scrollIntoViewIfNeeded();
    await shot(page, 'step-why');
    await why.getByTestId('why-candidate').click();
    await expect.poll(() => page.url()).toContain(runs[0]);
  });

  it('says which run a reused step reused', async () => {
    await page.goto(`${server.url}/#/runs/${runs[2]}?step=prepare_data`);
    await page.getByTestId('why').waitFor();
    await expect(page.getByTestId('why-title').textContent()).resolves.toBe('Why reused');
    await expect(page.getByTestId('why').textContent()).resolves.toContain('every component of the reuse key matched');
  });

  it('shows the lineage of an output: its producer and the runs that read it, as links', async () => {
    await page.goto(`${server.url}/#/runs/${runs[1]}?step=prepare_data&tab=outputs`);
    const consumers = page.getByTestId('lineage-consumer');
    await consumers.first().waitFor();
    await expect(consumers.count()).resolves.toBe(2);
    const text = (await consumers.allTextContents()).join('\n');
    for (const id of [runs[1], runs[2]]) expect(text).toContain(id.slice(0, 4));
    await page.getByTestId('lineage').scrollIntoViewIfNeeded();
    await shot(page, 'step-lineage');
  });

  it('shows the lineage of a dataset version from the Workspace page', async () => {
    await page.goto(`${server.url}/#/workspace`);
    const row = page.getByTestId('datasets-table').locator('tr', { hasText: 'raw_data' });
    await row.getByRole('button', { name: 'Lineage' }).click();
    const lineage = page.getByTestId('lineage');
    await lineage.waitFor();
    await expect(lineage.textContent()).resolves.toContain('no run (registered from data already there)');
    // prepare_data of each run read it (the third run's reused the second's).
    const text = (await lineage.getByTestId('lineage-consumer').allTextContents()).join('\n');
    expect(text).toContain('prepare_data');
    expect(text).toContain(runs[0].slice(0, 4));
    await lineage.scrollIntoViewIfNeeded();
    await shot(page, 'dataset-lineage');
  });

  it('shows the disk space of each experiment', async () => {
    await page.goto(`${server.url}/#/runs`);
    await expect.poll(() => page.getByTestId('experiment-size').first().textContent()).toMatch(/\d+(\.\d)? (B|KB|MB)/);
  });
});
