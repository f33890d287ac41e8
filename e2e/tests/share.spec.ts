import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, openExample, test } from './fixtures';

async function shot(page: Page, name: string, project: string) {
  await page.screenshot({ path: path.join(artifactsDir, `share-${name}-${project}.png`) });
}

async function scenario(page: Page): Promise<{ name: string; seed: number }> {
  return JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? 'null');
}

/** Runs the diagram to the end and returns the summary exactly as the command-line tool prints it. */
async function runToEnd(page: Page): Promise<string> {
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => window.__playground?.summary ?? null)).not.toBeNull();
  return (await page.evaluate(() => window.__playground?.summary)) ?? '';
}

test('a shared link opens the same scenario elsewhere, with the same numbers', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  await page.goto('./');
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('seed').press('Enter');
  await expect.poll(async () => (await scenario(page)).seed).toBe(7);

  await page.getByTestId('share').click();
  const field = page.getByTestId('share-link');
  await expect(field).toHaveValue(/#2\./);
  const link = await field.inputValue();
  await expect(page.getByTestId('share-length')).toContainText(`${link.length} characters`);
  // Copy puts exactly the field's link on the system clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('share-copy').click();
  await expect(page.locator('.share-copied')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await shot(page, 'panel', testInfo.project.name);
  const here = await runToEnd(page);

  // A fresh browser context: nothing saved, only the link.
  const other = await browser.newContext({ colorScheme: testInfo.project.use.colorScheme });
  const there = await other.newPage();
  const errors: string[] = [];
  there.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await there.goto(link);
  await expect(there.getByTestId('link-notice')).toContainText('Opened the shared diagram');
  expect((await scenario(there)).seed).toBe(7);
  expect(new URL(there.url()).hash, 'the fragment is cleared after opening').toBe('');
  await shot(there, 'opened', testInfo.project.name);
  expect(await runToEnd(there)).toBe(here);
  expect(errors).toEqual([]);
  await other.close();
});

test('a link shared before link version 2 still opens to its diagram', async ({ page }, testInfo) => {
  // The version-1 links pinned by the engine's tests, made before version 2 existed.
  const pinned = JSON.parse(
    fs.readFileSync(path.join(__dirname, '../../engine/tests/expected/v1-links.json'), 'utf8'),
  ) as { name: string; link: string; scenario: { name: string; nodes: { id: string }[] } }[];
  const old = pinned.find((p) => p.name === 'default.json');
  expect(old?.link.startsWith('1.')).toBe(true);
  await page.goto(`./#${old!.link}`);
  await expect(page.getByTestId('link-notice')).toContainText('Opened the shared diagram');
  expect((await scenario(page)).name).toBe(old!.scenario.name);
  for (const node of old!.scenario.nodes) {
    await expect(page.getByTestId(`node-${node.id}`)).toBeVisible();
  }
  await shot(page, 'version-1', testInfo.project.name);
});

test('a corrupt link says what is wrong and keeps the saved diagram', async ({ page }, testInfo) => {
  await page.goto('./');
  await page.getByTestId('seed').fill('11');
  await page.getByTestId('seed').press('Enter');
  await expect.poll(async () => (await scenario(page)).seed).toBe(11);

  await page.goto('about:blank');
  await page.goto('./#1.VVQ7TsNAEPXs2t5JSA!gm');
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('could not be opened');
  await expect(notice).toContainText('!');
  await expect(notice).toContainText('current diagram was kept');
  expect((await scenario(page)).seed, 'the autosaved diagram is still there').toBe(11);
  await shot(page, 'corrupt', testInfo.project.name);

  // Pasting a good link into the address bar of the open tab opens it, and the previous
  // diagram is one click away.
  await openExample(page, 'mm1', 'M/M/1 queue');
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  await page.getByTestId('undo').click();
  await expect.poll(async () => (await scenario(page)).seed).toBe(11);
  await page.evaluate((hash) => { window.location.hash = hash; }, new URL(link).hash);
  await expect(notice).toContainText('Opened the shared diagram');
  await expect.poll(async () => (await scenario(page)).name).toBe('M/M/1 queue');
  await page.getByTestId('restore-previous').click();
  await expect.poll(async () => (await scenario(page)).seed).toBe(11);
});

test('export the scenario as JSON and import the file back', async ({ page }, testInfo) => {
  await page.goto('./');
  // The app publishes its scenario as it starts: wait for it to have started.
  await expect(page.getByTestId('node-user')).toBeVisible();
  const original = await page.evaluate(() => window.__playground?.scenario);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const file = path.join(testInfo.outputDir, download.suggestedFilename());
  await download.saveAs(file);
  expect(fs.readFileSync(file, 'utf8')).toBe(original);

  await openExample(page, 'jackson', 'Open Jackson network');
  await page.getByTestId('import-json').setInputFiles(file);
  await expect.poll(() => page.evaluate(() => window.__playground?.scenario)).toBe(original);

  // A file that is not a scenario changes nothing and says why.
  const bad = path.join(testInfo.outputDir, 'bad.json');
  fs.writeFileSync(bad, '{ "version": 1, "nodes": ');
  await page.getByTestId('import-json').setInputFiles(bad);
  await expect(page.getByTestId('notice')).toContainText('bad.json could not be opened');
  expect(await page.evaluate(() => window.__playground?.scenario)).toBe(original);
  await shot(page, 'import-refused', testInfo.project.name);
});

test('download the diagram as PNG and SVG', async ({ page }, testInfo) => {
  await page.goto('./');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const pngFile = path.join(artifactsDir, `share-diagram-${testInfo.project.name}.png`);
  await png.saveAs(pngFile);
  const signature = fs.readFileSync(pngFile).subarray(0, 8);
  expect([...signature]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const svgFile = path.join(testInfo.outputDir, svg.suggestedFilename());
  await svg.saveAs(svgFile);
  const text = fs.readFileSync(svgFile, 'utf8');
  expect(text).toContain('<svg');
  expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(text).toContain('style="');
});
