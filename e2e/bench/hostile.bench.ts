import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from '../tests/fixtures';

/**
 * How fast the page answers while a hostile link runs (the links engine/tests/hostile.rs pins):
 * opening it, the longest main-thread task while it runs to its budget, and how long a Pause
 * click takes to show while it plays. Printed for docs/benchmarks.md, never asserted on time.
 */
const links = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'tests', 'hostile-links.json'), 'utf8'),
) as { name: string; link: string }[];

// The links whose runs end at their budget while playing.
const stopping = ['overloaded_service', 'loop_without_latency'];

for (const { name, link } of links.filter((l) => stopping.includes(l.name))) {
  test(`hostile link ${name}: open, pause, run to its budget`, async ({ page }) => {
    const opening = Date.now();
    await page.goto(`./#${link}`);
    await expect(page.getByTestId('link-notice')).toContainText('Opened the shared diagram');
    const openMs = Date.now() - opening;
    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration))).observe({ entryTypes: ['longtask'] });
    });
    const running = Date.now();
    await page.getByTestId('play').click();
    await page.waitForTimeout(1000);
    // A loop with no latency spends its whole budget in the first frames of playing.
    let pause = 'the run had already stopped while playing';
    if (!(await page.getByTestId('run-stopped').isVisible())) {
      const pausing = Date.now();
      await page.getByTestId('pause').click();
      await expect(page.getByTestId('run-status')).toContainText('Paused');
      pause = `Pause shown ${Date.now() - pausing} ms after the click`;
      await page.getByTestId('run-to-end').click();
    }
    await expect(page.getByTestId('run-stopped')).toBeVisible({ timeout: 110_000 });
    const runS = (Date.now() - running) / 1000;
    await page.waitForTimeout(500);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const summary = JSON.parse((await page.evaluate(() => window.__playground?.summary)) ?? '{}');
    console.log(
      `hostile ${name}: opened in ${openMs} ms; ${pause}; ` +
        `stopped (${summary.stopped?.code}) after ${summary.events} events in ${runS.toFixed(1)} s; ` +
        `long tasks (> 50 ms): ${tasks.length}, longest ${tasks.length ? Math.max(...tasks).toFixed(0) : 0} ms`,
    );
  });
}
