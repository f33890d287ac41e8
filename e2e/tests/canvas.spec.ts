import * as path from 'node:path';
import { artifactsDir, expect, screenOf, test, viewBox } from './fixtures';
import { AUTOSAVE_KEY, largeScenario } from './large';

test('a large diagram pans, zooms, selects by rectangle, and shows a minimap', async ({ page }, testInfo) => {
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [AUTOSAVE_KEY, largeScenario()]);
  await page.goto('./');
  await expect(page.locator('[data-testid^="node-"]')).toHaveCount(200);
  await expect(page.locator('[data-testid^="edge-"]')).toHaveCount(300);
  await expect(page.getByTestId('minimap')).toBeVisible();

  // Buttons zoom around the middle.
  const fitted = await viewBox(page);
  await page.getByTestId('zoom-in').click();
  const zoomed = await viewBox(page);
  expect(zoomed[2]).toBeCloseTo(fitted[2] / 1.25, 3);

  // The wheel zooms around the pointer: the canvas point under it stays put.
  const anchor = await screenOf(page, 1000, 300);
  await page.mouse.move(anchor.x, anchor.y);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await viewBox(page))[2]).toBeLessThan(zoomed[2]);
  const after = await screenOf(page, 1000, 300);
  expect(Math.abs(after.x - anchor.x)).toBeLessThan(2);

  // Dragging the background pans: (1170, 90) lies between two columns and two rows, clear of
  // every edge.
  const before = await viewBox(page);
  const gap = await screenOf(page, 1170, 90);
  await page.mouse.move(gap.x, gap.y);
  await page.mouse.down();
  await page.mouse.move(gap.x + 120, gap.y + 40, { steps: 6 });
  await page.mouse.up();
  const panned = await viewBox(page);
  expect(panned[0]).toBeLessThan(before[0]);
  expect(panned[2]).toBeCloseTo(before[2], 6);

  // Shift-drag selects every node the rectangle touches.
  await page.getByTestId('fit').click();
  const from = await screenOf(page, -20, -20);
  const to = await screenOf(page, 390, 150);
  await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.locator('.node.selected')).toHaveCount(4); // s0, s1, s20, s21

  // Arrow keys move the selection one grid step, as one undoable change.
  await page.keyboard.press('ArrowRight');
  const moved = JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? 'null');
  expect(moved.nodes.find((n: { id: string }) => n.id === 's21').x).toEqual(220);
  await page.getByTestId('undo').click();

  // The minimap recentres the view where it is clicked.
  const map = await page.getByTestId('minimap').boundingBox();
  const centred = await viewBox(page);
  await page.mouse.click(map!.x + map!.width * 0.9, map!.y + map!.height * 0.5);
  expect((await viewBox(page))[0]).toBeGreaterThan(centred[0]);

  // The help overlay lists the shortcuts, from the button or the ? key.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard and pointer shortcuts' })).toContainText('undo, redo');
  await page.screenshot({ path: path.join(artifactsDir, `canvas-large-${testInfo.project.name}.png`) });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('an edge can be selected and deleted, and New starts empty after asking', async ({ page }) => {
  await page.goto('./');
  const edge = page.getByTestId('edge-lb-gateway');
  const box = await edge.locator('.edge-line').boundingBox();
  await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
  await expect(edge).toHaveClass(/selected/);
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('edge-lb-gateway')).toHaveCount(0);
  await expect(page.getByTestId('node-lb')).toBeVisible();

  page.once('dialog', (dialog) => dialog.dismiss());
  await page.getByTestId('new').click();
  await expect(page.getByTestId('node-user')).toBeVisible();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('new').click();
  await expect(page.locator('[data-testid^="node-"]')).toHaveCount(0);
  await expect(page.getByText('Your diagram is empty')).toBeVisible();
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('node-user')).toBeVisible();
});
