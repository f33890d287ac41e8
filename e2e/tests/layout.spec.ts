import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir, expect, HINT_SEEN_KEY, openExample, test } from './fixtures';
import { AUTOSAVE_KEY, largeScenario } from './large';

/**
 * The layout at three window sizes (src/shell/layout.rs): what a new user sees on a wide
 * screen, a small laptop and a phone, asserted with bounding boxes. These journeys set their
 * own colour scheme and run in one Playwright project ("layout"), so CI runs them once.
 */

type Box = { x: number; y: number; width: number; height: number };

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

const inside = (a: Box, b: Box) =>
  a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;

/** The visible controls (buttons, selects, inputs) under `selector`, with their boxes. */
async function controls(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const out: { name: string; box: { x: number; y: number; width: number; height: number } }[] = [];
    for (const root of document.querySelectorAll(sel)) {
      for (const el of root.querySelectorAll('button, select, input, label.file-button')) {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
        if (el.closest('label.file-button') && el.tagName === 'INPUT') continue; // the hidden file input
        const name = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent ?? el.tagName;
        out.push({ name, box: { x: r.x, y: r.y, width: r.width, height: r.height } });
      }
    }
    return out;
  }, selector);
}

async function expectNoOverlaps(page: Page, selector: string) {
  const found = await controls(page, selector);
  expect(found.length, `controls under ${selector}`).toBeGreaterThan(0);
  for (let i = 0; i < found.length; i++) {
    for (let j = i + 1; j < found.length; j++) {
      expect(overlaps(found[i].box, found[j].box), `${found[i].name} overlaps ${found[j].name}`).toBe(false);
    }
  }
}

/** Nothing reaches past the window's right edge, and the page does not scroll sideways. */
async function expectNoHorizontalOverflow(page: Page) {
  const report = await page.evaluate(() => {
    const width = window.innerWidth;
    const over = [...document.querySelectorAll('.app *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        // Drawn content clipped by the canvas (the diagram zoomed in) is not layout.
        if (el.closest('svg.diagram, svg.live-badges, svg.minimap')) return false;
        return r.right > width + 0.5 || r.left < -0.5;
      })
      .map((el) => el.getAttribute('data-testid') ?? el.className.toString() ?? el.tagName);
    return { scroll: document.documentElement.scrollWidth, width, over: over.slice(0, 5) };
  });
  expect(report.over, 'elements past the window edge').toEqual([]);
  expect(report.scroll).toBeLessThanOrEqual(report.width);
}

/** Every node lies inside the canvas, clear of the minimap, the toolbar and any open panel. */
async function expectNodesClear(page: Page) {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const covers: Box[] = [];
  for (const selector of ['.minimap-box', '.canvas-toolbar', '.first-hint']) {
    const el = page.locator(selector);
    if ((await el.count()) && (await el.isVisible())) covers.push((await el.boundingBox())!);
  }
  for (const panel of ['palette', 'inspector']) {
    const el = page.getByTestId(panel);
    if (await el.isVisible()) covers.push((await el.boundingBox())!);
  }
  const boxes = await page.locator('.node .node-box').evaluateAll((rects) =>
    rects.map((r) => {
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    }),
  );
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) {
    expect(inside(box, canvas), `a node at ${JSON.stringify(box)} lies inside the canvas`).toBe(true);
    for (const cover of covers) {
      expect(overlaps(box, cover), `a node at ${JSON.stringify(box)} is clear of ${JSON.stringify(cover)}`).toBe(false);
    }
  }
}

/** [`expectNodesClear`], retried while a fit (which follows a resize a frame later) lands. */
async function expectNodesSettleClear(page: Page) {
  await expect(async () => expectNodesClear(page)).toPass({ timeout: 10_000 });
}

