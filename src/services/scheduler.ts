import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Repositories } from '../data'
import { SYSTEM_USER_ID } from '../data/reference'
import { DEFAULT_LADDER, POLICE_ROLES, stepsReached } from '../domain/escalation'
import { isRealDate } from '../domain/fields'
import type { Role } from '../domain/roles'
import type { AuditTrail } from './audit-trail'
import type { CalendarService } from './calendar'
import { invalid } from './errors'

const SCHEDULER_LOCK = 7261003

/**
 * The scheduled job: climbs the escalation ladder for overdue action plan items. Safe to run from several
 * processes at once: runs take turns on an advisory lock, and each step is recorded once (unique item and step),
 * so a step already taken is never taken again. `casebridge tick --now DATE` runs it for a chosen day.
 */
export function schedulerService(repos: Repositories, audit: AuditTrail, calendar: CalendarService) {
  return {
    async tick(today: string): Promise<{ escalations: number }> {
      if (!isRealDate(today)) throw invalid({ now: 'Enter a real date in the form YYYY-MM-DD' })
      const { calendar: workingDays } = await calendar.current()
      const items = await repos.db
        .selectFrom('action_plan_items as i')
        .innerJoin('cases as c', 'c.id', 'i.case_id')
        .select(['i.id', 'i.case_id', 'i.number', 'i.owner_role', 'i.due_on', 'c.force_code', 'c.area_code', 'c.urn'])
        .where('i.status', '=', 'open')
        .where('i.due_on', '<=', today)
        .where('c.stage', 'in', ['action_plan', 'investigation'])
        .orderBy('i.due_on')
        .execute()
      let created = 0
      for (const item of items) {
        for (const reached of stepsReached(item.due_on, today, workingDays)) {
          const done = await repos.db.transaction().execute(async (trx) => {
            await sql`SELECT pg_advisory_xact_lock(${SCHEDULER_LOCK})`.execute(trx)
            const inserted = await trx
              .insertInto('escalations')
              .values({
                id: randomUUID(),
                case_id: item.case_id,
                item_id: item.id,
                step: reached.step.id,
                step_index: reached.index,
                due_on: reached.reachedOn,
              })
              .onConflict((oc) => oc.columns(['item_id', 'step']).doNothing())
              .returning('id')
              .executeTakeFirst()
            if (!inserted) return false
            const roles = [...new Set(reached.step.roles.map((r) => (r === 'owner' ? (item.owner_role as Role) : r)))]
            for (const role of roles) {
              const orgCode = POLICE_ROLES.includes(role) ? item.force_code : item.area_code
              const taskId = randomUUID()
              const title = `${reached.step.title} (case ${item.urn}, item ${item.number})`
              await trx
                .insertInto('tasks')
                .values({
                  id: taskId,
                  case_id: item.case_id,
                  escalation_id: inserted.id,
                  kind: 'action_plan_escalation',
                  role,
                  org_code: orgCode,
                  title,
                  due_on: reached.reachedOn,
                  done_at: null,
                })
                .execute()
              await trx
                .insertInto('notification_outbox')
                .values(
                  (['email', 'in_app'] as const).map((channel) => ({
                    id: randomUUID(),
                    task_id: taskId,
                    recipient_role: role,
                    org_code: orgCode,
                    channel,
                    subject: reached.step.title,
                    body: `${title}. Open the case in Casebridge to answer it.`,
                    sent_at: null,
                  })),
                )
                .execute()
            }
            const row = await trx
              .selectFrom('cases')
              .select('version')
              .where('id', '=', item.case_id)
              .forUpdate()
              .executeTakeFirstOrThrow()
            const stage = (
              await trx.selectFrom('cases').select('stage').where('id', '=', item.case_id).executeTakeFirstOrThrow()
            ).stage
            await trx
              .insertInto('case_events')
              .values({
                case_id: item.case_id,
                seq: row.version + 1,
                type: 'escalate_action_item',
                definition_version: 1,
                actor_id: SYSTEM_USER_ID,
                actor_role: 'system',
                actor_org: 'casebridge-service',
                summary: `Action plan item ${item.number} escalated: ${reached.step.title.toLowerCase()}`,
                data: JSON.stringify({
                  itemNumber: item.number,
                  step: reached.step.id,
                  reachedOn: reached.reachedOn,
                  roles,
                }),
                stage_before: stage,
                stage_after: stage,
                idempotency_key: `escalation:${inserted.id}`,
              })
              .execute()
            await trx
              .updateTable('cases')
              .set({ version: row.version + 1, updated_at: new Date() })
              .where('id', '=', item.case_id)
              .execute()
            await audit.record(
              {
                user: null,
                purpose: 'Scheduled escalation of an overdue action plan item',
                correlationId: `tick:${today}`,
              },
              {
                operation: 'alteration',
                action: 'escalate_action_item',
                recordType: 'case',
                recordIds: [item.case_id],
              },
              trx,
            )
            return true
          })
          if (done) created++
        }
      }
      return { escalations: created }
    },

    /** Open tasks for the roles a person holds in their organisation, soonest first. */
    async tasksFor(user: { orgCode: string; roles: readonly Role[] }) {
      if (user.roles.length === 0) return []
      return repos.db
        .selectFrom('tasks as t')
        .innerJoin('cases as c', 'c.id', 't.case_id')
        .select([
          't.id',
          't.case_id',
          't.kind',
          't.role',
          't.title',
          't.due_on',
          't.created_at',
          'c.urn',
          'c.restricted',
        ])
        .where('t.org_code', '=', user.orgCode)
        .where('t.role', 'in', [...user.roles])
        .where('t.done_at', 'is', null)
        .where('c.restricted', '=', false)
        .orderBy('t.due_on')
        .limit(500)
        .execute()
    },

    ladder: () => DEFAULT_LADDER,
  }
}

export type SchedulerService = ReturnType<typeof schedulerService>
