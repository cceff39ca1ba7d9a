import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseReads } from '../../src/data/cases-repository'
import { readTogether, TIMESTAMP_NAME } from '../../src/data/read-together'
import { createWorld, type TestWorld } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

describe('reading several queries in one round trip', () => {
  it('gives for every demo case exactly what the driver gives for each read on its own', async () => {
    const db = world.database.db
    // The demo escalates nothing yet: one item reaches a step, as the scheduled job would record it.
    await sql`INSERT INTO escalations (id, case_id, item_id, step, step_index, due_on)
      SELECT gen_random_uuid(), case_id, id, 'supervisor', 0, due_on FROM action_plan_items LIMIT 1`.execute(db)
    const ids = (await db.selectFrom('cases').select('id').orderBy('urn').execute()).map((c) => c.id)
    expect(ids).toHaveLength(42) // every demo case
    const filled = new Set<string>()
    for (const id of ids) {
      const queries = Object.fromEntries(Object.entries(caseReads).map(([name, read]) => [name, read(db, id)]))
      const apart = Object.fromEntries(
        await Promise.all(Object.entries(queries).map(async ([name, q]) => [name, await q.execute()] as const)),
      )
      const together = await readTogether(db, queries)
      expect(together, id).toEqual(apart)
      for (const [name, rows] of Object.entries(apart)) if ((rows as unknown[]).length > 0) filled.add(name)
    }
    // The demo has something in every part, so every kind of column (dates, timestamps, JSON, arrays) was compared.
    expect([...filled].sort()).toEqual(Object.keys(caseReads).sort())
  })

  it('reads every part of a case through an index, so a case page costs the same whatever the number of cases', async () => {
    const db = world.database.db
    const { id } = await db.selectFrom('cases').select('id').orderBy('urn').limit(1).executeTakeFirstOrThrow()
    const scanned: string[] = []
    await db.transaction().execute(async (trx) => {
      // Small test tables are cheapest to read whole; with that made dear, only a missing index leaves a whole scan.
      await sql`SET LOCAL enable_seqscan = off`.execute(trx)
      for (const [name, read] of Object.entries(caseReads)) {
        const compiled = read(trx, id).compile()
        const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
        )
        for (const line of plan.rows.map((r) => r['QUERY PLAN']))
          if (line.includes('Seq Scan')) scanned.push(`${name}: ${line.trim()}`)
      }
    })
    expect(scanned).toEqual([])
  })

  it('keeps to the rule it relies on: every timestamp column is named at, *_at or *_until', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema()`.execute(world.database.db)
    const timestamps = rows.filter((r) => r.data_type.startsWith('timestamp'))
    expect(timestamps.length).toBeGreaterThan(10)
    // Every timestamp has such a name, and nothing else has one.
    expect(timestamps.filter((r) => !TIMESTAMP_NAME.test(r.column_name))).toEqual([])
    expect(rows.filter((r) => TIMESTAMP_NAME.test(r.column_name) && !r.data_type.startsWith('timestamp'))).toEqual([])
  })

  it('keeps each query’s own parameters and order when they are put together', async () => {
    const db = world.database.db
    const together = await readTogether(db, {
      one: db.selectFrom('organisations').select('code').where('kind', '=', 'police_force').orderBy('code', 'desc'),
      two: db.selectFrom('organisations').select('code').where('kind', '=', 'cps_area').orderBy('code'),
      none: db.selectFrom('organisations').select('code').where('code', '=', "x'; DROP TABLE cases; --"),
    })
    expect(together.one.map((o) => o.code)).toEqual(
      (
        await db
          .selectFrom('organisations')
          .select('code')
          .where('kind', '=', 'police_force')
          .orderBy('code', 'desc')
          .execute()
      ).map((o) => o.code),
    )
    expect(together.two.map((o) => o.code)).toEqual(
      (
        await db.selectFrom('organisations').select('code').where('kind', '=', 'cps_area').orderBy('code').execute()
      ).map((o) => o.code),
    )
    expect(together.two).toHaveLength(15)
    expect(together.none).toEqual([])
  })

  it('prepares the statement once on a connection and uses it again', async () => {
    await world.database.db.connection().execute(async (conn) => {
      const prepared = async () =>
        (
          await sql<{
            n: number
          }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'cb\_%'`.execute(conn)
        ).rows[0]!.n
      const before = await prepared()
      const query = () =>
        readTogether(conn, {
          kent: conn.selectFrom('organisations').select(['code', 'kind']).where('code', '=', 'kent'),
        })
      expect((await query()).kent).toEqual([{ code: 'kent', kind: 'police_force' }])
      expect((await query()).kent).toEqual([{ code: 'kent', kind: 'police_force' }])
      expect(await prepared()).toBe(before + 1)
    })
  })
})