/** Each node's label: its size on screen, its lines and its node's box. */
async function labels(page: Page) {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.diagram') as SVGSVGElement;
    const scale = svg.getScreenCTM()!.a;
    return [...document.querySelectorAll('.node')].map((node) => {
      const label = node.querySelector('.node-label') as SVGTextElement;
      const b = (node.querySelector('.node-box') as SVGRectElement).getBoundingClientRect();
      const lines = [...label.querySelectorAll('tspan')].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
      return {
        id: node.getAttribute('data-testid'),
        px: parseFloat(getComputedStyle(label).fontSize) * scale,
        box: { left: b.left, right: b.right, top: b.top, bottom: b.bottom },
        lines,
      };
    });
  });
}

/** Labels at least 11 CSS px, every line inside its box, nothing cut short. */
async function expectReadableLabels(page: Page, what: string) {
  const scenario = JSON.parse((await page.evaluate(() => window.__playground?.scenario)) ?? '{}');
  const expected = new Map<string, string>(
    scenario.nodes.map((n: { id: string; label?: string }) => [`node-${n.id}`, n.label || n.id]),
  );
  for (const label of await labels(page)) {
    expect(label.px, `${what}: ${label.id}'s label is at least 11 px`).toBeGreaterThanOrEqual(11);
    for (const line of label.lines) {
      expect(line.left >= label.box.left && line.right <= label.box.right, `${what}: "${line.text}" fits across`).toBe(true);
      expect(line.top >= label.box.top && line.bottom <= label.box.bottom, `${what}: "${line.text}" fits down`).toBe(true);
    }
    const text = label.lines.map((l) => l.text).join(' ');
    expect(text, `${what}: ${label.id}'s label is whole`).toBe(expected.get(label.id!));
  }
}

/** Every data-testid names one element (rows of a list excepted). */
async function expectUniqueTestIds(page: Page) {
  const duplicated = await page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const el of document.querySelectorAll('[data-testid]')) {
      const id = el.getAttribute('data-testid')!;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    return [...seen].filter(([id, n]) => n > 1 && id !== 'trace-row').map(([id]) => id);
  });
  expect(duplicated).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `layout-${name}.png`) });
}

/** Opens the playground and checks what any size must hold on arrival; a screenshot `name`. */
async function openTidy(page: Page, name: string) {
  await page.goto('./');
  await expect(page.getByTestId('node-user')).toBeVisible();
  for (const bar of ['.app-header', '.canvas-toolbar', '.dock-line']) await expectNoOverlaps(page, bar);
  await expectNoHorizontalOverflow(page);
  await expectUniqueTestIds(page);
  await expectNodesSettleClear(page);
  await shot(page, name);
}

