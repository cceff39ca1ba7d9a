import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Repositories } from '../data'
import { SYSTEM_USER_ID } from '../data/reference'
import type { CaseRow } from '../data/schema'
import { type LadderStep, resolveLadder, stepsReached } from '../modules/pre-charge/escalation'
import { finalisationAllowedFrom } from '../core/calendar'
import { isRealDate } from '../core/fields'
import type { Role } from '../core/roles'
import type { AuditCheckpoint } from '../domain/audit'
import type { AuditCheckpointsService } from './audit-checkpoints'
import type { AuditTrail } from './audit-trail'
import type { CalendarService } from './calendar'
import { type CaseStore, databaseStore } from './case/store'
import type { CasesService } from './case'
import { invalid } from './errors'
import type { NotificationsService } from './notifications'
import { taskOrg } from './work-queue'

const SCHEDULER_LOCK = 7261003

/**
 * The scheduled job: climbs the escalation ladder for overdue action plan items, administratively finalises the
 * cases whose ladder has run out once the finalisation period has passed (when configured), and sends waiting
 * emails. Safe to run from several processes at once: escalations take turns on an advisory lock and each step is
 * recorded once (unique item and step); a finalisation is one idempotency key per case and plan; emails are claimed
 * with SKIP LOCKED. Each run ends with a signed checkpoint of the audit chain's head. `casebridge tick --now DATE`
 * runs it for a chosen day.
 */
