import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/** The six kinds of processing that section 62 of the Data Protection Act 2018 requires to be logged. */
export const AUDIT_OPERATIONS = [
  'collection',
  'alteration',
  'consultation',
  'disclosure',
  'combination',
  'erasure',
] as const
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number]

export const GENESIS_HASH = '0'.repeat(64)

/** What an audit row says. Never a copy of personal data: ids, names of actions and counts only. */
export interface AuditContent {
  at: string
  actorId: string | null
  actorOrg: string | null
  actorRole: string | null
  operation: AuditOperation
  action: string
  recordType: string
  recordIds: readonly string[]
  justification: string
  correlationId: string | null
  resultCount: number | null
  outcome: string
}

/**
 * The secrets the chain is keyed with: the current key signs new rows and checkpoints; previous keys (after a
 * rotation) only verify what they signed. A key is known by its id, a fingerprint that does not reveal it.
 */
export interface AuditKeyring {
  current: { id: string; secret: string }
  byId: ReadonlyMap<string, string>
}

export function auditKeyId(secret: string): string {
  return createHmac('sha256', secret).update('casebridge audit key id').digest('hex').slice(0, 16)
}

export function auditKeyring(current: string, previous: readonly string[] = []): AuditKeyring {
  const byId = new Map<string, string>()
  for (const secret of [...previous, current]) byId.set(auditKeyId(secret), secret)
  return { current: { id: auditKeyId(current), secret: current }, byId }
}

/**
 * Each row's hash covers its content and the previous row's hash, so a changed or removed row breaks the chain.
 * Keyed (decision 0029): an HMAC-SHA-256 with the audit key, so someone who can write to the table but does not
 * hold the key cannot recompute it. Rows written before the key (migration 0018) have a plain SHA-256: `key` null.
 */
export function auditHash(previousHash: string, content: AuditContent, key: string | null): string {
  const canonical = JSON.stringify([
    previousHash,
    content.at,
    content.actorId,
    content.actorOrg,
    content.actorRole,
    content.operation,
    content.action,
    content.recordType,
    [...content.recordIds],
    content.justification,
    content.correlationId,
    content.resultCount,
    content.outcome,
  ])
  return (key === null ? createHash('sha256') : createHmac('sha256', key)).update(canonical).digest('hex')
}

/**
 * A signed statement of the chain's head at a moment: how many rows, the last row's id and hash. Kept outside
 * audit_log (the audit_checkpoints table, the application log, an exported file) so that rows deleted from the
 * end, a truncated table or a rewritten chain no longer match it.
 */
export interface AuditCheckpoint {
  /** The checkpoint's row in audit_checkpoints (null before it is written). */
  id: number | null
  at: string
  rows: number
  /** The id of the last row (0 when the log is empty). */
  lastId: number
  headHash: string
  writtenBy: string
  keyId: string
  signature: string
}

const checkpointCanonical = (c: Omit<AuditCheckpoint, 'id' | 'signature'>) =>
  JSON.stringify(['casebridge audit checkpoint', c.at, c.rows, c.lastId, c.headHash, c.writtenBy, c.keyId])

export function signAuditCheckpoint(
  keyring: AuditKeyring,
  head: { at: string; rows: number; lastId: number; headHash: string; writtenBy: string },
): AuditCheckpoint {
  const unsigned = { ...head, keyId: keyring.current.id }
  const signature = createHmac('sha256', keyring.current.secret).update(checkpointCanonical(unsigned)).digest('hex')
  return { id: null, ...unsigned, signature }
}

/** Whether a checkpoint was signed by one of the keys held; a changed field or an unknown key is false. */
export function auditCheckpointSigned(keyring: AuditKeyring, checkpoint: AuditCheckpoint): boolean {
  const secret = keyring.byId.get(checkpoint.keyId)
  if (!secret || !/^[0-9a-f]{64}$/.test(checkpoint.signature)) return false
  const expected = createHmac('sha256', secret).update(checkpointCanonical(checkpoint)).digest()
  return timingSafeEqual(expected, Buffer.from(checkpoint.signature, 'hex'))
}
