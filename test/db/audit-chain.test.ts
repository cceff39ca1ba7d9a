import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEVELOPMENT_AUDIT_KEY } from '../../src/config'
import { auditRepository, type AuditVerification } from '../../src/data/audit-repository'
import type { Database } from '../../src/data/schema'
import { type AuditCheckpoint, type AuditContent, auditHash, auditKeyring, GENESIS_HASH } from '../../src/domain/audit'
import { checkpointLine, parseCheckpoints } from '../../src/services/audit-checkpoints'
import { createWorld, type TestWorld } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

describe('keyed audit chain and signed checkpoints (decision 0029)', () => {
  class Rollback extends Error {}
  const audit = () => world.services.repos.audit
  const entry = (correlationId: string): AuditContent => ({
    at: new Date().toISOString(),
    actorId: null,
    actorOrg: null,
    actorRole: null,
    operation: 'consultation',
    action: 'view_case',
    recordType: 'case',
    recordIds: ['keyed-test'],
    justification: 'Test',
    correlationId,
    resultCount: null,
    outcome: 'ok',
  })
  const plainRewrite = (newest: { id: string; prev_hash: string }, keyId: string | null, key: string | null) => {
    const content = { ...entry('rewritten'), at: '2026-01-01T00:00:00.000Z' }
    return sql`UPDATE audit_log SET justification = ${content.justification}, action = ${content.action},
        at = ${content.at}, actor_id = NULL, actor_org = NULL, actor_role = NULL, operation = ${content.operation},
        record_type = ${content.recordType}, record_ids = ${content.recordIds}, correlation_id = ${content.correlationId},
        result_count = NULL, outcome = 'ok', key_id = ${keyId},
        hash = ${auditHash(newest.prev_hash, content, key)} WHERE id = ${newest.id}`
  }

  /**
   * Tampers as the tables' owner with the triggers off, verifies, and rolls it all back (on both engines DDL and
   * TRUNCATE are transactional), so each case starts from the same intact chain.
   */
  async function verifyAfter(
    tamper: (trx: Kysely<Database>) => Promise<unknown>,
    options: { checkpoints?: AuditCheckpoint[]; repository?: ReturnType<typeof auditRepository> } = {},
  ): Promise<AuditVerification> {
    let result: AuditVerification | undefined
    await world.database.db
      .transaction()
      .execute(async (trx) => {
        await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx)
        await sql`ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update`.execute(trx)
        await tamper(trx)
        result = await (options.repository ?? audit()).verify({ handle: trx, checkpoints: options.checkpoints })
        throw new Rollback()
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error
      })
    return result!
  }
  const newestRow = async (trx: Kysely<Database>, offset = 0) =>
    trx
      .selectFrom('audit_log')
      .select(['id', 'prev_hash', 'hash'])
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(1)
      .executeTakeFirstOrThrow()
  const kinds = (result: AuditVerification) => result.problems.map((p) => p.kind)

  let exported: AuditCheckpoint[]
  beforeAll(async () => {
    await audit().append([entry('keyed-1'), entry('keyed-2'), entry('keyed-3')])
    const checkpoint = await world.services.auditCheckpoints.write('test')
    expect(checkpoint).toMatchObject({ writtenBy: 'test', headHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    // What an administrator keeps elsewhere: `casebridge audit checkpoints`, read back from its lines.
    const lines = (await world.services.auditCheckpoints.list()).map(checkpointLine).join('\n')
    exported = parseCheckpoints(lines, 'export')
  })

  it('keys every new row with the configured key, and the chain and its checkpoints verify', async () => {
    const rows = await world.database.db.selectFrom('audit_log').select(['key_id']).distinct().execute()
    expect(rows.map((r) => r.key_id)).toEqual([auditKeyring(DEVELOPMENT_AUDIT_KEY).current.id])
    const result = await audit().verify({ checkpoints: exported })
    expect(result).toMatchObject({ ok: true, problems: [], legacyRows: 0 })
    // The one checkpoint written above (the demo writes none).
    expect(result.checkpoints).toBe(1)
    expect(exported).toHaveLength(1)
  })

  it('refuses updates and deletes of checkpoints', async () => {
    await world.services.auditCheckpoints.write('test')
    await expect(sql`UPDATE audit_checkpoints SET row_count = 0`.execute(world.database.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`DELETE FROM audit_checkpoints`.execute(world.database.db)).rejects.toThrow(/append-only/)
  })

  it('catches rows deleted from the end, even when the chain goes on after them', async () => {
    const deleted = await verifyAfter((trx) =>
      sql`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2)`.execute(trx),
    )
    expect(kinds(deleted)).toEqual(['rows_deleted_from_end'])
    expect(deleted.problems[0]!.message).toMatch(/rows were deleted from the end/)
    const continued = await verifyAfter(async (trx) => {
      await sql`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2)`.execute(trx)
      await audit().append([entry('after-deletion')], trx)
    })
    expect(kinds(continued)).toEqual(['rows_deleted_from_end'])
    expect(continued.problems[0]!.message).toMatch(/is not in the chain/)
  })

  it('catches a truncated table, and with an exported file a truncation of its checkpoints too', async () => {
    const truncated = await verifyAfter((trx) => sql`TRUNCATE audit_log`.execute(trx))
    expect(truncated).toMatchObject({ ok: false, rows: 0 })
    expect(kinds(truncated)).toEqual(['table_truncated'])
    const both = await verifyAfter((trx) => sql`TRUNCATE audit_log, audit_checkpoints`.execute(trx), {
      checkpoints: exported,
    })
    expect(kinds(both)).toContain('table_truncated')
    expect(kinds(both)).toContain('checkpoint_missing')
    // Without an export nothing is left to compare with: what the file is for.
    expect(await verifyAfter((trx) => sql`TRUNCATE audit_log, audit_checkpoints`.execute(trx))).toMatchObject({
      ok: true,
      rows: 0,
    })
  })

  it('catches the newest row rewritten with its hash recomputed, plain, unkeyed or with another key, naming it', async () => {
    for (const [keyId, key] of [
      [auditKeyring(DEVELOPMENT_AUDIT_KEY).current.id, null],
      [null, null],
      [auditKeyring(DEVELOPMENT_AUDIT_KEY).current.id, 'a-guessed-key-of-at-least-32-characters'],
    ] as const) {
      let id = ''
      const result = await verifyAfter(async (trx) => {
        const newest = await newestRow(trx)
        id = newest.id
        await plainRewrite(newest, keyId, key).execute(trx)
      })
      expect(result.problems[0]).toMatchObject({ kind: 'row_rewritten', rowId: id })
      expect(result).toMatchObject({ ok: false, brokenAt: id })
    }
  })

  it('names a row that claims a key it does not hold', async () => {
    const result = await verifyAfter(async (trx) => {
      const newest = await newestRow(trx)
      await plainRewrite(newest, 'forged-key-id', 'a-guessed-key-of-at-least-32-characters').execute(trx)
    })
    expect(result.problems[0]).toMatchObject({ kind: 'row_rewritten' })
    expect(result.problems[0]!.message).toMatch(/key this process does not hold/)
  })

  it('catches a forged or changed checkpoint', async () => {
    const real = exported[exported.length - 1]!
    const result = await verifyAfter((trx) =>
      trx
        .insertInto('audit_checkpoints')
        .values({
          at: real.at,
          row_count: real.rows + 5,
          last_id: real.lastId + 5,
          head_hash: real.headHash,
          written_by: real.writtenBy,
          key_id: real.keyId,
          signature: real.signature,
        })
        .execute(),
    )
    expect(kinds(result)).toEqual(['checkpoint_forged'])
    const fromFile = await verifyAfter(async () => undefined, {
      checkpoints: [{ ...real, id: null, headHash: 'f'.repeat(64) }],
    })
    expect(kinds(fromFile)).toEqual(['checkpoint_forged'])
  })

  it('still verifies rows written before the key (plain SHA-256); the keyed chain continues from the last of them', async () => {
    let firstKeyed: { prev_hash: string } | undefined
    let lastLegacy = ''
    const result = await verifyAfter(async (trx) => {
      await sql`TRUNCATE audit_log, audit_checkpoints`.execute(trx)
      let previous = GENESIS_HASH
      for (const correlationId of ['legacy-1', 'legacy-2', 'legacy-3']) {
        const content = entry(correlationId)
        const hash = auditHash(previous, content, null)
        await sql`INSERT INTO audit_log (at, operation, action, record_type, record_ids, justification, correlation_id,
            outcome, prev_hash, hash) VALUES (${content.at}, ${content.operation}, ${content.action},
            ${content.recordType}, ${content.recordIds}, ${content.justification}, ${correlationId}, 'ok',
            ${previous}, ${hash})`.execute(trx)
        previous = hash
      }
      lastLegacy = previous
      await audit().append([entry('keyed-after-legacy')], trx)
      firstKeyed = await newestRow(trx)
      await audit().checkpoint('test', trx)
      await audit().append([entry('keyed-after-checkpoint')], trx)
    })
    expect(result).toMatchObject({ ok: true, rows: 5, legacyRows: 3, checkpoints: 1 })
    expect(firstKeyed!.prev_hash).toBe(lastLegacy)
  })

  it('verifies after a key rotation with the previous key kept, and names the rows of a key it does not hold', async () => {
    const newKey = 'the-next-audit-key-of-at-least-32-characters'
    const rotated = auditRepository(world.database.db, auditKeyring(newKey, [DEVELOPMENT_AUDIT_KEY]))
    expect(await verifyAfter(async () => undefined, { repository: rotated })).toMatchObject({ ok: true })
    const forgotten = auditRepository(world.database.db, auditKeyring(newKey))
    const result = await verifyAfter(async () => undefined, { repository: forgotten })
    expect(result.problems[0]!.message).toMatch(/AUDIT_PREVIOUS_KEYS/)
  })
})
