import { type Kysely, sql } from 'kysely'
import { type AuditContent, auditHash, GENESIS_HASH } from '../domain/audit'
import { insertRows } from './insert-rows'
import type { AuditRow, Database } from './schema'

const AUDIT_CHAIN_LOCK = 7261002

/** The most rows one group commit appends; the rest wait for the next. */
const GROUP_LIMIT = 500

export function auditRepository(db: Kysely<Database>) {
  // Group commit for audit rows written outside a transaction (reads): rows that arrive while a batch is being
  // written go together in the next one, so concurrent readers share one lock, one read of the last hash and one
  // commit instead of queueing for the lock one by one. Each caller still waits until its own row is committed.
  let waiting: { entry: AuditContent; resolve: () => void; reject: (error: unknown) => void }[] = []
  let writing = false
  const flush = async () => {
    writing = true
    while (waiting.length > 0) {
      const batch = waiting.slice(0, GROUP_LIMIT)
      waiting = waiting.slice(batch.length)
      try {
        await db.transaction().execute((trx) =>
          write(
            trx,
            batch.map((w) => w.entry),
          ),
        )
        for (const w of batch) w.resolve()
      } catch (error) {
        for (const w of batch) w.reject(error)
      }
    }
    writing = false
  }

  const write = async (trx: Kysely<Database>, entries: readonly AuditContent[]) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx)
    const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
    let previous = last?.hash ?? GENESIS_HASH
    const rows = entries.map((entry) => {
      const hash = auditHash(previous, entry)
      const row = {
        at: entry.at,
        actor_id: entry.actorId,
        actor_org: entry.actorOrg,
        actor_role: entry.actorRole,
        operation: entry.operation,
        action: entry.action,
        record_type: entry.recordType,
        record_ids: [...entry.recordIds],
        justification: entry.justification,
        correlation_id: entry.correlationId,
        result_count: entry.resultCount,
        outcome: entry.outcome,
        prev_hash: previous,
        hash,
      }
      previous = hash
      return row
    })
    await insertRows(trx, 'audit_log', rows)
  }

  return {
    /**
     * Appends rows to the hash chain. Pass the transaction handle when the audit belongs to a write, so the
     * record and its audit row commit together; otherwise the rows join the next group commit and this resolves
     * once they are committed. Appends take turns on an advisory lock to keep one chain across processes.
     */
    async append(entries: readonly AuditContent[], handle: Kysely<Database> = db): Promise<void> {
      if (entries.length === 0) return
      if (handle.isTransaction) return write(handle, entries)
      const committed = Promise.all(
        entries.map((entry) => new Promise<void>((resolve, reject) => waiting.push({ entry, resolve, reject }))),
      )
      if (!writing) void flush()
      await committed
    },

    /** Walks the chain in order, in pages, and returns the first row whose hash or link does not match. */
    async verify(): Promise<
      { ok: true; rows: number } | { ok: false; rows: number; brokenAt: string; reason: string }
    > {
      let previous = GENESIS_HASH
      let afterId = '0'
      let count = 0
      for (;;) {
        const page = await db
          .selectFrom('audit_log')
          .selectAll()
          .where(sql<boolean>`id > ${afterId}::bigint`)
          .orderBy('id')
          .limit(5000)
          .execute()
        if (page.length === 0) return { ok: true, rows: count }
        for (const row of page) {
          count++
          if (row.prev_hash !== previous)
            return {
              ok: false,
              rows: count,
              brokenAt: String(row.id),
              reason: 'previous hash does not match the row before',
            }
          const expected = auditHash(previous, contentOf(row))
          if (expected !== row.hash)
            return { ok: false, rows: count, brokenAt: String(row.id), reason: 'content does not match its hash' }
          previous = row.hash
          afterId = String(row.id)
        }
      }
    },

    /** The newest entries that touch a record, with the actor's name (one query, not one per row). */
    async forRecord(recordId: string, limit = 500): Promise<(AuditRow & { actor_name: string | null })[]> {
      return db
        .selectFrom('audit_log as a')
        .leftJoin('users as u', 'u.id', 'a.actor_id')
        .selectAll('a')
        .select('u.name as actor_name')
        .where(sql<boolean>`a.record_ids @> ARRAY[${recordId}]::text[]`)
        .orderBy('a.id', 'desc')
        .limit(limit)
        .execute()
    },
  }
}

export function contentOf(row: AuditRow): AuditContent {
  return {
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorOrg: row.actor_org,
    actorRole: row.actor_role,
    operation: row.operation as AuditContent['operation'],
    action: row.action,
    recordType: row.record_type,
    recordIds: row.record_ids,
    justification: row.justification,
    correlationId: row.correlation_id,
    resultCount: row.result_count,
    outcome: row.outcome,
  }
}

export type AuditRepository = ReturnType<typeof auditRepository>
