import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import pg from 'pg'
import { type DatabaseHandle, openDatabase, pgliteHandle } from '../../src/data/database'

/**
 * Loading the demo takes tens of seconds (password hashing, hundreds of events through the services), so it is
 * loaded once per run and per demo key, and each test file starts from a copy of that database:
 * - embedded (PGlite): the first file to need a snapshot builds it in memory and dumps the data folder to a tarball
 *   in the run's folder, under a lock file; every file then opens its own in-memory PGlite from the tarball;
 * - PostgreSQL (DATABASE_URL): the first file builds a template database named after the run (under an advisory
 *   lock); every file gets its own `CREATE DATABASE ... TEMPLATE` copy, dropped when the file closes it.
 * test/global-setup.ts provides the run's folder and database name prefix, and removes both at the end of the run.
 */
export interface SnapshotRun {
  /** A folder for this run's tarballs, removed at the end of the run. */
  dir: string
  /** On PostgreSQL, the start of every database name this run creates (all dropped at the end of the run). */
  pgPrefix: string | null
}

/** A short name for one demo build: the same key, the same data. */
export function snapshotKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12)
}

/**
 * The database for one test file, a copy of the snapshot `key` (built with `build` on an empty database when this run
 * has no such snapshot yet). Without a run (test/global-setup.ts not configured) there is nothing to share: undefined.
 */
export async function openSnapshot(
  run: SnapshotRun | undefined,
  key: string,
  build: (database: DatabaseHandle) => Promise<void>,
): Promise<DatabaseHandle | undefined> {
  if (!run) return undefined
  if (process.env.DATABASE_URL) {
    if (!run.pgPrefix) return undefined
    return openPostgresCopy(process.env.DATABASE_URL, run.pgPrefix, key, build)
  }
  return openPgliteCopy(run.dir, key, build)
}

// ---- PGlite ----

async function openPgliteCopy(
  dir: string,
  key: string,
  build: (database: DatabaseHandle) => Promise<void>,
): Promise<DatabaseHandle> {
  const tarball = path.join(dir, `demo-${key}.tar`)
  if (!fs.existsSync(tarball)) await withFileLock(`${tarball}.lock`, () => buildTarball(tarball, build))
  const pglite = await PGlite.create({ dataDir: 'memory://', loadDataDir: new Blob([fs.readFileSync(tarball)]) })
  return await pgliteHandle(pglite)
}

async function buildTarball(tarball: string, build: (database: DatabaseHandle) => Promise<void>) {
  if (fs.existsSync(tarball)) return // built by another file while this one waited for the lock
  const pglite = await PGlite.create({ dataDir: 'memory://' })
  const database = await pgliteHandle(pglite)
  try {
    await build(database)
    // Everything on disk, so opening a copy needs no recovery from the write-ahead log.
    await sql`CHECKPOINT`.execute(database.db)
    const dump = await pglite.dumpDataDir('none')
    const partial = `${tarball}.${process.pid}.partial`
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    fs.renameSync(partial, tarball)
  } finally {
    await database.close()
  }
}

/**
 * Runs `fn` holding a lock file (test files run in parallel worker processes). A lock left by a process that has
 * gone is taken over; a lock held longer than the wait limit is an error.
 */
async function withFileLock(lockPath: string, fn: () => Promise<void>, waitMs = 10 * 60_000) {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number(fs.readFileSync(lockPath, 'utf8').trim() || NaN)
    if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) {
      fs.rmSync(lockPath, { force: true })
      continue
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockPath} (held by process ${owner})`)
    await sleep(250)
  }
  try {
    await fn()
  } finally {
    fs.rmSync(lockPath, { force: true })
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// ---- PostgreSQL ----

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`

function urlFor(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl)
  url.pathname = `/${encodeURIComponent(name)}`
  return url.toString()
}

async function withAdmin<T>(databaseUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  try {
    return await fn(admin)
  } finally {
    await admin.end()
  }
}

async function openPostgresCopy(
  databaseUrl: string,
  prefix: string,
  key: string,
  build: (database: DatabaseHandle) => Promise<void>,
): Promise<DatabaseHandle> {
  const template = `${prefix}_t${key}`
  const copy = `${prefix}_f${randomBytes(4).toString('hex')}`
  // The admin connection is to DATABASE_URL's own database, which this run otherwise leaves alone: a database with
  // a session open on it cannot be used as a template.
  await withAdmin(databaseUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template])
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])
      if (found.rowCount === 0) {
        // Built under another name and renamed when complete, so a build that fails leaves no template behind.
        const building = `${prefix}_b${key}`
        await admin.query(`DROP DATABASE IF EXISTS ${ident(building)} WITH (FORCE)`)
        await admin.query(`CREATE DATABASE ${ident(building)}`)
        const database = await openDatabase({ databaseUrl: urlFor(databaseUrl, building), dataDir: 'memory://' })
        try {
          await build(database)
        } finally {
          await database.close()
        }
        await admin.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(template)}`)
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template])
    }
    await admin.query(`CREATE DATABASE ${ident(copy)} TEMPLATE ${ident(template)}`)
  })
  const database = await openDatabase({ databaseUrl: urlFor(databaseUrl, copy), dataDir: 'memory://', poolSize: 10 })
  return {
    ...database,
    close: async () => {
      await database.close()
      // Not WITH (FORCE): the pool's connections may still be closing, and PostgreSQL waits a few seconds for them
      // to go, where FORCE would end them with an error. One still open after that (a test that left a connection
      // behind) leaves the copy to the end of the run, which drops it.
      await withAdmin(databaseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${ident(copy)}`)).catch(
        () => undefined,
      )
    },
  }
}

/** Drops every database whose name starts with the run's prefix (templates, builds and per-file copies). */
export async function dropRunDatabases(admin: pg.Client, prefix: string) {
  const { rows } = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE left(datname, length($1::text)) = $1::text',
    [`${prefix}_`],
  )
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`)
}