export function schedulerService(
  repos: Repositories,
  audit: AuditTrail,
  calendar: CalendarService,
  cases: CasesService,
  notifications: NotificationsService,
  options: { scheduledFinalisation: boolean; adminFinalisationMonths: number; publicUrl: string },
  auditCheckpoints: AuditCheckpointsService,
) {
  /** The reasons the scheduled job gives for finalising a case: what was asked, what was done, and when. */
  const finalisationReasons = (
    item: { number: number; due_on: string; set_on: string },
    last: LadderStep,
    reachedOn: string,
    allowedFrom: string,
  ) =>
    `Finalised by the scheduled job. Action plan item ${item.number} was due on ${item.due_on} and has not been answered. ` +
    `Every step of the escalation ladder was taken, the last (${last.title.toLowerCase()}) on ${reachedOn}, ` +
    `and the finalisation period of ${options.adminFinalisationMonths} months from the plan set on ${item.set_on} passed on ${allowedFrom}. ` +
    'The case can be reopened when the police resubmit it.'

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
        { reasons: finalisationReasons(row, last, row.reached_on, allowedFrom) },
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

  /**
   * One step of the escalation ladder reached by an overdue item, through the case store (the database, or the
   * generator's memory): the step's row (once per item and step), a task for each of its roles with, when `notify`,
   * an email and an in-app notice (URNs and links only), a timeline row under the service's account, and the audit
   * row. Null when the step was already taken. The case row must be locked.
   */
  async function escalateItem(
    store: CaseStore,
    row: CaseRow,
    item: { id: string; number: number; owner_role: string },
    reached: { step: LadderStep; index: number; reachedOn: string },
    how: { correlationId: string; notify: boolean; at?: Date },
  ): Promise<CaseRow | null> {
    if ((await store.select('escalations', { item_id: item.id, step: reached.step.id })).length) return null
    const [inserted] = await store.insert('escalations', [
      {
        id: randomUUID(),
        case_id: row.id,
        item_id: item.id,
        step: reached.step.id,
        step_index: reached.index,
        due_on: reached.reachedOn,
      },
    ])
    const roles = [...new Set(reached.step.roles.map((r) => (r === 'owner' ? (item.owner_role as Role) : r)))]
    for (const role of roles) {
      const orgCode = await taskOrg(store, role, row)
      const taskId = randomUUID()
      const title = `${reached.step.title} (case ${row.urn}, item ${item.number})`
      await store.insert('tasks', [
        {
          id: taskId,
          case_id: row.id,
          escalation_id: inserted!.id,
          kind: 'action_plan_escalation',
          role,
          org_code: orgCode,
          title,
          due_on: reached.reachedOn,
          done_at: null,
          opened_seq: null,
          closed_seq: null,
        },
      ])
      if (!how.notify) continue
      if (!store.sql) throw new Error('Notifications are queued only in the database')
      await store.sql
        .insertInto('notification_outbox')
        .values(
          (['email', 'in_app'] as const).map((channel) => ({
            id: randomUUID(),
            task_id: taskId,
            recipient_role: role,
            org_code: orgCode,
            channel,
            subject: reached.step.title,
            body: `${title}. Open the case in Casebridge to answer it: ${options.publicUrl}/cases/${row.id}`,
            sent_at: null,
          })),
        )
        .execute()
    }
    await store.insert('case_events', [
      {
        case_id: row.id,
        seq: row.version + 1,
        type: 'escalate_action_item',
        definition_version: 1,
        actor_id: SYSTEM_USER_ID,
        actor_role: 'system',
        actor_org: 'casebridge-service',
        summary: `Action plan item ${item.number} escalated: ${reached.step.title.toLowerCase()}`,
        data: JSON.stringify({ itemNumber: item.number, step: reached.step.id, reachedOn: reached.reachedOn, roles }),
        stage_before: row.stage,
        stage_after: row.stage,
        idempotency_key: `escalation:${inserted!.id}`,
        ...(how.at && { occurred_at: how.at }),
      },
    ])
    const [updated] = await store.update(
      'cases',
      { id: row.id, version: row.version },
      { version: row.version + 1, updated_at: new Date() },
    )
    await store.audit(
      { user: null, purpose: 'Scheduled escalation of an overdue action plan item', correlationId: how.correlationId },
      { operation: 'alteration', action: 'escalate_action_item', recordType: 'case', recordIds: [row.id] },
    )
    return updated!
  }

  return {
    finaliseExhausted,

    /**
     * The scheduled job's work on one case as of a day, through the store: each ladder step its open overdue items
     * have reached (dated the day reached), then, when configured, administrative finalisation. The synthetic data
     * generator's "tick" step, which queues no notifications (its users are not people).
     */
    async tickCase(
      store: CaseStore,
      row: CaseRow,
      today: string,
      settings: Awaited<ReturnType<CalendarService['current']>>,
      at: (on: string, seq: number) => Date,
    ): Promise<CaseRow> {
      const ladder = resolveLadder(settings.ladders, row.force_code, row.area_code).steps
      if (row.stage !== 'action_plan' && row.stage !== 'investigation') return row
      const items = (await store.select('action_plan_items', { case_id: row.id, status: 'open' }))
        .filter((i) => i.due_on <= today)
        .sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : 0))
      const correlationId = `tick:${today}`
      for (const item of items)
        for (const reached of stepsReached(item.due_on, today, settings.calendar, ladder))
          row =
            (await escalateItem(store, row, item, reached, {
              correlationId,
              notify: false,
              at: at(reached.reachedOn, row.version),
            })) ?? row
      if (!options.scheduledFinalisation || row.stage !== 'action_plan') return row
      const last = ladder[ladder.length - 1]!
      for (const item of items) {
        const [reached] = await store.select('escalations', { item_id: item.id, step: last.id })
        const allowedFrom = finalisationAllowedFrom(item.set_on, options.adminFinalisationMonths)
        if (!reached || allowedFrom > today) continue
        const result = await cases.systemEventIn(
          store,
          row,
          'administratively_finalise',
          { reasons: finalisationReasons(item, last, reached.due_on, allowedFrom) },
          {
            purpose: 'Scheduled administrative finalisation after the escalation ladder ran out',
            correlationId,
            idempotencyKey: `scheduled-finalisation:${row.id}:${item.set_on}:${item.number}`,
            today,
            at: at(today, row.version),
          },
          settings,
        )
        return result?.row ?? row
      }
      return row
    },

    async tick(today: string): Promise<{
      escalations: number
      finalised: number
      emailsSent: number
      measuresRefreshed: number
      auditCheckpoint: AuditCheckpoint
    }> {
      if (!isRealDate(today)) throw invalid({ now: 'Enter a real date in the form YYYY-MM-DD' })
      const { calendar: workingDays, ladders } = await calendar.current()
      const items = await repos.db
        .selectFrom('action_plan_items as i')
        .innerJoin('cases as c', 'c.id', 'i.case_id')
        .select(['i.id', 'i.case_id', 'i.number', 'i.owner_role', 'i.due_on', 'c.force_code', 'c.area_code'])
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
            const row = await repos.cases.lockForUpdate(trx, item.case_id)
            if (!row) return false
            const store = databaseStore(trx, repos.cases, audit)
            return (
              (await escalateItem(store, row, item, reached, { correlationId: `tick:${today}`, notify: true })) !== null
            )
          })
          if (done) created++
        }
      }
      const finalised = options.scheduledFinalisation ? await finaliseExhausted(today) : 0
      const { sent } = await notifications.dispatch()
      // Joint performance: clocks that passed their date since a case's last event (decision 0023).
      const measuresRefreshed = await cases.refreshMeasuresDue()
      // Anchors the audit chain's head outside audit_log each run (decision 0029); the server logs it too.
      const auditCheckpoint = await auditCheckpoints.write('scheduler')
      return { escalations: created, finalised, emailsSent: sent, measuresRefreshed, auditCheckpoint }
    },
  }
}

export type SchedulerService = ReturnType<typeof schedulerService>
