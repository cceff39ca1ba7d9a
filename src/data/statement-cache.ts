import { type Compilable, CompiledQuery } from 'kysely'

/** Stands for the i-th argument while a statement is built for the cache; never sent to the database. */
const STAND_IN = `statement-argument-${globalThis.crypto.randomUUID()}`
const slot = (i: number) => `${STAND_IN}:${i}`

interface Entry {
  sql: string
  /** Each parameter: the index of the argument it is, or null for a value the statement always has. */
  slots: readonly (number | null)[]
  fixed: readonly unknown[]
}

/**
 * Statements Kysely builds once per shape and then reuses with new values: building and compiling a query costs the
 * server more than a page's use of its rows (decision 0034; the profile is in docs/performance.md). `build` is given
 * stand-ins for its arguments and must pass each one to the query as a value, unchanged (never into the SQL's text,
 * never transformed: that throws the first time). `shape` names everything else the built statement depends on;
 * at most `max` shapes are kept, any more are built each time.
 */
export function statementCache(max = 500) {
  const cache = new Map<string, Entry>()
  const compile = <Args extends string[]>(build: (...args: Args) => Compilable<unknown>, args: Args): Entry => {
    const compiled = build(...(args.map((_, i) => slot(i)) as Args)).compile()
    if (compiled.sql.includes(STAND_IN)) throw new Error('An argument of a reusable statement reached its SQL text')
    const slots = compiled.parameters.map((p) => {
      if (typeof p !== 'string' || !p.includes(STAND_IN)) return null
      const i = args.findIndex((_, j) => p === slot(j))
      if (i < 0) throw new Error('An argument of a reusable statement was changed before it became a value')
      return i
    })
    return { sql: compiled.sql, slots, fixed: compiled.parameters }
  }
  return <Args extends string[], R>(
    shape: string,
    build: (...args: Args) => Compilable<R>,
    ...args: Args
  ): CompiledQuery<R> => {
    let entry = cache.get(shape)
    if (!entry) {
      entry = compile(build, args)
      if (cache.size < max) cache.set(shape, entry)
    }
    const { slots, fixed } = entry
    return CompiledQuery.raw(
      entry.sql,
      slots.map((i, n) => (i === null ? fixed[n] : args[i])),
    ) as CompiledQuery<R>
  }
}
