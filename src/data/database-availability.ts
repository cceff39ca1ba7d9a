import { type Kysely, sql } from 'kysely'
import type { Database } from './schema'

/**
 * A connection to the database could not be opened (the server is down, restarting, refusing connections to this
 * database, or did not answer in time). Raised by the pool for every way of failing to connect, so that a reason
 * PostgreSQL gives only then (such as 55000 for a database not accepting connections) is still "unavailable".
 */
export class DatabaseUnavailableError extends Error {
  readonly code: string
  constructor(cause: unknown) {
    super('The database cannot be reached', { cause })
    this.code = codeOf(cause) ?? 'connect_failed'
  }
}

// Socket errors: nothing is listening, the connection was cut, or the host cannot be reached.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])
// PostgreSQL's own: admin_shutdown (a restart or pg_terminate_backend), crash_shutdown, cannot_connect_now (starting
// up or shutting down), idle_session_timeout. Class 08 (connection exceptions) is matched as a class.
const SERVER_GONE_CODES = new Set(['57P01', '57P02', '57P03', '57P05'])
// node-postgres reports a connection that ended, or a client left unusable by that, by message only.
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect)/

/** Whether an error means the database is away (so try again later: 503), rather than a fault in a query (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true
  if (!(error instanceof Error)) return false
  const code = codeOf(error)
  if (code && (NETWORK_CODES.has(code) || SERVER_GONE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  return LOST_CONNECTION.test(error.message)
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** How long the health check waits for the database before saying it is unavailable. */
export const HEALTH_TIMEOUT_MS = 2000

export type DatabaseState = { reachable: true } | { reachable: false; reason: string }

/**
 * Asks the database for `select 1`, waiting at most `timeoutMs`. The reason given when it is unreachable is an error
 * code or a fixed phrase, never a message (messages can name the database, the host or a user).
 */
export async function probeDatabase(db: Kysely<Database>, timeoutMs = HEALTH_TIMEOUT_MS): Promise<DatabaseState> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<DatabaseState>((resolve) => {
    timer = setTimeout(() => resolve({ reachable: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs)
  })
  try {
    return await Promise.race([sql`select 1`.execute(db).then((): DatabaseState => ({ reachable: true })), late])
  } catch (error) {
    const code = codeOf(error)
    return { reachable: false, reason: code ?? (isDatabaseUnavailable(error) ? 'connection lost' : 'error') }
  } finally {
    clearTimeout(timer)
  }
}
