import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';

/**
 * Retries, circuit breakers and hedges in the app (light project only, playwright.config.ts):
 * a breaker's state on its edge as a run goes, a retry storm and its cure in the numbers, and
 * a retry policy added through the edge form.
 */

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `policies-${name}.png`) });
}

async function scenarioName(page: Page): Promise<string> {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').name;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function summary(page: Page): Promise<any> {
  return JSON.parse((await page.evaluate(() => window.__playground?.summary)) ?? 'null');
}

/** Opens a shipped example by its address, from a blank page so the hash is read on load. */
async function openByLink(page: Page, example: string, name: string) {
  await page.goto('about:blank');
  await page.goto(`./#example=${example}`);
  await expect.poll(() => scenarioName(page)).toBe(name);
  // The notice covers part of the diagram in the screenshots.
  await page.getByTestId('link-notice-dismiss').click();
  await expect(page.getByTestId('link-notice')).toHaveCount(0);
}

/** Selects an edge by a click on the middle of its line. */
async function selectEdge(page: Page, from: string, to: string) {
  const edge = page.getByTestId(`edge-${from}-${to}`);
  const box = (await edge.locator('.edge-line').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(edge).toHaveClass(/selected/);
  await expect(page.getByTestId(`inspector-edge-${from}-${to}`)).toBeVisible();
}

/**
 * Records in the page every state an edge's `data-breaker` shows (each change once), and
 * pauses the run the moment it shows `window.__pauseOn`: a half-open breaker lasts a few
 * simulated milliseconds, too short for the test's own polling to be sure to see it.
 */
async function watchBreaker(page: Page, testid: string) {
  await page.evaluate((id) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = window as any;
    w.__breakerSeen = [];
    w.__pauseOn = null;
    const edge = document.querySelector(`[data-testid="${id}"]`)!;
    const note = () => {
      const state = edge.getAttribute('data-breaker');
      if (!state) return;
      const seen: string[] = w.__breakerSeen;
      if (seen[seen.length - 1] !== state) seen.push(state);
      if (state === w.__pauseOn) {
        w.__pauseOn = null;
        (document.querySelector('[data-testid="pause"]') as HTMLButtonElement).click();
      }
    };
    new MutationObserver(note).observe(edge, { attributes: true, attributeFilter: ['data-breaker'] });
    note();
  }, testid);
}

async function pauseOn(page: Page, state: string) {
  await page.evaluate((s) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (window as any).__pauseOn = s;
  }, state);
}

async function seen(page: Page): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return page.evaluate(() => (window as any).__breakerSeen as string[]);
}

const phase = (page: Page) => page.locator('.run-status-dot').getAttribute('data-phase');
const simSeconds = async (page: Page) =>
  Number(await page.getByTestId('run-status').getAttribute('data-time-ns')) / 1e9;

/** True if `want` appears in `states` in order (other states may come between). */
function inOrder(states: string[], want: string[]): boolean {
  let i = 0;
  for (const s of states) if (s === want[i]) i += 1;
  return i === want.length;
}

test('a breaker on the balancer turns open, half-open, open again, then closed', async ({ page }) => {
  test.setTimeout(120_000);
  await openByLink(page, 'lb-sinkhole-cured', 'Load-balancer sinkhole');
  const edge = page.getByTestId('edge-lb-app3');
  await expect(edge).not.toHaveAttribute('data-breaker', /./);
  await selectEdge(page, 'lb', 'app3');
  await watchBreaker(page, 'edge-lb-app3');

  // Real time until App 3's failures open it, a little after 5 s.
  await page.getByTestId('speed').selectOption('1');
  await pauseOn(page, 'open');
  await page.getByTestId('play').click();
  await expect(edge).toHaveAttribute('data-breaker', 'closed');
  await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('paused');
  await expect(edge).toHaveAttribute('data-breaker', 'open');
  await expect(edge.locator('.edge-breaker-mark')).toBeVisible();
  const counts = page.getByTestId('inspector-breaker-counts');
  await expect(counts).toContainText('opened 1');
  await page.getByTestId('inspector-breaker-section').scrollIntoViewIfNeeded();
  await shot(page, 'breaker-open');

  // It stays open for 2 s, then lets trial calls through for a few milliseconds: real time to
  // near the end of the open period, then a tenth of real time so the half-open state shows.
  const openedAt = await simSeconds(page);
  await pauseOn(page, 'half_open');
  await page.getByTestId('play').click();
  await expect
    .poll(() => simSeconds(page), { intervals: [20], timeout: 10_000 })
    .toBeGreaterThan(openedAt + 1.5);
  await page.getByTestId('speed').selectOption('0.1');
  await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('paused');
  await expect(edge).toHaveAttribute('data-breaker', 'half_open');
  // Its trials fail within a few milliseconds, less than the live view's update at a tenth of
  // real time: the first half-open may pass between two updates, and the pause comes at the
  // next. The count is the run's, whichever it was.
  await expect(counts).toContainText(/half-open [1-9]/);
  await shot(page, 'breaker-half-open');

  // The trials fail while App 3 does: open again; once App 3 recovers (25 s), closed.
  await page.getByTestId('speed').selectOption('10');
  await pauseOn(page, 'closed');
  await page.getByTestId('play').click();
  await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('paused');
  await expect(edge).toHaveAttribute('data-breaker', 'closed');
  const states = await seen(page);
  expect(inOrder(states, ['closed', 'open', 'half_open', 'open', 'closed']), states.join(' ')).toBe(true);
  await shot(page, 'breaker-closed');

  // The counts the inspector shows are the run's own.
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  const breaker = (await summary(page)).policies.breakers['lb->app3'];
  expect(breaker.opened).toBeGreaterThan(1);
  await expect(counts).toContainText(
    `opened ${breaker.opened} · half-open ${breaker.half_opened} · closed ${breaker.closed} · refused ${breaker.refused}`,
  );
  await page.getByTestId('dock-tab-charts').click();
  await expect(page.getByTestId('chart-breakers')).toBeVisible();
  // No retries in this run: no retries chart, no retries card.
  await expect(page.getByTestId('chart-throughput')).toBeVisible();
  await expect(page.getByTestId('chart-retries')).toBeHidden();
  await page.getByTestId('dock-tab-numbers').click();
  await expect(page.getByTestId('metric-goodput')).toBeVisible();
  await expect(page.getByTestId('metric-retries')).toBeHidden();
});

