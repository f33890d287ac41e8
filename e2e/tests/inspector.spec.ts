import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';

async function scenario(page: Page) {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? 'null');
}

async function workers(page: Page, id: string): Promise<number> {
  return (await scenario(page)).nodes.find((n: { id: string }) => n.id === id).config.workers;
}

test('edit a service in the inspector, undo, redo, and see an invalid value refused', async ({ page }, testInfo) => {
  await page.goto('./');
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('Select a node or an edge to edit it');

  // A plain click on a node selects it; the inspector shows its settings.
  await page.getByTestId('node-service_a').click();
  await expect(inspector.getByTestId('inspector-node-service_a')).toBeVisible();
  const field = inspector.getByLabel('Workers');
  await expect(field).toHaveValue('8');

  await field.fill('16');
  await field.press('Enter');
  await expect.poll(() => workers(page, 'service_a')).toBe(16);

  await page.getByTestId('undo').click();
  await expect.poll(() => workers(page, 'service_a')).toBe(8);
  await expect(field).toHaveValue('8');
  await page.getByTestId('redo').click();
  await expect.poll(() => workers(page, 'service_a')).toBe(16);

  // Zero workers is refused next to the field, and the document does not move.
  const before = await page.evaluate(() => window.__playground?.scenario);
  await field.fill('0');
  await field.press('Tab');
  const message = inspector.locator('#inspector-workers-error');
  await expect(message).toBeVisible();
  await expect(message).toHaveAttribute('role', 'alert');
  await expect(message).toContainText('at least one worker');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  expect(await page.evaluate(() => window.__playground?.scenario)).toEqual(before);

  // The diagnostics panel sits under the form and has nothing to report.
  await expect(page.getByTestId('diagnostics')).toBeVisible();

  await page.screenshot({ path: path.join(artifactsDir, `inspector-${testInfo.project.name}.png`) });

  // A good value clears the message.
  await field.fill('12');
  await field.press('Enter');
  await expect(message).toBeHidden();
  await expect.poll(() => workers(page, 'service_a')).toBe(12);
});
