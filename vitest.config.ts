import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure (no QEMU process), `qemu` starts real QEMU, qemu-img or
// sidecars. CI runs `qemu` once per QEMU generation (Debian's 7.2 and QEMU 10 in a chroot)
// and `unit` once.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.qemu.test.ts', 'test/renderer/**', 'test/e2e/**', 'node_modules/**'],
          testTimeout: 15_000,
        },
      },
      {
        // React components in a DOM (jsdom), against the real API in-process where possible.
        test: {
          name: 'ui',
          include: ['test/renderer/**/*.test.tsx', 'test/renderer/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/renderer/setup-pages.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // The app in Debian's Chromium (Playwright) against `guestbay serve` and real guests.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // Benchmarks print ratios and assert nothing: `npm run bench`, never part of `npm test`.
        test: {
          name: 'bench',
          include: ['bench/**/*.bench.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'qemu',
          include: ['test/**/*.qemu.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Guests are real processes with real sockets; two cores: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
