import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';
import { AUTOSAVE_KEY } from './large';

/**
 * The fault timeline (light project only): faults dragged onto the diagram and moved along the
 * timeline, faults injected into a live run and healed without resetting it, and a shared run
 * with faults replaying the same summary.
 */
const shipped = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'public', 'scenarios', 'default.json'), 'utf8'),
);

interface Fault {
  at_s: number;
  for_s?: number;
  target?: unknown;
  kind: unknown;
}

async function faults(page: Page): Promise<Fault[]> {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').faults ?? [];
}

async function numberAttr(page: Page, testid: string, name: string): Promise<number> {
  return Number((await page.getByTestId(testid).getAttribute(name)) ?? 'NaN');
}

async function runToEnd(page: Page): Promise<string> {
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  return (await page.evaluate(() => window.__playground?.summary)) ?? '';
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `timeline-${name}.png`) });
}

test('a crash dragged onto a database and along the timeline takes it down when played', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('timeline')).toBeVisible();
  await page.getByTestId('fault-chip-crash').dragTo(page.getByTestId('node-db_a'));
  const bar = page.getByTestId('fault-0');
  await expect(page.getByTestId('timeline-lane-db_a')).toBeVisible();
  await expect(bar).toBeVisible();
  const [placed] = await faults(page);
  expect(placed).toMatchObject({ target: 'db_a', kind: 'crash' });
  expect(placed.at_s).toBeGreaterThan(5); // a quarter of the reference run's 100 s

  // Drag the bar back to about 2 s: its start follows the pointer on a 0.1 s grid.
  const track = (await page.getByTestId('timeline-lane-db_a').locator('.timeline-track').boundingBox())!;
  const box = (await bar.boundingBox())!;
  const span = placed.at_s / ((box.x - track.x) / track.width);
  const dx = ((2 - placed.at_s) / span) * track.width;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + dx / 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const [moved] = await faults(page);
  expect(moved.at_s).toBeGreaterThan(1);
  expect(moved.at_s).toBeLessThan(3);
  expect(Math.round(moved.at_s * 10) / 10, 'on the 0.1 s grid').toBe(moved.at_s);
  expect(moved.for_s, 'a move keeps the length').toBe(placed.for_s);
  // One undo step takes the move back, and redo brings it again.
  await page.getByTestId('undo').click();
  expect((await faults(page))[0].at_s).toBe(placed.at_s);
  await page.getByTestId('redo').click();
  expect((await faults(page))[0].at_s).toBe(moved.at_s);
  // The selected bar opens in the inspector, which refuses a bad number by name.
  await bar.click();
  const start = page.locator('#inspector-fault-at_s');
  await expect(start).toHaveValue(String(moved.at_s));
  await start.fill('-1');
  await start.press('Enter');
  await expect(page.locator('#inspector-fault-at_s-error')).toContainText('at_s');
  expect((await faults(page))[0].at_s, 'a refused value changes nothing').toBe(moved.at_s);

  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  const badge = page.getByTestId('live-db_a');
  await expect(badge).toHaveAttribute('data-fault', 'down', { timeout: 15_000 });
  await expect(badge.locator('.live-down')).toHaveAttribute('visibility', 'visible');
  await expect(page.getByTestId('timeline-cursor')).toBeVisible();
  await page.getByTestId('pause').click();
  await page.getByTestId('dock-tab-charts').click();
  await shot(page, 'crash-down');

  const summary = JSON.parse(await runToEnd(page));
  expect(summary.requests.by_outcome.failed_node_down).toBeGreaterThan(0);
  expect(Number(await page.getByTestId('metric-errors').getAttribute('data-value'))).toBeGreaterThan(0);
  await expect(page.getByTestId('chart-errors').locator('.chart-fault')).toHaveCount(1);
});

