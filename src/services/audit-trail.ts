import type { Kysely } from 'kysely'
import type { AuditRepository } from '../data/audit-repository'
import type { Database } from '../data/schema'
import type { AuditOperation } from '../domain/audit'
import type { RequestContext } from './context'

export interface AuditEntry {
  operation: AuditOperation
  action: string
  recordType: string
  recordIds: readonly string[]
  resultCount?: number
  outcome?: 'ok' | 'not_found_or_out_of_scope' | 'forbidden'
}

export function auditTrail(repository: AuditRepository) {
  return {
    async record(
      ctx: RequestContext | { user: null; purpose: string; correlationId: string },
      entry: AuditEntry,
      handle?: Kysely<Database>,
    ) {
      await repository.append(
        [
          {
            at: new Date().toISOString(),
            actorId: ctx.user?.id ?? null,
            actorOrg: ctx.user?.orgCode ?? null,
            actorRole: ctx.user ? ctx.user.roles.join(',') : null,
            operation: entry.operation,
            action: entry.action,
            recordType: entry.recordType,
            recordIds: entry.recordIds,
            justification: ctx.purpose,
            correlationId: ctx.correlationId,
            resultCount: entry.resultCount ?? null,
            outcome: entry.outcome ?? 'ok',
          },
        ],
        handle,
      )
    },
  }
}

export type AuditTrail = ReturnType<typeof auditTrail>
