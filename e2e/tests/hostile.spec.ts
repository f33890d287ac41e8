import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from './fixtures';

/**
 * Hostile links (pinned by engine/tests/hostile.rs): each opens, plays, pauses when asked, and
 * ends within its budget, saying why over the kept diagram. How fast the page answers while
 * they run is measured by scripts/bench-browser.sh, not asserted here.
 */
const links = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'hostile-links.json'), 'utf8'),
) as { name: string; link: string }[];
const linkOf = (name: string) => links.find((l) => l.name === name)!.link;

test('an overloaded system plays, pauses, and stops at its budget saying why', async ({ page }) => {
  await page.goto(`./#${linkOf('overloaded_service')}`);
  await expect(page.getByTestId('link-notice')).toContainText('Opened the shared diagram');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toContainText('Playing');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toContainText('Paused');
  const paused = await page.getByTestId('run-status').getAttribute('data-events');
  await page.waitForTimeout(300);
  expect(await page.getByTestId('run-status').getAttribute('data-events')).toBe(paused);

  await page.getByTestId('run-to-end').click();
  const stopped = page.getByTestId('run-stopped');
  await expect(stopped).toContainText('requests in flight', { timeout: 60_000 });
  await expect(stopped).toContainText('the system is overloaded');
  await expect(page.getByTestId('run-status')).toContainText('Stopped at t =');
  // The diagram is kept, and so are the numbers measured up to the stop.
  await expect(page.getByTestId('node-s')).toBeVisible();
  expect(Number(await page.getByTestId('metric-completed').getAttribute('data-value'))).toBeGreaterThan(0);
  const summary = await page.evaluate(() => window.__playground?.summary ?? null);
  expect(JSON.parse(summary!).stopped.code).toBe('in_flight');
});

test('a loop with no latency stops when its clock stands still, played or run to its end', async ({ page }) => {
  await page.goto(`./#${linkOf('loop_without_latency')}`);
  await expect(page.getByTestId('link-notice')).toContainText('Opened the shared diagram');
  // Played, its million hops at one instant would be a million particles: the view draws
  // its cap and says so, and the run reaches its stop.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-stopped')).toContainText('without the clock moving', { timeout: 60_000 });
  await expect(page.getByTestId('legend-crowded')).toContainText('showing 10,000');
  expect(Number(await page.getByTestId('particles').getAttribute('data-count'))).toBe(10_000);
  await expect(page.getByTestId('node-a')).toBeVisible();

  await page.getByTestId('reset').click();
  await expect(page.getByTestId('legend-crowded')).toHaveCount(0);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-stopped')).toContainText('without the clock moving', { timeout: 60_000 });
});

test('bursts a year apart open at their shared position without freezing the tab', async ({ page }) => {
  await page.goto(`./#${linkOf('rare_bursts')}`);
  await expect(page.getByTestId('link-notice')).toContainText('Opened the shared diagram');
  // The link opens paused at t = 5 s: building the run and catching up to there returned.
  await expect(page.getByTestId('run-status')).toContainText('Paused at t = 5', { timeout: 30_000 });
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).toContainText('Playing');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-status')).toContainText('Paused');
});

test('a ring asking for 64 GiB opens with its bound named and does not run', async ({ page }) => {
  await page.goto(`./#${linkOf('huge_ring')}`);
  await expect(page.getByTestId('link-notice')).toContainText('Opened the shared diagram');
  await expect(page.getByTestId('diagnostics')).toContainText('virtual_nodes is 4,294,967,295');
  await expect(page.getByTestId('node-lb')).toBeVisible();
  await page.getByTestId('play').click();
  await expect(page.getByTestId('run-status')).not.toContainText('Playing');
});
