import { defineConfig } from 'vitest/config'

// Three levels, as in docs/architecture.md. Database-backed suites run one file at a time when they share one
// PostgreSQL database (DATABASE_URL set); on the embedded database each file has its own PGlite, so files run side by
// side.
const sharedDatabase = Boolean(process.env.DATABASE_URL)
export default defineConfig({
  test: {
    // Once per run: where the database-backed files share one demo snapshot (test/helpers/snapshot.ts).
    globalSetup: ['test/global-setup.ts'],
    // Two files at a time even on a 2-core machine: browser files spend most of their time waiting on Chromium and
    // the server, so a second worker uses the idle core (vitest's default would be one worker there).
    maxWorkers: 2,
    projects: [
      { test: { name: 'domain', include: ['test/domain/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts', 'test/web/**/*.test.ts'],
          environment: 'node',
          fileParallelism: !sharedDatabase,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The command line as separate processes on a throwaway embedded database folder.
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // Each journey file works on its own copy of the demo (test/helpers/snapshot.ts), on PostgreSQL too, so two
          // run side by side whatever the database (CI runs them on both).
          fileParallelism: true,
          // A journey takes 10-40 s; the limit is generous because two files share two cores with Chromium.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
