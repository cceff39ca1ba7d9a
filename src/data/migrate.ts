import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Kysely, sql } from 'kysely'
import type { Database } from './schema'

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

/** Applies each pending numbered .sql file in its own transaction, forward only, and records it. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
    db,
  )
  const files = fs
    .readdirSync(migrationsDir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
  const applied: string[] = []
  for (const file of files) {
    const version = file.replace(/\.sql$/, '')
    const done = await db.transaction().execute(async (trx) => {
      // Two processes migrating one PostgreSQL database take turns here.
      await sql`SELECT pg_advisory_xact_lock(7261001)`.execute(trx)
      const existing = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', version)
        .executeTakeFirst()
      if (existing) return false
      await sql.raw(fs.readFileSync(path.join(migrationsDir, file), 'utf8')).execute(trx)
      await trx.insertInto('schema_migrations').values({ version }).execute()
      return true
    })
    if (done) applied.push(version)
  }
  return applied
}