/** The shipped single examples (src/share/gallery/index.rs) and their files. */
const EXAMPLES: Record<string, string> = {
  default: 'default.json',
  mm1: 'validation/mm1.json',
  mmc: 'validation/mmc.json',
  mm1k: 'validation/mm1k.json',
  jackson: 'validation/jackson.json',
  mm4: 'bench/mm4.json',
};
const scenariosDir = path.resolve(__dirname, '..', '..', 'public', 'scenarios');

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]) {
  const name = `${size.width}x${size.height}`;
  test.describe(`at ${name}`, () => {
    test.use({ viewport: size, colorScheme: 'light' });

    test(`${name}: controls apart, diagram fitted and readable, canvas the largest thing`, async ({ page }) => {
      await openTidy(page, `${name}-open`);

      // Every shipped example, opened from the menu, fits with labels a person can read.
      for (const [example, file] of Object.entries(EXAMPLES)) {
        const shipped = JSON.parse(fs.readFileSync(path.join(scenariosDir, file), 'utf8'));
        await openExample(page, example, shipped.name);
        await expect(page.locator('.node')).toHaveCount(shipped.nodes.length);
        await expectNodesSettleClear(page);
        await expectReadableLabels(page, example);
      }

      // After a run to its end, with the dock open, the canvas still has half the window.
      await openExample(page, 'default', 'Reference architecture');
      await page.getByTestId('run-to-end').click();
      await expect(page.getByTestId('run-status')).toContainText('Finished', { timeout: 30_000 });
      await expect(page.getByTestId('dock-tab-numbers')).toBeVisible();
      const canvas = (await page.getByTestId('canvas').boundingBox())!;
      expect((canvas.width * canvas.height) / (size.width * size.height)).toBeGreaterThanOrEqual(0.5);
      await expectNodesSettleClear(page);
      await expectNoOverlaps(page, '.dock-line');
      await expectNoHorizontalOverflow(page);
      for (const tab of ['charts', 'requests', 'legend', 'summary']) {
        await page.getByTestId(`dock-tab-${tab}`).click();
        await expect(page.getByTestId(`dock-panel-${tab}`)).toBeVisible();
        await expectUniqueTestIds(page);
      }
      await page.getByTestId('dock-tab-charts').click();
      await shot(page, `${name}-after-run`);

      // Folded, the dock is one line: controls and headline numbers.
      await page.getByTestId('dock-toggle').click();
      await expect(page.getByTestId('dock-panel-charts')).toBeHidden();
      await expect(page.getByTestId('headline')).toContainText('ms');
      const folded = (await page.getByTestId('run-bar').boundingBox())!;
      expect(folded.height, "one line").toBeLessThan(70);
      await page.getByTestId('dock-toggle').click();
      await expect(page.getByTestId('dock-panel-charts')).toBeVisible();

      // Its top edge resizes it: three presses of the up arrow make the body 72 px taller.
      const body = page.locator('#dock-body');
      const before = (await body.boundingBox())!.height;
      await page.getByTestId('dock-resize').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
      await expect.poll(async () => Math.round((await body.boundingBox())!.height)).toBe(Math.round(before + 72));
      await expectNodesSettleClear(page);
    });

    test(`${name}: a 15-node diagram fits readable; the fit follows the canvas until the view is moved`, async ({ page }) => {
      await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [AUTOSAVE_KEY, largeScenario(15, 20, 5)]);
      await page.goto('./');
      await expect(page.locator('.node')).toHaveCount(15);
      await expectNodesSettleClear(page);
      await expectReadableLabels(page, '15 nodes');

      // The window shrinks: the diagram is fitted again, still clear of everything.
      await page.setViewportSize({ width: size.width - 200, height: size.height - 100 });
      await expectNodesSettleClear(page);

      // Once the person zooms, a new size keeps their view.
      await page.getByTestId('zoom-in').click();
      const zoomed = await page.locator('svg.diagram').getAttribute('viewBox');
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      expect(await page.locator('svg.diagram').getAttribute('viewBox')).toBe(zoomed);
      // Fit brings the fitting back.
      await page.getByTestId('fit').click();
      await expectNodesSettleClear(page);
    });
  });
}

test.describe('at 1024x700, the inspector', () => {
  test.use({ viewport: { width: 1024, height: 700 }, colorScheme: 'light' });

  test('opens when a node is selected and closes again, keeping the canvas wide meanwhile', async ({ page }) => {
    await page.goto('./');
    await expect(page.getByTestId('inspector')).toBeHidden();
    await page.getByTestId('node-service_a').click();
    await expect(page.getByTestId('inspector-node-service_a')).toBeVisible();
    await expectNoOverlaps(page, '.canvas-toolbar');
    await page.getByTestId('inspector-close').click();
    await expect(page.getByTestId('inspector')).toBeHidden();
    // The toolbar's button opens it on the run settings.
    await page.keyboard.press('Escape');
    await page.getByTestId('inspector-toggle').click();
    await expect(page.getByTestId('inspector')).toBeVisible();
    await shot(page, '1024x700-inspector');
  });
});