test('a crash injected into a live run fails its requests without resetting it, and the saved document replays it', async ({
  page,
  context,
}) => {
  await page.goto('./');
  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('play').click();
  await expect.poll(() => numberAttr(page, 'run-status', 'data-time-ns')).toBeGreaterThan(500_000_000);
  await page.getByTestId('node-db_a').click();
  const before = await numberAttr(page, 'run-status', 'data-time-ns');
  await page.getByTestId('inject-crash').click();
  const injectedAt = await numberAttr(page, 'run-status', 'data-time-ns');
  const eventsThen = await numberAttr(page, 'run-status', 'data-events');
  const [fault] = await faults(page);
  expect(fault).toMatchObject({ target: 'db_a', kind: 'crash' });
  expect(fault.for_s, 'lasts until healed').toBeUndefined();
  expect(fault.at_s * 1e9, 'after now').toBeGreaterThan(before);
  expect(fault.at_s * 1e9, 'within a millisecond of now').toBeLessThanOrEqual(injectedAt + 1_000_000);
  expect(Math.round(fault.at_s * 1000) / 1000, 'a whole millisecond').toBe(fault.at_s);

  const badge = page.getByTestId('live-db_a');
  await expect(badge).toHaveAttribute('data-fault', 'down');
  await expect(page.getByTestId('fault-0')).toHaveClass(/open/);
  // The run goes on: simulated time and events keep growing, and requests fail.
  await expect.poll(() => numberAttr(page, 'run-status', 'data-time-ns')).toBeGreaterThan(injectedAt + 300_000_000);
  expect(await numberAttr(page, 'run-status', 'data-events')).toBeGreaterThan(eventsThen);
  await expect.poll(() => numberAttr(page, 'metric-errors', 'data-value'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('notice')).not.toContainText('reset');
  await expect(page.getByTestId('run-status')).toContainText('Playing');
  await shot(page, 'injected');

  await page.getByTestId('heal').click();
  await expect(badge).toHaveAttribute('data-fault', '');
  const [healed] = await faults(page);
  expect(healed.for_s, 'healed: it has an end now').toBeGreaterThan(0);
  await expect(page.getByTestId('run-status')).toContainText('Playing');
  const live = await runToEnd(page);
  expect(JSON.parse(live).requests.by_outcome.failed_node_down).toBeGreaterThan(0);

  // A fresh run of the document saved after the injection prints the same summary.
  const fresh = await context.newPage();
  await fresh.goto('./');
  expect(await faults(fresh)).toEqual([healed]);
  expect(await runToEnd(fresh)).toBe(live);
});

test('a shared run with faults replays the same summary', async ({ page, browser }) => {
  const scenario = {
    ...shipped,
    run: { ...shipped.run, requests: 4000 },
    faults: [
      { at_s: 3, for_s: 2, target: 'db_a', kind: 'crash' },
      { at_s: 1, for_s: 15, target: 'lb->gateway', kind: { latency: { plus_ms: 50 } } },
      { at_s: 2, for_s: 10, kind: { partition: { groups: [['service_b'], ['cache_b', 'db_b']] } } },
    ],
  };
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [AUTOSAVE_KEY, JSON.stringify(scenario)]);
  await page.goto('./');
  await expect(page.getByTestId('timeline-lane-db_a')).toBeVisible();
  await expect(page.getByTestId('timeline-lane-lb-gateway')).toBeVisible();
  await expect(page.getByTestId('timeline-lane-partition-1')).toBeVisible();
  // While the latency fault and the partition hold, the edges they slow and cut are drawn so.
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('edge-lb-gateway')).toHaveAttribute('data-fault', 'slow', { timeout: 15_000 });
  await expect(page.getByTestId('edge-service_b-cache_b')).toHaveAttribute('data-fault', 'cut', { timeout: 15_000 });
  await page.getByTestId('pause').click();
  await shot(page, 'partition');
  const summary = await runToEnd(page);

  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect.poll(async () => (await faults(other)).length).toBe(3);
  expect(await runToEnd(other)).toBe(summary);
});
