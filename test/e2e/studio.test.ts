// The studio end to end: a real `millrace serve` on a temp workspace, driven in Debian's Chromium.
// One browser and one server for the whole file (the steps build on each other, like a user's session).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, serve, shot, type Served } from './harness.js';

describe.skipIf(!hasChromium)('studio (Chromium against millrace serve)', () => {
  let server: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const runIds: string[] = [];
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

  beforeAll(async () => {
    [server, browser] = await Promise.all([serve(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.error('page error:', e));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    server?.ws.cleanup();
  });

  it('without the login link, the page explains how to sign in', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to this Millrace' }).waitFor();
    const res = await page.request.get(`${server.url}/api/v1/runs`);
    expect(res.status()).toBe(401);
  });

  it('the login link sets an HttpOnly SameSite=Strict cookie and opens the runs page', async () => {
    await page.goto(server.loginUrl);
    expect(new URL(page.url()).pathname).toBe('/');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'millrace_session', httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('heading', { name: 'No runs yet' }).waitFor();
    await page.getByTestId('link-state').getByText('Live').waitFor();
    await shot(page, 'runs-empty');
  });

  it('the submit form refuses a bad parameter value with a message, before anything runs', async () => {
    await nav('Pipelines');
    // Nothing submitted yet: the page asks which pipeline (issue 14, bug 6).
    await page.getByTestId('pipeline-chooser').getByRole('link', { name: /training-pipeline/ }).click();
    await page.getByRole('heading', { name: 'training-pipeline' }).waitFor();
    const reg = page.getByLabel('reg_rate');
    await reg.fill('-1');
    await expect.poll(() => page.getByTestId('param-error').textContent()).toContain('must be >= 0');
    await reg.fill('abc');
    await expect.poll(() => page.getByTestId('param-error').textContent()).toContain('expected a number');
    await page.getByRole('button', { name: 'Submit run' }).click();
    await page.getByText('Fix the highlighted parameters first.').waitFor();
    await shot(page, 'submit-invalid');
    const runs = await page.request.get(`${server.url}/api/v1/runs`);
    expect((await runs.json()).total).toBe(0);
  });

  it('submits the sample pipeline with a changed parameter and watches it complete live', async () => {
    await page.getByLabel('reg_rate').fill('0.1');
    await page.getByLabel('Experiment').fill('ui-e2e');
    await page.getByRole('button', { name: 'Submit run' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/runs\/[^/?]+/);
    runIds.push(decodeURIComponent(page.url().split('#/runs/')[1].split('?')[0]));
    await page.getByTestId('pipeline-graph').waitFor();
    // Only the event stream updates the page: no reload, no polling of the run.
    await page.getByTestId('run-status').getByText('Completed').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-step="train_model"]').getAttribute('class')).toContain('s-Completed');
    await expect(page.locator('.facts').textContent()).resolves.toContain('reg_rate=0.1');
    await shot(page, 'run-detail');
  });

  it("opens a step's log and its metric chart", async () => {
    await page.locator('[data-step="train_model"]').click();
    await page.getByRole('tab', { name: 'Log' }).click();
    await expect.poll(() => page.getByTestId('step-log').textContent(), { timeout: 10_000 }).toContain('Accuracy');
    await shot(page, 'step-log');
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByTestId('metric-chart').first().locator('canvas').waitFor();
    await page.getByRole('img', { name: 'ROC' }).waitFor();
    await shot(page, 'step-metrics');
  });

  it('reruns with the same parameters, then compares the two runs', async () => {
    await page.getByRole('button', { name: 'Rerun', exact: true }).click();
    await expect.poll(() => page.url()).not.toContain(runIds[0]);
    runIds.push(decodeURIComponent(page.url().split('#/runs/')[1].split('?')[0]));
    await page.getByTestId('run-status').getByText('Completed').waitFor({ timeout: 60_000 });
    await nav('Runs');
    const table = page.getByTestId('runs-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    // A chosen metric as a column: its last value per run, from the server with the page.
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Accuracy', exact: true }).check();
    await page.getByRole('button', { name: /Columns/ }).click();
    await table.getByRole('columnheader', { name: 'Accuracy', exact: true }).waitFor();
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('0.7635');
    await shot(page, 'runs');
    for (const id of runIds) await page.getByLabel(`Select run ${id} for compare`).check();
    await page.getByTestId('compare').click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    await page.getByTestId('compare-runs').locator('tbody tr').nth(1).waitFor();
    await page.getByTestId('metric-chart').first().locator('canvas').waitFor();
    await expect(page.getByText('reg_rate').first().isVisible()).resolves.toBe(true);
    await shot(page, 'compare');
  });

  it('publishes the pipeline behind an endpoint and shows ready-to-copy snippets', async () => {
    await nav('Pipelines');
    const form = page.getByTestId('publish-form');
    await form.getByLabel('Name').fill('training');
    await form.getByLabel('Version').fill('1.0');
    await form.getByLabel('Endpoint').fill('training');
    await form.getByRole('button', { name: 'Publish version' }).click();
    await page.getByTestId('published').waitFor();
    await shot(page, 'pipelines');
    await nav('Endpoints');
    await page.getByTestId('endpoint').waitFor();
    await page.getByRole('button', { name: 'Show snippets' }).click();
    await expect(page.getByText('PipelineEndpointSubmit/Name/training').first().isVisible()).resolves.toBe(true);
    await page.getByText('requests.post(rest_endpoint').waitFor();
    await shot(page, 'endpoints');
  });

  it('creates a schedule with a form, previewing its next fire times with DST changes marked', async () => {
    await nav('Schedules');
    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByTestId('schedule-form');
    await form.getByLabel('Name').fill('nightly');
    await form.getByLabel('Hours').fill('2');
    await form.getByLabel('Minutes').fill('30');
    // Europe/Berlin starts summer time on 2027-03-28: a daily 02:30 preview from the 24th crosses it.
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByRole('textbox', { name: 'Starts at' }).fill('2027-03-24T00:00:00');
    const preview = page.getByTestId('schedule-preview');
    await preview.getByText('DST → +02:00').waitFor();
    await shot(page, 'schedule-form');
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    await expect.poll(() => preview.textContent()).toMatch(/time ?zone/i);
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await preview.getByText('DST → +02:00').waitFor();
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByTestId('schedules-table').getByText('nightly').waitFor();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByTestId('schedules-table').getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Show runs' }).click();
    await page.getByText('No runs yet').waitFor();
    await shot(page, 'schedules');
  });

  it('edits the schedule in the same form: the preview follows the new hours and the list shows them', async () => {
    const table = page.getByTestId('schedules-table');
    await expect.poll(() => table.textContent()).toContain('at 02:30');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByTestId('schedule-form');
    await expect(form.getByLabel('Hours').inputValue()).resolves.toBe('2');
    const preview = page.getByTestId('schedule-preview');
    await expect.poll(() => preview.textContent()).toContain('02:30');
    await form.getByLabel('Hours').fill('5');
    await expect.poll(() => preview.textContent()).toContain('05:30');
    await expect(preview.textContent()).resolves.not.toContain('02:30');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => table.textContent()).toContain('at 05:30');
    await expect(table.textContent()).resolves.toContain('Disabled');
  });

  it('creates a token, shown once with a copy button', async () => {
    await nav('Tokens');
    await page.getByLabel('New token').fill('ci-bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = (await page.getByTestId('token-value').textContent())!.trim();
    expect(value.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy to clipboard' }).waitFor();
    await page.getByTestId('tokens-table').getByText('ci-bot').waitFor();
    await shot(page, 'tokens');
    // The token works against the API (and the UI never stored it).
    const res = await fetch(`${server.url}/api/v1/info`, { headers: { authorization: `Bearer ${value}` } });
    expect(res.status).toBe(200);
  });

  it('shows the workspace: datastores, compute targets, datasets', async () => {
    await nav('Workspace');
    await page.getByRole('heading', { name: 'Datastores' }).waitFor();
    await page.getByRole('cell', { name: 'default', exact: true }).first().waitFor();
    await shot(page, 'workspace');
  });

  it('marks the lines of an invalid pipeline file that its validation errors point at', async () => {
    // Sorted after sample.yml: the earlier steps' default selection stays the sample.
    server.ws.write('pipelines/zz-broken.yml', 'name: broken\nsteps:\n  a:\n    type: python\n    script: x.py\n    inputs:\n      x: ${{steps.nope.outputs.y}}\n');
    await nav('Pipelines');
    await page.getByRole('button', { name: 'Rescan' }).click();
    await page.getByRole('link', { name: /zz-broken\.yml/ }).click();
    await page.getByTestId('validation-errors').waitFor();
    const source = page.getByTestId('pipeline-source');
    await expect(source.locator('.line.bad').getAttribute('data-line')).resolves.toBe('7');
    await expect(source.locator('.line.bad').count()).resolves.toBe(1);
    const msg = source.getByTestId('line-error');
    await expect(msg.getAttribute('data-line')).resolves.toBe('7');
    await expect(msg.textContent()).resolves.toContain("unknown step 'nope'");
    await shot(page, 'pipeline-errors');
  });

  it('follows a dark system theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/#/runs/${runIds[0]}?step=train_model&tab=metrics`);
    await page.getByTestId('metric-chart').first().locator('canvas').waitFor();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(15, 19, 24)');
    await shot(page, 'run-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
