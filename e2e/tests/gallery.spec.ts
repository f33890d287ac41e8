import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';

// The Examples gallery (src/share/gallery/): light project only (playwright.config.ts).

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `gallery-${name}.png`) });
}

async function scenarioName(page: Page): Promise<string> {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').name;
}

test('the gallery opens, searches, and opens a cured story by click', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('node-user')).toBeVisible();
  const before = await scenarioName(page);

  await page.getByTestId('examples').click();
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toBeVisible();
  await expect(page.getByTestId('gallery-search')).toBeFocused();
  // Groups as headed sections; each story's problem and cure side by side.
  for (const group of ['Start here', 'Timeouts and deadlines', 'Bulkheads', 'Caching', 'Queueing theory']) {
    await expect(gallery.getByRole('heading', { name: group })).toBeVisible();
  }
  const problem = page.getByTestId('example-goodput-collapse');
  const cure = page.getByTestId('example-goodput-collapse-cured');
  await expect(problem).toHaveAttribute('data-state', 'ready');
  await expect(cure).toHaveAttribute('data-state', 'ready');
  const [p, c] = [(await problem.boundingBox())!, (await cure.boundingBox())!];
  expect(c.x, 'the cure is beside the problem').toBeGreaterThan(p.x + p.width - 1);
  expect(Math.abs(c.y - p.y)).toBeLessThan(2);
  // Each tile has its one line and a thumbnail with one box per node.
  await expect(page.getByTestId('example-mm1').locator('.gallery-line')).toContainText('Poisson arrivals');
  await expect(page.getByTestId('example-mm1').locator('.gallery-thumb rect')).toHaveCount(2);
  await shot(page, 'open');

  // Search by group, then by words of a description.
  await page.getByTestId('gallery-search').fill('bulkheads');
  await expect(page.getByTestId('example-pool-exhaustion')).toBeVisible();
  await expect(page.getByTestId('example-mm1')).toBeHidden();
  await expect(page.getByTestId('example-goodput-collapse')).toBeHidden();
  await expect(gallery.getByRole('heading', { name: 'Queueing theory' })).toBeHidden();
  await page.getByTestId('gallery-search').fill('erlang');
  await expect(page.getByTestId('example-mmc')).toBeVisible();
  await expect(page.getByTestId('example-mm1')).toBeHidden();
  await page.getByTestId('gallery-search').fill('nothing like this');
  await expect(page.getByTestId('gallery-none')).toBeVisible();
  await shot(page, 'no-match');
  await page.getByTestId('gallery-search').fill('');
  await expect(page.getByTestId('gallery-none')).toBeHidden();

  // One click opens the cure; the previous diagram is one click away.
  await cure.click();
  await expect(gallery).toBeHidden();
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('Goodput collapse, cured');
  await expect.poll(() => scenarioName(page)).not.toBe(before);
  const opened = await scenarioName(page);
  await shot(page, 'opened-cure');
  await page.getByTestId('restore-previous').click();
  await expect.poll(() => scenarioName(page)).toBe(before);
  await page.getByTestId('undo').click();
  await expect.poll(() => scenarioName(page)).toBe(opened);
});

test('the gallery works from the keyboard alone', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('node-user')).toBeVisible();
  await page.getByTestId('examples').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('gallery-search')).toBeFocused();
  await page.keyboard.type('M/M/');
  await expect(page.getByTestId('example-goodput-collapse')).toBeHidden();
  // Tab past the close button to the first entry, then the arrows move between entries.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('example-mm1')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('example-mmc')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('example-mm1')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('example-mm4')).toBeFocused();
  await shot(page, 'keyboard');

  // Escape closes and gives focus back to the Examples button.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('gallery')).toBeHidden();
  await expect(page.getByTestId('examples')).toBeFocused();

  // Enter on an entry opens it.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('gallery-search')).toBeFocused();
  await page.keyboard.type('jackson');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('example-jackson')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => scenarioName(page)).toBe('Open Jackson network');
  await expect(page.getByTestId('gallery')).toBeHidden();
});

test('#example=<name> opens that example on load; an unknown name changes nothing', async ({ page }) => {
  await page.goto('./#example=pool-exhaustion-cured');
  await expect(page.getByTestId('link-notice')).toContainText('Pool exhaustion, cured');
  await expect(page.getByTestId('restore-previous')).toBeVisible();
  expect(new URL(page.url()).hash, 'the fragment is cleared after opening').toBe('');
  const opened = await scenarioName(page);
  await shot(page, 'by-link');

  await page.goto('about:blank');
  await page.goto('./#example=no-such-story');
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('`example` field');
  await expect(notice).toContainText('no-such-story');
  await expect(notice).toContainText('current diagram was kept');
  expect(await scenarioName(page), 'the saved diagram is still there').toBe(opened);
  await shot(page, 'unknown-name');

  // Pasted into the open tab's address bar, it opens too.
  await page.evaluate(() => { window.location.hash = 'example=mm4'; });
  await expect.poll(() => scenarioName(page)).toBe('M/M/4 benchmark');
});

test('at a phone width the gallery fills the screen in one column', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('./');
  await page.getByTestId('header-menu').click();
  await page.getByTestId('examples').click();
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toBeVisible();
  const box = (await gallery.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(390);
  const problem = (await page.getByTestId('example-timeout-cascade').boundingBox())!;
  const cure = (await page.getByTestId('example-timeout-cascade-cured').boundingBox())!;
  expect(cure.y, 'the cure is under the problem').toBeGreaterThan(problem.y + problem.height - 1);
  await shot(page, 'phone');
  await page.keyboard.press('Escape');
  await expect(gallery).toBeHidden();
});
