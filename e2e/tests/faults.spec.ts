import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from './fixtures';
import { AUTOSAVE_KEY } from './large';

/**
 * Faults in the live view (light project only): a scenario whose Database A crashes from 2 s
 * to 5 s greys the node out and says "down" while it is, and its requests fail.
 */
const shipped = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', 'public', 'scenarios', 'default.json'), 'utf8'),
);

test('a crashed database is greyed out and says so while it is down, and its requests fail', async ({ page }) => {
  const scenario = { ...shipped, faults: [{ at_s: 2, for_s: 3, target: 'db_a', kind: 'crash' }] };
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [AUTOSAVE_KEY, JSON.stringify(scenario)]);
  await page.goto('./');
  await expect(page.getByTestId('node-db_a')).toBeVisible();
  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('play').click();
  const badge = page.getByTestId('live-db_a');
  await expect(badge).toHaveAttribute('data-fault', 'down', { timeout: 15_000 });
  await expect(badge.locator('.live-down')).toHaveAttribute('visibility', 'visible');
  await expect(badge.locator('.live-caption')).toContainText('down');
  await page.getByTestId('pause').click();
  await page.screenshot({ path: path.join(__dirname, '..', '..', 'artifacts', 'fault-crash.png') });

  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 60_000 });
  // Restarted at 5 s: the badge is back to normal, and the crash's failures are counted.
  await expect(badge).toHaveAttribute('data-fault', '');
  const summary = JSON.parse((await page.evaluate(() => window.__playground?.summary)) ?? '{}');
  expect(summary.requests.by_outcome.failed_node_down).toBeGreaterThan(0);
  expect(Number(await page.getByTestId('metric-errors').getAttribute('data-value'))).toBeGreaterThan(0);
});
