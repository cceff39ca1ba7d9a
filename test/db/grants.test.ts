import fs from 'node:fs'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/data/schema'
import { signInAttemptsRepository } from '../../src/data/sign-in-attempts-repository'
import { createWorld, type TestWorld } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
  await sql.raw(fs.readFileSync('sql/app-role.sql', 'utf8')).execute(world.database.db)
})
afterAll(async () => world?.close())

/** Runs a statement as the application's role, inside a transaction that is always rolled back. */
async function asAppRole(statement: (trx: Kysely<Database>) => Promise<unknown>): Promise<string> {
  let outcome = 'allowed'
  await world.database.db
    .transaction()
    .execute(async (trx) => {
      await sql`SET LOCAL ROLE casebridge_app`.execute(trx)
      try {
        await statement(trx)
      } catch (error) {
        outcome = (error as Error).message
      }
      throw new Error('rollback')
    })
    .catch(() => undefined)
  return outcome
}

describe('the application role documented in docs/operations.md', () => {
  it('can append to the audit log through the repository', async () => {
    const outcome = await asAppRole((trx) =>
      world.services.repos.audit.append(
        [
          {
            at: new Date().toISOString(),
            actorId: null,
            actorOrg: null,
            actorRole: null,
            operation: 'consultation',
            action: 'grant_test',
            recordType: 'test',
            recordIds: [],
            justification: 'test',
            correlationId: null,
            resultCount: null,
            outcome: 'ok',
          },
        ],
        trx,
      ),
    )
    expect(outcome).toBe('allowed')
  })

  it('can write a checkpoint of the audit chain', async () => {
    expect(await asAppRole((trx) => world.services.repos.audit.checkpoint('grant_test', trx))).toBe('allowed')
  })

  it('cannot update, delete or truncate the audit log, its checkpoints or the timeline', async () => {
    for (const table of ['audit_log', 'audit_checkpoints', 'case_events']) {
      expect(await asAppRole((trx) => sql.raw(`UPDATE ${table} SET id = id`).execute(trx))).toMatch(/permission denied/)
      expect(await asAppRole((trx) => sql.raw(`DELETE FROM ${table}`).execute(trx))).toMatch(/permission denied/)
      expect(await asAppRole((trx) => sql.raw(`TRUNCATE ${table}`).execute(trx))).toMatch(/permission denied/)
    }
  })

  it('can still read and change case records', async () => {
    expect(await asAppRole((trx) => sql`UPDATE cases SET updated_at = updated_at`.execute(trx))).toBe('allowed')
  })

  it('can count, clear and prune sign-in attempts', async () => {
    const outcome = await asAppRole(async (trx) => {
      const attempts = signInAttemptsRepository(trx)
      const now = new Date()
      await attempts.countAddressAttempt('grant-test', now, 60_000)
      await attempts.reserveAccountAttempt('grant-test', 'account', now, now, {
        freeAttempts: 1,
        baseSeconds: 1,
        capSeconds: 1,
      })
      await attempts.succeeded('grant-test', 'account')
      await attempts.clearAccount('account')
      await attempts.prune(now, now)
    })
    expect(outcome).toBe('allowed')
  })
})

describe('upgrading an installation whose application role exists already', () => {
  it('the migrations that add tables grant the role what it needs on them, so sign-in and checkpoints keep working', async () => {
    const privileges = async () =>
      (
        await sql<{ attempts: boolean; checkpoints: boolean; sequence: boolean }>`SELECT
          has_table_privilege('casebridge_app', 'sign_in_attempts', 'INSERT, UPDATE, DELETE') AS attempts,
          has_table_privilege('casebridge_app', 'audit_checkpoints', 'INSERT') AS checkpoints,
          has_sequence_privilege('casebridge_app', 'audit_checkpoints_id_seq', 'USAGE') AS sequence`.execute(
          world.database.db,
        )
      ).rows[0]
    await sql`REVOKE ALL ON sign_in_attempts, audit_checkpoints FROM casebridge_app`.execute(world.database.db)
    await sql`REVOKE ALL ON SEQUENCE audit_checkpoints_id_seq FROM casebridge_app`.execute(world.database.db)
    expect(await privileges()).toEqual({ attempts: false, checkpoints: false, sequence: false })
    for (const file of ['0018_keyed_audit_chain.sql', '0019_sign_in_throttling.sql']) {
      const text = fs.readFileSync(`migrations/${file}`, 'utf8')
      await sql.raw(text.slice(text.lastIndexOf('DO $$'))).execute(world.database.db)
    }
    expect(await privileges()).toEqual({ attempts: true, checkpoints: true, sequence: true })
    expect(await asAppRole((trx) => signInAttemptsRepository(trx).prune(new Date(), new Date()))).toBe('allowed')
  })
})
