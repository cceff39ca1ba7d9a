import { createHash } from 'node:crypto'

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

/** Each row's hash covers its content and the previous row's hash, so a changed or removed row breaks the chain. */
export function auditHash(previousHash: string, content: AuditContent): string {
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
  return createHash('sha256').update(canonical).digest('hex')
}
