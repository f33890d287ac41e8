import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';

const repoRoot = path.resolve(__dirname, '..', '..');

async function numberAttr(page: Page, testid: string, name: string): Promise<number> {
  return Number((await page.getByTestId(testid).getAttribute(name)) ?? 'NaN');
}

async function shot(page: Page, name: string, project: string) {
  await page.screenshot({ path: path.join(artifactsDir, `live-${name}-${project}.png`) });
}

test('play the reference architecture: particles move, badges and charts update', async ({ page }, testInfo) => {
  await page.goto('./');
  await expect(page.getByTestId('legend')).toContainText('cache hit');
  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toContainText('Playing');

  // Requests are in flight on the canvas, and the nodes show their state.
  await expect.poll(() => numberAttr(page, 'particles', 'data-count')).toBeGreaterThan(0);
  await expect(page.getByTestId('live-service_a')).toHaveAttribute('data-utilisation', /\d/);
  await expect(page.getByTestId('live-cache_a')).toContainText('fill');

  // Charts fill in window by window while it runs (in the dock's Charts tab); the cards
  // (the Numbers tab) and the dock's line show numbers.
  await page.getByTestId('dock-tab-charts').click();
  await expect(page.getByTestId('chart-throughput')).toBeVisible();
  await expect.poll(() => numberAttr(page, 'chart-throughput', 'data-points'), { timeout: 15_000 }).toBeGreaterThan(2);
  const firstPoints = await numberAttr(page, 'chart-throughput', 'data-points');
  await expect.poll(() => numberAttr(page, 'chart-throughput', 'data-points'), { timeout: 15_000 }).toBeGreaterThan(firstPoints);
  await expect.poll(() => numberAttr(page, 'metric-completed', 'data-value')).toBeGreaterThan(0);
  await expect(page.getByTestId('metric-p99')).toContainText('ms');
  await expect(page.getByTestId('headline')).toContainText('ms');
  await shot(page, 'playing', testInfo.project.name);

  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toContainText('Paused');
  const status = await page.getByTestId('run-status').textContent();
  await page.waitForTimeout(300);
  expect(await page.getByTestId('run-status').textContent(), 'time stands still while paused').toBe(status);

  // Step handles one event at a time: the count moves by exactly one and the clock never goes
  // back. Events can share an instant, so the clock is only sure to move on over a few steps.
  const position = async () => ({
    events: await numberAttr(page, 'run-status', 'data-events'),
    timeNs: await numberAttr(page, 'run-status', 'data-time-ns'),
  });
  let last = await position();
  expect(last.events, 'the run handled events while playing').toBeGreaterThan(0);
  const pausedAt = last.timeNs;
  for (let step = 1; step <= 50 && (step <= 3 || last.timeNs === pausedAt); step++) {
    await page.getByTestId('step').click();
    await expect.poll(async () => (await position()).events).toBe(last.events + 1);
    const now = await position();
    expect(now.timeNs, `step ${step} does not move the clock back`).toBeGreaterThanOrEqual(last.timeNs);
    last = now;
  }
  expect(last.timeNs, 'a few steps move the clock forward').toBeGreaterThan(pausedAt);
  await expect(page.getByTestId('run-status')).toContainText('Paused');

  await page.getByTestId('reset').click();
  await expect(page.getByTestId('run-status')).toContainText('Ready');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-events', '0');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-time-ns', '0');
  await expect(page.getByTestId('metric-completed')).not.toHaveAttribute('data-value', /./);
});

test('slow motion shows one request hop by hop', async ({ page }, testInfo) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('0.001');
  await page.getByTestId('play').click();
  // At 1/1000×, a second of wall-clock time is a millisecond of simulated time: the first
  // request (5 ms after the start, on average) takes seconds to appear, then crawls.
  await expect.poll(() => numberAttr(page, 'particles', 'data-count'), { timeout: 20_000 }).toBeGreaterThan(0);
  const text = (await page.getByTestId('run-status').textContent()) ?? '';
  const ms = Number(/t = ([\d.]+) (ms|µs)/.exec(text)?.[1] ?? 'NaN');
  expect(ms, text).toBeLessThan(100);
  await shot(page, 'slow-motion', testInfo.project.name);
  await page.getByTestId('pause').click();
});

test('a sampled request opens as a waterfall: the whole round trip and its job', async ({ page }, testInfo) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await page.getByTestId('dock-tab-requests').click();
  const list = page.getByTestId('request-list');
  await expect(list.getByRole('button', { name: / ms · ok/ }).first()).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => list.getByRole('button', { name: / ms · ok/ }).count(), { timeout: 15_000 }).toBeGreaterThan(10);
  await page.getByTestId('pause').click();

  // Find a request that went to service A and published a job.
  const entries = list.getByRole('button', { name: / ms · ok/ });
  const trace = page.getByTestId('trace');
  let found = false;
  for (let i = 0; i < (await entries.count()) && !found; i++) {
    await entries.nth(i).click();
    await expect(trace).toBeVisible();
    found = (await trace.locator('[data-node="worker"]').count()) > 0;
  }
  expect(found, 'some sampled request published a job').toBe(true);
  const nodes = await trace.getByTestId('trace-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
  for (const id of ['user', 'lb', 'gateway', 'service_a', 'queue', 'worker', 'db_a']) {
    expect(nodes, `the trace visits ${id}`).toContain(id);
  }
  expect(nodes.some((n) => n === 'cache_a' || n === 'db_a')).toBe(true);
  await expect(trace).toContainText('end to end');
  await shot(page, 'trace', testInfo.project.name);
});

test('run to end fast-forwards with a progress bar, and the summary is the command line’s', async ({ page }, testInfo) => {
  await page.goto('./');
  await page.getByTestId('run-to-end').click();
  const progress = page.getByTestId('progress');
  await expect(page.getByTestId('run-status')).toContainText(/Running to the end|Finished/);
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
  expect(Number(await progress.getAttribute('value'))).toBe(1);
  await shot(page, 'finished', testInfo.project.name);

  const scenario = await page.evaluate(() => window.__playground?.scenario);
  const summary = await page.evaluate(() => window.__playground?.summary);
  expect(summary).toBeTruthy();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-')), 'scenario.json');
  fs.writeFileSync(file, scenario ?? '');
  const printed = execFileSync('cargo', ['run', '--quiet', '-p', 'pattern-engine', '--bin', 'simulate', '--', file], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(summary).toBe(printed.trimEnd());

  // The card shows the same p99 the summary holds.
  const p99 = JSON.parse(summary ?? '{}').latency_ms.p99;
  expect(await numberAttr(page, 'metric-p99', 'data-value')).toBe(p99);
  await page.getByTestId('dock-tab-summary').click();
  await page.getByText('Summary, exactly as the command line prints it').click();
  await expect(page.getByTestId('summary-json')).toContainText('"throughput_per_s"');
});

test('editing the diagram while it runs resets the run with a notice', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toContainText('Playing');
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('seed').press('Enter');
  await expect(page.getByTestId('notice')).toContainText('the run was reset');
  await expect(page.getByTestId('run-status')).toContainText('Ready');
  await expect.poll(async () => JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').seed).toBe(7);

  // A seed that is not a number is refused next to the field; nothing changes.
  await page.getByTestId('seed').fill('seven');
  await page.getByTestId('seed').press('Enter');
  await expect(page.locator('#seed-error')).toContainText('not a seed');
  await expect.poll(async () => JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').seed).toBe(7);
});
