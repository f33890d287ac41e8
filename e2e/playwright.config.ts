import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded one: this machine reaches no browser download host, so
// `npx playwright install` must not be needed. The flags keep a root, GPU-less, offline Chromium
// quiet (no sandbox as root, no background connections that the closed network would refuse).
const chromium = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  // scripts/test.sh serves the release build and passes its address (a sub-path, to prove
  // relative asset paths); the default is `make serve`'s.
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:8080/',
    browserName: 'chromium',
    launchOptions: chromium,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  // The layout journeys set their own window size and colour scheme, and run once.
  projects: [
    { name: 'light', use: { colorScheme: 'light' }, testIgnore: /layout\.spec\.ts/ },
    // Journeys from the faults issue on run in the light project only.
    { name: 'dark', use: { colorScheme: 'dark' }, testIgnore: /(layout|faults|timeline|gallery|shards)\.spec\.ts/ },
    { name: 'layout', testMatch: /layout\.spec\.ts/ },
  ],
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores: one browser per core at most.
  workers: 2,
  reporter: 'list',
  timeout: 30_000,
});
