import * as fs from 'node:fs';
import * as path from 'node:path';
import { artifactsDir, expect, test } from './fixtures';

/** The app's version as Cargo.toml states it, which `window.__playground.version` must equal. */
function crateVersion(): string {
  const manifest = fs.readFileSync(path.resolve(__dirname, '..', '..', 'Cargo.toml'), 'utf8');
  const packageSection = manifest.split(/^\[package\]$/m)[1] ?? '';
  const version = packageSection.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) throw new Error('no [package] version in Cargo.toml');
  return version;
}

test('the release build starts and shows the whole shell', async ({ page }, testInfo) => {
  await page.goto('./');

  await expect(page.getByRole('heading', { level: 1, name: 'Pattern Playground' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Components' })).toBeVisible();
  for (const id of ['palette', 'canvas', 'inspector', 'run-bar']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  // The palette starts as a rail of icons; the Components button opens it whole, by group.
  await expect(page.getByTestId('palette-client')).toBeVisible();
  await page.getByTestId('palette-toggle').click();
  for (const group of ['Traffic', 'Routing', 'Compute', 'Data', 'Messaging']) {
    await expect(page.getByTestId('palette').getByRole('heading', { name: group })).toBeVisible();
  }
  await page.getByTestId('palette-close').click();
  await expect(page.getByTestId('palette').getByRole('heading', { name: 'Traffic' })).toBeHidden();
  await expect(page.getByTestId('inspector')).toContainText('Select a node or an edge to edit it');

  await page.waitForFunction(() => typeof window.__playground?.version === 'string');
  const hook = await page.evaluate(() => window.__playground);
  expect(hook.version).toEqual(crateVersion());
  expect(hook.summary).toBeNull();

  // The playground opens on the shipped reference architecture, drawn on the canvas.
  const shipped = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '..', '..', 'public', 'scenarios', 'default.json'), 'utf8'),
  );
  const published = JSON.parse(hook.scenario ?? 'null');
  expect(published.nodes.map((n: { id: string }) => n.id)).toEqual(
    shipped.nodes.map((n: { id: string }) => n.id),
  );
  const canvas = page.getByTestId('canvas');
  for (const node of shipped.nodes) {
    await expect(canvas.getByTestId(`node-${node.id}`)).toBeVisible();
    await expect(canvas.getByTestId(`node-${node.id}`)).toHaveAttribute('data-kind', node.kind);
  }
  for (const edge of shipped.edges) {
    await expect(canvas.getByTestId(`edge-${edge.from}-${edge.to}`)).toBeVisible();
  }

  // Each project (light, dark) leaves its own picture of the shell.
  await page.screenshot({
    path: path.join(artifactsDir, `shell-${testInfo.project.name}.png`),
    fullPage: true,
  });
});
