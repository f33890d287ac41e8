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

test('connect, disconnect and reorder gateway rules from the keyboard; palette and nodes show icons', async ({ page }, testInfo) => {
  await page.goto('./');
  // Counting does not wait: the palette must have rendered first (on a busy machine the wasm
  // start-up can take longer than the count).
  await page.getByTestId('palette-scatter_gather').waitFor();
  // Every palette entry has a decorative icon and keeps its name as text.
  const icons = page.locator('.palette-entry svg.palette-entry-icon[aria-hidden="true"]');
  const entries = await page.locator('.palette-entry').count();
  expect(entries, 'one entry per kind, scatter-gather included').toBeGreaterThanOrEqual(9);
  await expect(icons).toHaveCount(entries);
  await expect(page.getByTestId('palette-scatter_gather')).toHaveAccessibleName('Scatter-gather');
  await expect(page.getByTestId('palette-load_balancer')).toHaveAccessibleName('Load balancer');
  await expect(page.getByTestId('node-db_a').locator('svg.node-icon[data-icon="database"]')).toHaveCount(1);

  // Tab onto a node selects it; the inspector offers its connections.
  await page.getByTestId('node-service_b').focus();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-node-service_b')).toBeVisible();
  const target = inspector.getByLabel('Connect to…');
  await expect(target.locator('option[value="user"]')).toBeDisabled();
  await expect(target.locator('option[value="user"]')).toContainText('nothing can call it');
  await target.focus();
  await target.selectOption('queue');
  await page.keyboard.press('Tab');
  await expect(inspector.getByTestId('connect-add')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edge-service_b-queue')).toBeVisible();
  const remove = inspector.getByTestId('edge-remove-service_b-queue');
  await expect(remove).toHaveAccessibleName(/Remove the connection to Message Queue/);
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edge-service_b-queue')).toHaveCount(0);

  // The gateway's rules are a list: move the first one down with the keyboard.
  await page.getByTestId('node-gateway').focus();
  const rules = inspector.getByTestId('inspector-routes');
  await expect(rules.getByLabel('Rule 1 goes to')).toHaveValue('service_a');
  await rules.getByRole('button', { name: 'Move rule 1 down' }).focus();
  await page.keyboard.press('Enter');
  await expect(rules.getByLabel('Rule 1 goes to')).toHaveValue('service_b');
  await page.screenshot({ path: path.join(artifactsDir, `inspector-lists-${testInfo.project.name}.png`) });
  await page.keyboard.press('Control+z');
  await expect(rules.getByLabel('Rule 1 goes to')).toHaveValue('service_a');
});
