import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database } from '../../src/data/schema'
import { statementCache } from '../../src/data/statement-cache'

// Compiles only: the statements are run against both databases by every case page in test/db and test/web.
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

const byCaseAndKind = (caseId: string, kind: string) =>
  db
    .selectFrom('case_access')
    .select('user_id')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'isva')
    .where('person_id', '=', kind)
    .limit(3)

describe('a statement built once and reused', () => {
  it('gives the statement a fresh build would, with each call’s own values in their places', () => {
    const statements = statementCache()
    for (const [caseId, kind] of [
      ['c-1', 'k-1'],
      ['c-2', 'k-2'],
      ['c-2', 'c-2'],
    ] as const) {
      const reused = statements('access', byCaseAndKind, caseId, kind)
      const fresh = byCaseAndKind(caseId, kind).compile()
      expect(reused.sql).toBe(fresh.sql)
      expect(reused.parameters).toEqual(fresh.parameters)
      expect(reused.parameters).toEqual([caseId, 'isva', kind, 3])
    }
  })

  it('builds each shape once, and keeps no more shapes than it was told to', () => {
    const statements = statementCache(2)
    let builds = 0
    const counted = (caseId: string) => {
      builds++
      return db.selectFrom('cases').select('id').where('id', '=', caseId)
    }
    for (const id of ['a', 'b', 'c']) statements('one', counted, id)
    expect(builds).toBe(1)
    statements('two', counted, 'a')
    statements('three', counted, 'a')
    statements('three', counted, 'b')
    // 'three' is beyond the two shapes kept: built on each call.
    expect(builds).toBe(4)
    expect(statements('three', counted, 'z').parameters).toEqual(['z'])
  })

  it('refuses an argument that reaches the SQL text or is changed before it becomes a value', () => {
    const statements = statementCache()
    expect(() =>
      statements('raw', (name: string) => db.selectFrom('cases').select(sql.raw<string>(`'${name}'`).as('x')), 'a'),
    ).toThrow('An argument of a reusable statement reached its SQL text')
    expect(() =>
      statements(
        'changed',
        (term: string) => db.selectFrom('cases').select('id').where('urn', 'like', `${term}%`),
        'a',
      ),
    ).toThrow('An argument of a reusable statement was changed before it became a value')
  })
})
