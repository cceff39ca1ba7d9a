import { type Kysely, sql } from 'kysely'
import {
  type AuditCheckpoint,
  auditCheckpointSigned,
  type AuditContent,
  auditHash,
  type AuditKeyring,
  GENESIS_HASH,
  signAuditCheckpoint,
} from '../domain/audit'
import { insertRows } from './insert-rows'
import type { AuditRow, Database } from './schema'

const AUDIT_CHAIN_LOCK = 7261002

/** The most rows one group commit appends; the rest wait for the next. */
const GROUP_LIMIT = 500

/** What `audit verify` can find, each named: the kinds of tampering a keyed, anchored chain catches (decision 0029). */
export type AuditProblemKind =
  | 'row_rewritten'
  | 'rows_missing'
  | 'rows_deleted_from_end'
  | 'table_truncated'
  | 'checkpoint_forged'
  | 'checkpoint_missing'

export interface AuditProblem {
  kind: AuditProblemKind
  /** The audit_log row it concerns, when there is one. */
  rowId?: string
  message: string
}

export interface AuditVerification {
  ok: boolean
  /** Rows walked (up to the first broken row, when there is one). */
  rows: number
  lastId: number
  headHash: string
  /** Rows with a plain SHA-256 hash, written before the chain was keyed. */
  legacyRows: number
  /** Checkpoints with a good signature that were compared with the chain. */
  checkpoints: number
  problems: AuditProblem[]
  /** The first broken row and why (kept from before checkpoints: the first row problem). */
  brokenAt?: string
  reason?: string
}

const checkpointIdentity = (c: AuditCheckpoint) =>
  JSON.stringify([c.at, c.rows, c.lastId, c.headHash, c.writtenBy, c.keyId, c.signature])
const checkpointLabel = (c: AuditCheckpoint) => (c.id === null ? `of ${c.at}` : `${c.id} of ${c.at}`)

