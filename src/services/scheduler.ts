import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Repositories } from '../data'
import { SYSTEM_USER_ID } from '../data/reference'
import { finalisationAllowedFrom, resolveLadder, stepsReached } from '../domain/escalation'
import { isRealDate } from '../domain/fields'
import type { Role } from '../domain/roles'
import type { AuditTrail } from './audit-trail'
import type { CalendarService } from './calendar'
import type { CasesService } from './cases'
import { invalid } from './errors'
import type { NotificationsService } from './notifications'
import { coveringUnit, taskOrg } from './work-queue'

const SCHEDULER_LOCK = 7261003

/**
 * The scheduled job: climbs the escalation ladder for overdue action plan items, administratively finalises the
 * cases whose ladder has run out once the finalisation period has passed (when configured), and sends waiting
 * emails. Safe to run from several processes at once: escalations take turns on an advisory lock and each step is
 * recorded once (unique item and step); a finalisation is one idempotency key per case and plan; emails are claimed
 * with SKIP LOCKED. `casebridge tick --now DATE` runs it for a chosen day.
 */
export function schedulerService(
  repos: Repositories,
  audit: AuditTrail,
  calendar: CalendarService,
  cases: CasesService,
  notifications: NotificationsService,
  options: { scheduledFinalisation: boolean; adminFinalisationMonths: number; publicUrl: string },
) {
  /**
   * Cases at the action plan stage with an open item that has reached the last step of its ladder, and a plan set
   * at least the finalisation period ago: the service finalises them with reasons naming what was asked and done.
   */
  async function finaliseExhausted(today: string): Promise<number> {
    const { ladders } = await calendar.current()
    const candidates = await repos.db
      .selectFrom('action_plan_items as i')
      .innerJoin('cases as c', 'c.id', 'i.case_id')
      .innerJoin('escalations as e', 'e.item_id', 'i.id')
      .select([
        'c.id',
        'c.force_code',
        'c.area_code',
        'i.number',
        'i.due_on',
        'i.set_on',
        'e.step',
        'e.due_on as reached_on',
      ])
      .where('c.stage', '=', 'action_plan')
      .where('i.status', '=', 'open')
      .orderBy('c.id')
      .orderBy('i.number')
      .execute()
    let done = 0
    const seen = new Set<string>()
    for (const row of candidates) {
      if (seen.has(row.id)) continue
      const ladder = resolveLadder(ladders, row.force_code, row.area_code).steps
      const last = ladder[ladder.length - 1]!
      if (row.step !== last.id) continue
      const allowedFrom = finalisationAllowedFrom(row.set_on, options.adminFinalisationMonths)
      if (allowedFrom > today) continue
      seen.add(row.id)
      const result = await cases.applySystemEvent(
        row.id,
        'administratively_finalise',
        {
          reasons:
            `Finalised by the scheduled job. Action plan item ${row.number} was due on ${row.due_on} and has not been answered. ` +
            `Every step of the escalation ladder was taken, the last (${last.title.toLowerCase()}) on ${row.reached_on}, ` +
            `and the finalisation period of ${options.adminFinalisationMonths} months from the plan set on ${row.set_on} passed on ${allowedFrom}. ` +
            'The case can be reopened when the police resubmit it.',
        },
        {
          purpose: 'Scheduled administrative finalisation after the escalation ladder ran out',
          correlationId: `tick:${today}`,
          idempotencyKey: `scheduled-finalisation:${row.id}:${row.set_on}:${row.number}`,
          today,
        },
      )
      if (result) done++
    }
    return done
  }

  return {
    finaliseExhausted,

    async tick(
      today: string,
    ): Promise<{ escalations: number; finalised: number; emailsSent: number; measuresRefreshed: number }> {
      if (!isRealDate(today)) throw invalid({ now: 'Enter a real date in the form YYYY-MM-DD' })
      const { calendar: workingDays, ladders } = await calendar.current()
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
        const ladder = resolveLadder(ladders, item.force_code, item.area_code).steps
        for (const reached of stepsReached(item.due_on, today, workingDays, ladder)) {
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
              const orgCode = await taskOrg({ coveringUnit: (force) => coveringUnit(trx, force) }, role, item)
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
                  opened_seq: null,
                  closed_seq: null,
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
                    body: `${title}. Open the case in Casebridge to answer it: ${options.publicUrl}/cases/${item.case_id}`,
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
      const finalised = options.scheduledFinalisation ? await finaliseExhausted(today) : 0
      const { sent } = await notifications.dispatch()
      // Joint performance: clocks that passed their date since a case's last event (decision 0023).
      const measuresRefreshed = await cases.refreshMeasuresDue()
      return { escalations: created, finalised, emailsSent: sent, measuresRefreshed }
    },
  }
}

export type SchedulerService = ReturnType<typeof schedulerService>
