import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks print numbers; they assert only that the measured work really happened. One
// browser at a time, one colour scheme, so nothing else competes for the two cores.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  projects: [{ name: 'bench', use: { colorScheme: 'light' } }],
  workers: 1,
  timeout: 120_000,
});
