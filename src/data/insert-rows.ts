import type { Insertable, Kysely } from 'kysely'
import type { Database } from './schema'

/** The most parameters one PostgreSQL statement may carry. */
const MAX_PARAMETERS = 65_535

/** Inserts many rows in as few statements as the parameter limit allows (sized from the rows' columns). */
export async function insertRows<T extends keyof Database & string>(
  handle: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
) {
  if (rows.length === 0) return
  const columns = Math.max(...rows.map((r) => Object.keys(r).length), 1)
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns) - 1)
  for (let i = 0; i < rows.length; i += size) {
    // Kysely cannot tie a table name chosen at run time to its row type; the caller's rows are typed for `table`.
    await handle
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute()
  }
}
