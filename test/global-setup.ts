import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { dropRunDatabases, type SnapshotRun } from './helpers/snapshot'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run keeps its demo snapshots (see test/helpers/snapshot.ts). */
    casebridgeRun: SnapshotRun
  }
}

/**
 * Once per `vitest run`: a folder for this run's embedded-database snapshots and, on PostgreSQL, a name prefix for
 * this run's template and per-file databases. The snapshots themselves are built by the first test file that needs
 * them; the teardown removes the folder and drops the databases.
 */
export default function setup(project: TestProject) {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `casebridge-test-${id}-`))
  let pgPrefix: string | null = null
  const databaseUrl = process.env.DATABASE_URL
  if (databaseUrl) {
    const base = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'casebridge'
    pgPrefix = `${base.slice(0, 30)}_r${id}`.toLowerCase()
  }
  const run: SnapshotRun = { dir, pgPrefix }
  project.provide('casebridgeRun', run)
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    if (databaseUrl && pgPrefix) {
      const admin = new pg.Client({ connectionString: databaseUrl })
      await admin.connect()
      try {
        await dropRunDatabases(admin, pgPrefix)
      } finally {
        await admin.end()
      }
    }
  }
}