export function auditRepository(db: Kysely<Database>, keyring: AuditKeyring) {
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
    // The keyed chain continues from whatever row is last, a legacy (plain SHA-256) one included.
    let previous = last?.hash ?? GENESIS_HASH
    const rows = entries.map((entry) => {
      const hash = auditHash(previous, entry, keyring.current.secret)
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
        key_id: keyring.current.id,
      }
      previous = hash
      return row
    })
    await insertRows(trx, 'audit_log', rows)
  }

  const storedCheckpoints = async (handle: Kysely<Database>): Promise<AuditCheckpoint[]> => {
    const rows = await handle.selectFrom('audit_checkpoints').selectAll().orderBy('id').execute()
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      rows: Number(r.row_count),
      lastId: Number(r.last_id),
      headHash: r.head_hash,
      writtenBy: r.written_by,
      keyId: r.key_id,
      signature: r.signature,
    }))
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

    /**
     * Signs the chain's head (row count, last id and hash) and stores it in audit_checkpoints. One statement reads
     * the head, so it sees a whole number of appends: appends commit one after another under the chain's lock.
     */
    async checkpoint(writtenBy: string, handle: Kysely<Database> = db): Promise<AuditCheckpoint> {
      const { rows } = await sql<{ row_count: string; last_id: string | null; hash: string | null }>`
        SELECT (SELECT count(*) FROM audit_log) AS row_count, l.id AS last_id, l.hash
        FROM (SELECT 1) AS one LEFT JOIN (SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1) AS l ON true`.execute(
        handle,
      )
      const head = rows[0]!
      const checkpoint = signAuditCheckpoint(keyring, {
        at: new Date().toISOString(),
        rows: Number(head.row_count),
        lastId: Number(head.last_id ?? 0),
        headHash: head.hash ?? GENESIS_HASH,
        writtenBy,
      })
      const { id } = await handle
        .insertInto('audit_checkpoints')
        .values({
          at: checkpoint.at,
          row_count: checkpoint.rows,
          last_id: checkpoint.lastId,
          head_hash: checkpoint.headHash,
          written_by: checkpoint.writtenBy,
          key_id: checkpoint.keyId,
          signature: checkpoint.signature,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return { ...checkpoint, id: Number(id) }
    },

    /** Every stored checkpoint, oldest first. */
    checkpoints: (handle: Kysely<Database> = db) => storedCheckpoints(handle),

    /**
     * Walks the chain in order, in pages: each row's HMAC (plain SHA-256 for rows from before the key) and its link
     * to the row before, stopping at the first broken row. Then compares every checkpoint with a good signature
     * (stored, and any given from an exported file) with the chain: a checkpoint's head must be in the chain with
     * the same count and hash, so rows deleted from the end or a truncated table are caught.
     */
    async verify(
      options: { checkpoints?: readonly AuditCheckpoint[]; handle?: Kysely<Database> } = {},
    ): Promise<AuditVerification> {
      const handle = options.handle ?? db
      const problems: AuditProblem[] = []
      const stored = await storedCheckpoints(handle)
      const known = new Set(stored.map(checkpointIdentity))
      const all = [...stored]
      for (const c of options.checkpoints ?? []) {
        if (known.has(checkpointIdentity(c))) continue
        known.add(checkpointIdentity(c))
        all.push(c)
        if (auditCheckpointSigned(keyring, c))
          problems.push({
            kind: 'checkpoint_missing',
            message: `Checkpoint ${checkpointLabel(c)} (${c.rows} rows up to row ${c.lastId}) was exported but is not in audit_checkpoints: checkpoints were deleted.`,
          })
      }
      const trusted: AuditCheckpoint[] = []
      for (const c of all) {
        if (auditCheckpointSigned(keyring, c)) trusted.push(c)
        else
          problems.push({
            kind: 'checkpoint_forged',
            message: keyring.byId.has(c.keyId)
              ? `Checkpoint ${checkpointLabel(c)} has a bad signature: it was forged or changed.`
              : `Checkpoint ${checkpointLabel(c)} is signed with a key this process does not hold (key id ${c.keyId}): it was forged, or set AUDIT_PREVIOUS_KEYS to the key it was signed with.`,
          })
      }
      const atRow = new Map<number, AuditCheckpoint[]>()
      for (const c of trusted) if (c.rows > 0) atRow.set(c.lastId, [...(atRow.get(c.lastId) ?? []), c])
      // Every row after the first checkpoint was written with the key (checkpoints came with it): a plain hash
      // there is a rewrite, as is one after a keyed row.
      const keyedAfter = trusted.length > 0 ? Math.min(...trusted.map((c) => c.lastId)) : Infinity

      let previous = GENESIS_HASH
      let afterId = '0'
      let count = 0
      let lastId = 0
      let legacyRows = 0
      let keyedSeen = false
      let rowProblem: AuditProblem | null = null
      const matched = new Set<AuditCheckpoint>()
      walk: for (;;) {
        const page = await handle
          .selectFrom('audit_log')
          .selectAll()
          .where(sql<boolean>`id > ${afterId}::bigint`)
          .orderBy('id')
          .limit(5000)
          .execute()
        if (page.length === 0) break
        for (const row of page) {
          count++
          const id = Number(row.id)
          const rowId = String(row.id)
          const key = row.key_id === null ? null : keyring.byId.get(row.key_id)
          if (key === undefined) {
            rowProblem = {
              kind: 'row_rewritten',
              rowId,
              message: `Row ${rowId} is signed with a key this process does not hold (key id ${row.key_id}): it was rewritten, or set AUDIT_PREVIOUS_KEYS to the key it was signed with.`,
            }
            break walk
          }
          if (key === null && (keyedSeen || id > keyedAfter)) {
            rowProblem = {
              kind: 'row_rewritten',
              rowId,
              message: `Row ${rowId} has an unkeyed hash after keyed rows: it was rewritten.`,
            }
            break walk
          }
          if (auditHash(row.prev_hash, contentOf(row), key) !== row.hash) {
            rowProblem = {
              kind: 'row_rewritten',
              rowId,
              message: `Row ${rowId} does not match its hash: it was rewritten.`,
            }
            break walk
          }
          if (row.prev_hash !== previous) {
            rowProblem = {
              kind: 'rows_missing',
              rowId,
              message: `Row ${rowId} does not follow the row before it (row ${lastId}): rows between were deleted or rewritten.`,
            }
            break walk
          }
          for (const c of atRow.get(id) ?? []) {
            matched.add(c)
            if (c.headHash !== row.hash)
              problems.push({
                kind: 'row_rewritten',
                rowId,
                message: `The chain up to row ${rowId} does not match checkpoint ${checkpointLabel(c)}: rows up to it were rewritten.`,
              })
            else if (c.rows !== count)
              problems.push({
                kind: 'rows_missing',
                rowId,
                message: `Checkpoint ${checkpointLabel(c)} counted ${c.rows} rows up to row ${rowId}; the chain has ${count}: rows were deleted.`,
              })
          }
          if (key === null) legacyRows++
          else keyedSeen = true
          previous = row.hash
          lastId = id
          afterId = rowId
        }
      }
      if (rowProblem) problems.unshift(rowProblem)
      else {
        // The newest checkpoint whose head row was never reached says what is gone.
        const unmatched = trusted.filter((c) => c.rows > 0 && !matched.has(c)).sort((a, b) => b.lastId - a.lastId)[0]
        if (unmatched && count === 0)
          problems.push({
            kind: 'table_truncated',
            message: `The audit log is empty but checkpoint ${checkpointLabel(unmatched)} recorded ${unmatched.rows} rows up to row ${unmatched.lastId}: the table was truncated.`,
          })
        else if (unmatched && unmatched.lastId > lastId)
          problems.push({
            kind: 'rows_deleted_from_end',
            rowId: String(unmatched.lastId),
            message: `The chain ends at row ${lastId} (${count} rows) but checkpoint ${checkpointLabel(unmatched)} recorded ${unmatched.rows} rows up to row ${unmatched.lastId}: rows were deleted from the end.`,
          })
        else if (unmatched)
          problems.push({
            kind: 'rows_deleted_from_end',
            rowId: String(unmatched.lastId),
            message: `Row ${unmatched.lastId}, the head of checkpoint ${checkpointLabel(unmatched)}, is not in the chain: rows were deleted from the end and the chain went on after them.`,
          })
      }
      return {
        ok: problems.length === 0,
        rows: count,
        lastId,
        headHash: previous,
        legacyRows,
        checkpoints: trusted.length,
        problems,
        ...(rowProblem && {
          brokenAt: rowProblem.rowId,
          reason:
            rowProblem.kind === 'rows_missing'
              ? 'previous hash does not match the row before'
              : 'content does not match its hash',
        }),
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
