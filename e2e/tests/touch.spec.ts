import * as path from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { artifactsDir, expect, screenOf, test, viewBox } from './fixtures';

async function scenario(page: Page) {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? 'null');
}

type Point = { x: number; y: number };

/**
 * Moves fingers as a touch screen reports them: all land at `from`, move in `steps` to `to`,
 * and lift. Chromium turns these touches into the pointer events the canvas listens to.
 */
async function touchDrag(cdp: CDPSession, from: Point[], to: Point[], steps = 6) {
  const at = (t: number) =>
    from.map((f, i) => ({ x: f.x + (to[i].x - f.x) * t, y: f.y + (to[i].y - f.y) * t, id: i + 1 }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let step = 1; step <= steps; step++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(step / steps) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('on a touch screen two fingers pinch to zoom and pan, one finger pans or moves a node', async ({ page }, testInfo) => {
  await page.goto('./');
  await expect(page.getByTestId('node-user')).toBeVisible();
  await expect(page.locator('svg.diagram')).toHaveCSS('touch-action', 'none');
  const cdp = await page.context().newCDPSession(page);
  const before = await scenario(page);

  // Spreading two fingers around the canvas point (300, 100) zooms in around it.
  const fitted = await viewBox(page);
  const centre = await screenOf(page, 300, 100);
  await touchDrag(
    cdp,
    [{ x: centre.x - 60, y: centre.y }, { x: centre.x + 60, y: centre.y }],
    [{ x: centre.x - 150, y: centre.y }, { x: centre.x + 150, y: centre.y }],
  );
  const zoomed = await viewBox(page);
  expect(zoomed[2]).toBeLessThan(fitted[2] * 0.6);
  const still = await screenOf(page, 300, 100);
  expect(Math.abs(still.x - centre.x)).toBeLessThan(2);
  expect(Math.abs(still.y - centre.y)).toBeLessThan(2);

  // Moving two fingers together pans without zooming.
  await touchDrag(
    cdp,
    [{ x: centre.x - 50, y: centre.y }, { x: centre.x + 50, y: centre.y }],
    [{ x: centre.x + 30, y: centre.y + 40 }, { x: centre.x + 130, y: centre.y + 40 }],
  );
  const panned = await viewBox(page);
  expect(panned[0]).toBeLessThan(zoomed[0]);
  expect(panned[2]).toBeCloseTo(zoomed[2], 6);
  expect(await scenario(page)).toEqual(before);

  // One finger on the background pans.
  await page.getByTestId('fit').click();
  const fit = await viewBox(page);
  const empty = await screenOf(page, 300, 100);
  await touchDrag(cdp, [empty], [{ x: empty.x + 80, y: empty.y + 30 }]);
  expect((await viewBox(page))[0]).toBeLessThan(fit[0]);
  await page.screenshot({ path: path.join(artifactsDir, `touch-${testInfo.project.name}.png`) });

  // One finger on a node moves it, onto the grid, as one undoable change.
  const box = (await page.getByTestId('node-service_b').boundingBox())!;
  const grab = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await touchDrag(cdp, [grab], [{ x: grab.x - 90, y: grab.y + 60 }]);
  const moved = (await scenario(page)).nodes.find((n: { id: string }) => n.id === 'service_b');
  expect(moved.x).toBeLessThan(680);
  expect(moved.x % 20).toEqual(0);
  await page.getByTestId('undo').click();
  expect(await scenario(page)).toEqual(before);
});