test.describe('on a phone (390x844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', hasTouch: true, isMobile: true });

  test('the header folds into a menu, panels open as sheets, a tap adds a component and Play works', async ({ page }) => {
    await openTidy(page, '390x844-open');
    await expect(page.getByTestId('minimap')).toBeHidden();

    // The header's actions are one tap away, in a menu that fits the screen.
    await expect(page.getByTestId('share')).toBeHidden();
    await page.getByTestId('header-menu').tap();
    await expect(page.getByTestId('share')).toBeVisible();
    await expectNoOverlaps(page, '.header-actions');
    await expectNoHorizontalOverflow(page);
    await shot(page, '390x844-menu');
    await page.getByTestId('header-menu').tap();
    await expect(page.getByTestId('share')).toBeHidden();

    // The palette is a sheet: a tap on an entry adds that component and closes it.
    const before = await page.locator('.node').count();
    await page.getByTestId('palette-toggle').tap();
    await expect(page.getByTestId('palette-cache')).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, '390x844-palette');
    await page.getByTestId('palette-cache').tap();
    await expect(page.locator('.node')).toHaveCount(before + 1);
    await expect(page.getByTestId('palette')).toBeHidden();

    // The inspector is a sheet too, with the new component's settings.
    await page.getByTestId('inspector-toggle').tap();
    await expect(page.getByTestId('inspector')).toBeVisible();
    await expect(page.getByTestId('inspector')).toContainText('Cache');
    await expectNoHorizontalOverflow(page);
    await shot(page, '390x844-inspector');
    await page.getByTestId('inspector-close').tap();
    await expect(page.getByTestId('inspector')).toBeHidden();

    // Play is at the bottom, within a thumb's reach, and runs.
    const play = (await page.getByTestId('play').boundingBox())!;
    expect(play.y).toBeGreaterThan(844 / 2);
    expect(play.height).toBeGreaterThanOrEqual(36);
    await page.getByTestId('play').tap();
    await expect(page.getByTestId('run-status')).toContainText('Playing');
    await expect.poll(async () => Number(await page.getByTestId('particles').getAttribute('data-count'))).toBeGreaterThan(0);
    await page.getByTestId('pause').tap();
    await expect(page.getByTestId('run-status')).toContainText('Paused');
    await expectNoHorizontalOverflow(page);
    await shot(page, '390x844-playing');
  });
});

test.describe('a first visit', () => {
  test.use({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });

  test('shows a hint that covers no control, goes for good once used; New says how to start', async ({ page }) => {
    await page.goto('./');
    await page.evaluate((key) => {
      sessionStorage.setItem('journey-wants-hint', '1');
      localStorage.removeItem(key);
    }, HINT_SEEN_KEY);
    await page.reload();
    const hint = page.getByTestId('first-hint');
    await expect(hint).toContainText('Press Play');
    const hintBox = (await hint.boundingBox())!;
    for (const control of await controls(page, '.app-header, .canvas-toolbar, .dock-line, .palette, .minimap-box')) {
      expect(overlaps(hintBox, control.box), `the hint covers ${control.name}`).toBe(false);
    }
    await expectNodesSettleClear(page);
    await shot(page, 'first-visit');

    // Playing is using it: it goes, and stays gone.
    await page.getByTestId('play').click();
    await expect(hint).toBeHidden();
    await page.getByTestId('pause').click();
    await page.reload();
    await expect(page.getByTestId('node-user')).toBeVisible();
    await expect(page.getByTestId('first-hint')).toHaveCount(0);

    // New: the empty canvas says how to start, and its buttons do it.
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByTestId('new').click();
    const empty = page.getByTestId('canvas-empty');
    await expect(empty).toContainText('Start with a client');
    await shot(page, 'empty');
    await page.getByTestId('empty-components').click();
    await expect(page.getByTestId('palette').getByRole('heading', { name: 'Traffic' })).toBeVisible();
    await page.getByTestId('empty-example').click();
    await expect(page.getByTestId('node-user')).toBeVisible();
    await expectNodesSettleClear(page);
  });
});
