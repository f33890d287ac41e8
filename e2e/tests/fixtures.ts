import { test as base, expect, type Page } from '@playwright/test';
import * as path from 'node:path';

/** What `src/hook.rs` publishes on `window`. */
export interface PlaygroundHook {
  version: string;
  scenario: string | null;
  summary: string | null;
}

declare global {
  interface Window {
    __playground?: PlaygroundHook;
  }
}

/** Where the app keeps the first-visit hint's "seen" flag (src/shell/hint.rs). */
export const HINT_SEEN_KEY = 'pattern-playground/hint-seen/v1';

/** Screenshots and other evidence go to the repository's git-ignored artifacts/ folder. */
export const artifactsDir = path.resolve(__dirname, '..', '..', 'artifacts');

/**
 * `test` with a page that fails the test on any uncaught exception or console error: a wasm
 * start-up failure (a bad wasm-opt, a missing asset, a panic) shows up only there.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    // The first-visit hint (src/shell/hint.rs) is seen already, unless a journey looks for it.
    await page.addInitScript((key) => {
      try {
        if (!sessionStorage.getItem('journey-wants-hint')) localStorage.setItem(key, '1');
      } catch {
        // about:blank and other pages without storage: nothing to dismiss there.
      }
    }, HINT_SEEN_KEY);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });
    await use(page);
    expect(problems, 'the page reported errors').toEqual([]);
  },
});

/** The screen point of a canvas point, through the SVG's own transform. */
export async function screenOf(page: Page, x: number, y: number) {
  return page.evaluate(([cx, cy]) => {
    const svg = document.querySelector('svg.diagram') as SVGSVGElement;
    const point = svg.createSVGPoint();
    point.x = cx;
    point.y = cy;
    const s = point.matrixTransform(svg.getScreenCTM()!);
    return { x: s.x, y: s.y };
  }, [x, y]);
}

export async function viewBox(page: Page): Promise<number[]> {
  const attr = await page.locator('svg.diagram').getAttribute('viewBox');
  return (attr ?? '').split(' ').map(Number);
}

export { expect };

/**
 * Opens the shipped example `name` from the Examples gallery (src/share/gallery/) and waits
 * until the document is that file's scenario (`name` as in `example-<name>`).
 */
export async function openExample(page: Page, name: string, scenarioName: string) {
  await page.getByTestId('examples').click();
  const entry = page.getByTestId(`example-${name}`);
  await expect(entry).toHaveAttribute('data-state', 'ready');
  await entry.click();
  await expect(page.getByTestId('gallery')).toBeHidden();
  await expect
    .poll(async () => JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}').name)
    .toBe(scenarioName);
}
