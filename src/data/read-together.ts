import { type Compilable, CompiledQuery, type InferResult, type Kysely } from 'kysely'
import { PREPARE } from './database'
import type { Database } from './schema'

/** The names of timestamp columns (and of their camelCase aliases): the schema keeps to this (tested). */
export const TIMESTAMP_NAME = /^at$|_at$|_until$|At$|Until$/
/** A timestamp as PostgreSQL writes it in JSON: 2026-11-26T15:33:40.123456+00:00. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/

/**
 * Several reads in one round trip. Each query becomes a `json_agg` subquery of one SELECT (its parameters
 * renumbered), so a page that needs a dozen small reads of one case pays for one. Rows come back as JSON, so they
 * are turned back into what the driver would have given: timestamps into Dates, found by name (`TIMESTAMP_NAME`;
 * test/db/read-together.test.ts holds the schema to it and compares both ways of reading on every demo case).
 * Each subquery keeps its own ORDER BY: a plain aggregate over a sorted subquery keeps its order. The statement is
 * prepared once per connection (`PREPARE`), as planning it costs more than running it.
 */
export async function readTogether<Q extends Record<string, Compilable<unknown>>>(
  handle: Kysely<Database>,
  queries: Q,
): Promise<{ [K in keyof Q]: InferResult<Q[K]> }> {
  return runTogether(handle, together(queries).compile(), Object.keys(queries))
}

/** The one statement of `readTogether`, to compile (or to keep compiled: data/statement-cache.ts). */
export function together(queries: Record<string, Compilable<unknown>>): Compilable<Record<string, unknown>> {
  return {
    compile() {
      const parameters: unknown[] = []
      const parts = Object.values(queries).map((query, i) => {
        const compiled = query.compile()
        const offset = parameters.length
        parameters.push(...compiled.parameters)
        const text = compiled.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`)
        return `(SELECT coalesce(json_agg(t), '[]'::json) FROM (${text}) t) AS "r${i}"`
      })
      return CompiledQuery.raw(`${PREPARE}SELECT ${parts.join(', ')}`, parameters)
    },
  }
}

/** Runs the statement `together` made of queries with these keys (in their order) and gives each one's rows. */
export async function runTogether<T>(
  handle: Kysely<Database>,
  statement: CompiledQuery<unknown>,
  keys: readonly string[],
): Promise<T> {
  const result = await handle.executeQuery<Record<string, unknown>>(statement)
  const row = result.rows[0]!
  return Object.fromEntries(
    keys.map((key, i) => {
      const value = row[`r${i}`]
      const rows = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>[]
      return [key, rows.map(revive)]
    }),
  ) as T
}

function revive(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'string' && TIMESTAMP_NAME.test(key) && TIMESTAMP.test(value)) row[key] = new Date(value)
  }
  return row
}