/** Mean goodput of the windows ending in (from, to] seconds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function goodput(s: any, from: number, to: number): number {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const windows = s.series.windows.filter((w: any) => w.t > from && w.t <= to);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return windows.reduce((sum: number, w: any) => sum + w.goodput_per_s, 0) / windows.length;
}

/** Runs to the end; the charts show the retries line, then the cards are shown. */
async function runToEnd(page: Page, name: string) {
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  await page.getByTestId('dock-tab-charts').click();
  await expect(page.getByTestId('chart-retries')).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId('chart-retries').getAttribute('data-points'))).toBeGreaterThan(10);
  await shot(page, `${name}-charts`);
  await page.getByTestId('dock-tab-numbers').click();
  await expect(page.getByTestId('metric-retries')).toBeVisible();
}

test('a retry storm stays down after its trigger is gone; backoff, jitter and a budget cure it', async ({ page }) => {
  test.setTimeout(120_000);
  await openByLink(page, 'retry-storm', 'Retry storm');
  await runToEnd(page, 'retry-storm');
  const storm = await summary(page);
  const end = storm.series.windows[storm.series.windows.length - 1].t;
  const before = goodput(storm, 2, 10);
  const last = goodput(storm, end - 5, end);
  expect(before, 'healthy before the brown-out').toBeGreaterThan(300);
  expect(last, 'still down at the end').toBeLessThan(0.05 * before);
  await expect(page.getByTestId('metric-goodput')).toHaveAttribute('data-value', String(storm.goodput_per_s));
  await expect(page.getByTestId('metric-retries')).toHaveAttribute('data-value', String(storm.policies.retries));
  await shot(page, 'retry-storm');

  await openByLink(page, 'retry-storm-cured', 'Retry storm');
  await runToEnd(page, 'retry-storm-cured');
  const cured = await summary(page);
  const healthy = goodput(cured, 2, 10);
  expect(goodput(cured, end - 5, end), 'recovered by the end').toBeGreaterThan(0.8 * healthy);
  expect(cured.goodput_per_s).toBeGreaterThan(storm.goodput_per_s);
  expect(cured.policies.retries).toBeLessThan(storm.policies.retries);
  await expect(page.getByTestId('metric-goodput')).toHaveAttribute('data-value', String(cured.goodput_per_s));
  await shot(page, 'retry-storm-cured');
});

test('a retry policy added in the edge form makes its caller retry', async ({ page }) => {
  await openByLink(page, 'lb-sinkhole', 'Load-balancer sinkhole');
  await selectEdge(page, 'users', 'lb');
  await expect(page.locator('#inspector-retry-max_attempts')).toHaveCount(0);
  await page.getByTestId('inspector-retry').check();
  const attempts = page.locator('#inspector-retry-max_attempts');
  await expect(attempts).toHaveValue('3');
  await attempts.fill('2');
  await attempts.press('Tab');
  await expect
    .poll(async () => JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').edges[0].retry?.max_attempts)
    .toBe(2);
  // A wait shorter than nothing is refused by the field, and the document keeps its retry.
  const base = page.locator('#inspector-retry-base_ms');
  await base.fill('-5');
  await base.press('Tab');
  await expect(page.locator('#inspector-retry-base_ms-error')).toContainText('milliseconds');

  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  const s = await summary(page);
  const badge = page.getByTestId('live-users');
  expect(s.nodes.users.retries).toBeGreaterThan(0);
  await expect(badge).toHaveAttribute('data-retries', String(s.nodes.users.retries));
  await expect(badge.locator('.live-caption')).toContainText('retries');
  await page.getByTestId('dock-tab-numbers').click();
  await expect(page.getByTestId('metric-retries')).toBeVisible();
  await expect(page.getByTestId('metric-retries')).toHaveAttribute('data-value', String(s.policies.retries));
  await page.getByTestId('dock-tab-legend').click();
  await expect(page.getByTestId('legend').locator('[data-look="retry"]')).toBeVisible();
  await shot(page, 'retry-added');
});
