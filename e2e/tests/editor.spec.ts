import * as path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';

/** The centre of an element on screen (scrolled into view first, as a person would). */
async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Presses at `from`, moves in steps as a hand would, and releases at `to`. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/** A point on the canvas, as fractions of its width and height. */
async function canvasAt(page: Page, fx: number, fy: number) {
  const box = await page.getByTestId('canvas').locator('svg.diagram').boundingBox();
  if (!box) throw new Error('no canvas');
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function scenario(page: Page) {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? 'null');
}

test('build a small system by dragging, connect it, undo, redo, and find it after a reload', async ({ page }, testInfo) => {
  await page.goto('./');
  await expect(page.getByTestId('node-user')).toBeVisible();

  // Drag three components from the palette onto empty parts of the canvas (left of the minimap,
  // which sits in the bottom-right corner).
  await drag(page, await centre(page.getByTestId('palette-client')), await canvasAt(page, 0.15, 0.88));
  await drag(page, await centre(page.getByTestId('palette-service')), await canvasAt(page, 0.4, 0.88));
  await drag(page, await centre(page.getByTestId('palette-database')), await canvasAt(page, 0.64, 0.88));
  for (const id of ['client_1', 'service_1', 'database_1']) {
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  }

  // Connect them output port to component.
  await drag(page, await centre(page.getByTestId('port-client_1-out')), await centre(page.getByTestId('node-service_1')));
  await drag(page, await centre(page.getByTestId('port-service_1-out')), await centre(page.getByTestId('node-database_1')));
  await expect(page.getByTestId('edge-client_1-service_1')).toBeVisible();
  await expect(page.getByTestId('edge-service_1-database_1')).toContainText('1 ms');

  // Move the database; undo puts it back, redo moves it again.
  const placed = (await scenario(page)).nodes.find((n: { id: string }) => n.id === 'database_1');
  const db = await centre(page.getByTestId('node-database_1'));
  await drag(page, db, { x: db.x + 80, y: db.y - 40 });
  const moved = (await scenario(page)).nodes.find((n: { id: string }) => n.id === 'database_1');
  expect(moved.x).not.toEqual(placed.x);
  expect(moved.x % 20).toEqual(0); // snapped to the grid
  await page.getByTestId('undo').click();
  expect((await scenario(page)).nodes.find((n: { id: string }) => n.id === 'database_1').x).toEqual(placed.x);
  await page.getByTestId('redo').click();
  expect((await scenario(page)).nodes.find((n: { id: string }) => n.id === 'database_1').x).toEqual(moved.x);

  // Keyboard undo takes back the last connection.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('edge-service_1-database_1')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('edge-service_1-database_1')).toBeVisible();

  await page.screenshot({ path: path.join(artifactsDir, `editor-${testInfo.project.name}.png`) });

  // The work survives a reload.
  await page.reload();
  for (const id of ['client_1', 'service_1', 'database_1']) {
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId('edge-client_1-service_1')).toBeVisible();
  await expect(page.getByTestId('edge-service_1-database_1')).toBeVisible();
});

test('an invalid connection is refused with the reason, and changes nothing', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('node-db_a')).toBeVisible();
  const before = await scenario(page);

  // A database answers and calls nothing: it has no output port. A service cannot call a client.
  await expect(page.getByTestId('port-db_a-out')).toHaveCount(0);
  await drag(page, await centre(page.getByTestId('port-service_b-out')), await centre(page.getByTestId('node-user')));
  await expect(page.getByTestId('notice')).toContainText('nothing can call it');
  await expect(page.getByTestId('edge-service_b-user')).toHaveCount(0);

  // The client already has its entry point.
  await drag(page, await centre(page.getByTestId('port-user-out')), await centre(page.getByTestId('node-gateway')));
  await expect(page.getByTestId('notice')).toContainText('one entry point');
  expect(await scenario(page)).toEqual(before);
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('copy and paste with the keyboard: fresh ids, one grid step further each time, one undo step', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('node-cache_b').click();
  await page.getByTestId('node-db_b').click({ modifiers: ['Shift'] });
  await expect(page.locator('.node.selected')).toHaveCount(2);

  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('node-cache_1')).toBeVisible();
  await expect(page.getByTestId('edge-cache_1-database_1')).toBeVisible();
  await expect(page.locator('.node.selected')).toHaveCount(2);
  await expect(page.getByTestId('node-cache_1')).toHaveClass(/selected/);
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('node-cache_2')).toBeVisible();

  const doc = await scenario(page);
  const at = (id: string) => doc.nodes.find((n: { id: string }) => n.id === id);
  expect(at('cache_1').x - at('cache_b').x).toEqual(20);
  expect(at('cache_2').x - at('cache_b').x).toEqual(40);
  for (const node of doc.nodes) expect(node.id).toMatch(/^[a-z0-9_]+$/);

  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-cache_2')).toHaveCount(0);
  await expect(page.getByTestId('node-database_2')).toHaveCount(0);
  await expect(page.getByTestId('node-cache_1')).toBeVisible();

  // The help lists the new shortcuts.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toContainText('copy, cut, paste');
});

test('a full storage quota is reported in the status line and the diagram keeps working', async ({ page }) => {
  // Every save after the first visit's throws as a full localStorage does.
  await page.addInitScript(() => {
    const real = Storage.prototype.setItem;
    let calls = 0;
    Storage.prototype.setItem = function (key: string, value: string) {
      calls += 1;
      if (calls > 1) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return real.call(this, key, value);
    };
  });
  await page.goto('./');
  await page.getByTestId('palette-cache').click();
  await expect(page.getByTestId('node-cache_1')).toBeVisible();
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('not being saved');
  await expect(notice).toContainText('storage for the page is full');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('node-cache_1')).toHaveCount(0);
  await expect(page.getByTestId('header')).toContainText('Pattern Playground');
});
