import type { Kysely } from 'kysely'
import type { AuditRepository } from '../data/audit-repository'
import type { Database } from '../data/schema'
import type { AuditContent, AuditOperation } from '../domain/audit'
import type { RequestContext } from './context'

export interface AuditEntry {
  operation: AuditOperation
  action: string
  recordType: string
  recordIds: readonly string[]
  resultCount?: number
  outcome?: 'ok' | 'not_found_or_out_of_scope' | 'forbidden'
}

export type AuditContext = RequestContext | { user: null; purpose: string; correlationId: string }

const contentOf = (ctx: AuditContext, entry: AuditEntry): AuditContent => ({
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
})

export function auditTrail(repository: AuditRepository) {
  return {
    async record(ctx: AuditContext, entry: AuditEntry, handle?: Kysely<Database>) {
      await repository.append([contentOf(ctx, entry)], handle)
    },
    /** Many rows at once, in order (the bulk generator's, one for each report and event, as the services write). */
    async recordAll(items: readonly { ctx: AuditContext; entry: AuditEntry }[], handle?: Kysely<Database>) {
      await repository.append(
        items.map((i) => contentOf(i.ctx, i.entry)),
        handle,
      )
    },
  }
}

export type AuditTrail = ReturnType<typeof auditTrail>
