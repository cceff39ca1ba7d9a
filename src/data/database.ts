import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import { DatabaseUnavailableError } from './database-availability'
import type { Database } from './schema'

type PGliteInstance = import('@electric-sql/pglite').PGlite

// A working-day deadline or a date of birth is a date, not an instant: keep `date` columns as 'YYYY-MM-DD'.
pg.types.setTypeParser(1082, (value: string) => value)

export type Engine = 'pglite' | 'postgres'

/**
 * A statement starting with this comment is prepared once per connection and its plan kept (a case's parts read
 * together: planning those subqueries costs PostgreSQL more than running them). Only fixed texts are marked, so each
 * connection holds a handful of prepared statements.
 */
export const PREPARE = '/* prepared */ '

function preparing(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>()
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>
    Object.assign(client, {
      query: (text: unknown, ...rest: unknown[]) => {
        if (typeof text !== 'string' || !text.startsWith(PREPARE) || !Array.isArray(rest[0]) || rest.length > 1)
          return query(text, ...rest)
        let name = names.get(text)
        if (!name) names.set(text, (name = `cb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`))
        return query({ name, text, values: rest[0] }).catch((error: { code?: string }) => {
          // A plan kept from before the schema changed (another instance migrated): run this one unprepared.
          if (error?.code === '0A000') return query(text, rest[0])
          throw error
        })
      },
    })
  })
  return pool
}

/**
 * A connection PostgreSQL ends (a restart, a failover, `pg_terminate_backend`) is an `error` event on its client
 * and, while it is idle, on the pool; an `error` event nobody listens to ends the process. Each is logged by code
 * only (a message can name the database, the host or a user) and the pool opens new connections when asked.
 */
function surviveLostConnections(pool: pg.Pool, log: pino.Logger): pg.Pool {
  // A client in use (between the queries of a transaction, say) has no other listener; the pool's own, for idle
  // clients, drops them from the pool. Both hear the same error: log it once, here.
  pool.on('connect', (client) =>
    client.on('error', (error: Error & { code?: string }) =>
      log.warn({ code: error.code ?? 'connection_lost' }, 'a database connection was lost; new ones will be opened'),
    ),
  )
  pool.on('error', () => {})
  // Any failure to open a connection says the database is away, whatever PostgreSQL gave as the reason.
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown
  Object.assign(pool, {
    connect: (...args: unknown[]) =>
      args.length > 0
        ? connect(...args)
        : (connect() as Promise<pg.PoolClient>).catch((error: unknown) => {
            throw new DatabaseUnavailableError(error)
          }),
  })
  return pool
}

/** How long opening a connection to PostgreSQL may take: a server that does not answer is unavailable, not slow. */
export const CONNECT_TIMEOUT_MS = 5000

// The pool's own `connectionTimeoutMillis` also limits the wait for a free connection, which a busy server (or a long
// job from the command line) may rightly exceed; this bounds connecting only.
class PostgresClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super({
      ...(typeof config === 'string' ? { connectionString: config } : config),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Notice a dead peer on a quiet connection in seconds rather than the system's two hours.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    })
  }
}

export interface DatabaseHandle {
  db: Kysely<Database>
  engine: Engine
  /** The connection pool under `db`, for the tests of lost connections. */
  pool: pg.Pool
  close(): Promise<void>
}

export class DataFolderLockedError extends Error {}

/**
 * PGlite has no lock of its own on its data folder, and two processes writing one folder corrupt it.
 * A lock file with the owner's process id is taken for the life of the process; a lock left by a process
 * that no longer exists is taken over.
 */
function lockDataFolder(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, 'casebridge.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(lockPath, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(fs.readFileSync(lockPath, 'utf8'))
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new DataFolderLockedError(
          `The embedded database in ${dataDir} is in use by another Casebridge process (pid ${owner}). ` +
            'Stop that process first, or use the administrator pages of the running service.',
        )
      }
      fs.rmSync(lockPath, { force: true })
    }
  }
  throw new DataFolderLockedError(`Could not lock the embedded database folder ${dataDir}`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface OpenOptions {
  databaseUrl?: string | undefined
  /** A folder for the embedded database, or 'memory://' for a throwaway one (tests). */
  dataDir: string
  poolSize?: number
  /** Called once per query sent to the database (the benchmark counts round trips with it). */
  onQuery?: () => void
  /** The level of this module's own log lines (lost connections); pino's levels, 'warn' unless given. */
  logLevel?: string
}

const logger = (level = 'warn') => pino({ level, name: 'database' })

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = surviveLostConnections(
      preparing(
        new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, Client: PostgresClient }),
      ),
      logger(options.logLevel),
    )
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: options.onQuery && (() => options.onQuery!()),
    })
    return { db, engine: 'postgres', pool, close: () => db.destroy() }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const inMemory = options.dataDir.startsWith('memory://')
  const unlock = inMemory ? () => {} : lockDataFolder(options.dataDir)
  try {
    const pglite = await PGlite.create(inMemory ? options.dataDir : path.join(options.dataDir, 'pgdata'))
    return await pgliteHandle(pglite, { onQuery: options.onQuery, onClose: unlock, logLevel: options.logLevel })
  } catch (error) {
    unlock()
    throw error
  }
}

/** The Kysely handle over an open PGlite instance: one connection through node-postgres's pool. */
export async function pgliteHandle(
  pglite: PGliteInstance,
  options: { onQuery?: () => void; onClose?: () => void; logLevel?: string } = {},
): Promise<DatabaseHandle> {
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres')
  const pool = surviveLostConnections(
    preparing(new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig)),
    logger(options.logLevel),
  )
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: options.onQuery && (() => options.onQuery!()),
  })
  return {
    db,
    engine: 'pglite',
    pool,
    close: async () => {
      await db.destroy()
      await pglite.close()
      options.onClose?.()
    },
  }
}
