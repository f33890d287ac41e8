import * as path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { artifactsDir, expect, test } from './fixtures';
import { AUTOSAVE_KEY } from './large';

/**
 * Shards in the live view (light project only): a shard router over four serving shards and a
 * fifth standing by for an addition planned late in the run. Injecting `add_shard` on the
 * fifth during the run makes it serve at once, without resetting the run: its heat-strip cell
 * turns serving and keys move onto it.
 */
const shards = [0, 1, 2, 3, 4].map((i) => `db_${i}`);
const scenario = {
  version: 1,
  name: 'Shards',
  seed: 5,
  run: { duration_s: 60, requests: null, warmup_s: 0 },
  nodes: [
    {
      id: 'user',
      kind: 'client',
      x: 0,
      y: 180,
      config: { arrival: { poisson: { rate_per_s: 200 } }, keys: { count: 500 }, read_ratio: 0.5 },
    },
    // Slow enough moves that they show for a few seconds at speed 1.
    { id: 'router', kind: 'shard_router', x: 260, y: 180, config: { scheme: 'modulo', move_rate_keys_per_s: 100 } },
    ...shards.map((id, i) => ({ id, kind: 'database', x: 560, y: i * 90 })),
  ],
  edges: [
    { from: 'user', to: 'router', latency_ms: 1 },
    ...shards.map((to) => ({ from: 'router', to, latency_ms: 1 })),
  ],
  faults: [{ at_s: 50, target: 'db_4', kind: 'add_shard' }],
};

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `shards-${name}.png`) });
}

async function numberAttr(locator: Locator, name: string): Promise<number> {
  return Number((await locator.getAttribute(name)) ?? 'NaN');
}

/** The keys on each shard, in edge order, as the heat strip's cells say. */
async function keysPerShard(strip: Locator): Promise<number[]> {
  return strip.getByTestId('shard-cell').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-keys'))));
}

test('an add_shard injected on a standby shard makes it serve and moves keys onto it, without a reset', async ({
  page,
}) => {
  await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [AUTOSAVE_KEY, JSON.stringify(scenario)]);
  await page.goto('./');
  await expect(page.getByTestId('node-router')).toBeVisible();
  // The resharding faults are chips like any other, and the planned addition has its lane.
  await expect(page.getByTestId('fault-chip-add_shard')).toBeVisible();
  await expect(page.getByTestId('fault-chip-remove_shard')).toBeVisible();
  const lane = page.getByTestId('timeline-lane-db_4');
  await expect(lane.getByTestId('fault-0')).toHaveClass(/fault-add_shard/);

  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('play').click();
  const strip = page.getByTestId('live-router').getByTestId('shard-strip');
  const cells = strip.getByTestId('shard-cell');
  await expect(cells).toHaveCount(5);
  await expect(strip.locator('[data-serving="true"]')).toHaveCount(4);
  const fifth = strip.locator('[data-shard="db_4"]');
  await expect(fifth).toHaveAttribute('data-serving', 'false');
  // The standby shard is dimmed on the canvas.
  const standby = page.getByTestId('live-db_4');
  await expect(standby).toHaveAttribute('data-standby', 'true');
  await expect(standby.locator('.live-standby')).toHaveAttribute('visibility', 'visible');
  await expect(standby).toHaveAttribute('data-fault', 'standby');
  await expect(page.getByTestId('live-db_0')).not.toHaveAttribute('data-standby', /./);
  // Keys written spread over the four serving shards before the reshard.
  await expect
    .poll(async () => (await keysPerShard(strip)).slice(0, 4).reduce((a, b) => a + b, 0), { timeout: 15_000 })
    .toBeGreaterThan(250);
  expect((await keysPerShard(strip))[4]).toBe(0);
  expect(await numberAttr(strip, 'data-moved')).toBe(0);
  await shot(page, 'before');

  await page.getByTestId('node-db_4').click();
  await expect(page.getByTestId('inject-remove_shard')).toBeVisible();
  const eventsBefore = await numberAttr(page.getByTestId('run-status'), 'data-events');
  await page.getByTestId('inject-add_shard').click();

  // The fifth serves: the strip gains a serving cell, the shard is no longer dimmed.
  await expect(strip.locator('[data-serving="true"]')).toHaveCount(5);
  await expect(fifth).toHaveAttribute('data-serving', 'true');
  await expect(standby).not.toHaveAttribute('data-standby', /./);
  await expect(standby.locator('.live-standby')).toHaveAttribute('visibility', 'hidden');
  // Keys move: four in five under modulo, copied at 100 a second, some onto the new shard.
  await expect.poll(() => numberAttr(strip, 'data-moved')).toBeGreaterThan(100);
  await expect(page.getByTestId('live-router').locator('.live-caption')).toContainText(/moving|moved/);
  await expect.poll(async () => (await keysPerShard(strip))[4], { timeout: 10_000 }).toBeGreaterThan(20);
  await shot(page, 'moving');
  // The same run went on, and the injection sits in the standby shard's lane, open-ended.
  await expect(page.getByTestId('notice')).not.toContainText('reset');
  await expect(page.getByTestId('run-status')).toContainText('Playing');
  expect(await numberAttr(page.getByTestId('run-status'), 'data-events')).toBeGreaterThan(eventsBefore);
  const injected = lane.getByTestId('fault-1');
  await expect(injected).toHaveClass(/fault-add_shard/);
  await expect(injected).toHaveClass(/open/);

  // Once the moves are done, nothing is left moving and the new shard takes its share.
  await expect.poll(() => numberAttr(strip, 'data-moving'), { timeout: 15_000 }).toBe(0);
  await expect.poll(() => numberAttr(fifth, 'data-share'), { timeout: 10_000 }).toBeGreaterThan(0.1);
  await page.getByTestId('pause').click();
  await shot(page, 'after');
});
