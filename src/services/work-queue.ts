import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { z } from 'zod'
import type { Repositories } from '../data'
import { visible } from '../data/cases-repository'
import type { CaseRow } from '../data/schema'
import type { Clock } from '../core/clocks'
import { fieldErrors, todayIso } from '../core/fields'
import { POLICE_ROLES, type Role } from '../core/roles'
import { caseAccessRules } from '../core/scope'
import { TASK_VIEWS, type TaskKind, type TaskKindId, type TaskView, TEAM_VIEW_ROLES } from '../core/tasks'
import { DECISION_TASK_KINDS, TASK_KIND_IDS, TASK_KINDS, taskDue } from '../modules/registry'
import type { AuditTrail } from './audit-trail'
import type { CaseStore } from './case/store'
import type { RequestContext } from './context'
import { AppError, invalid } from './errors'

/** Task kinds that are open exactly while one of their clocks runs. */
const CLOCK_DRIVEN = TASK_KIND_IDS.filter((kind) => (TASK_KINDS[kind] as TaskKind).whileClocksRun)
/** Kinds that outlive the case: telling a complainant of the decision or sentence that finalised it. */
const AFTER_FINALISATION = TASK_KIND_IDS.filter((kind) => (TASK_KINDS[kind] as TaskKind).afterFinalisation)
const clockOf = (kind: TaskKindId, ruleId: string) => {
  const due = (TASK_KINDS[kind] as TaskKind).due
  return due !== null && 'clock' in due && [due.clock].flat().includes(ruleId)
}

/**
 * Whose queue a role's work on a case goes to: police roles' to the case's force, witness care's to the unit covering
 * the force (the first by code where several do), CPS roles' to its area.
 */
export async function taskOrg(
  units: { coveringUnit(forceCode: string): Promise<string | undefined> },
  role: Role,
  c: Pick<CaseRow, 'force_code' | 'area_code'>,
) {
  if (POLICE_ROLES.includes(role)) return c.force_code
  if (role !== 'witness_care') return c.area_code
  return (await units.coveringUnit(c.force_code)) ?? c.area_code
}

/**
 * Keeps a case's work queue in step with an event, inside the event's transaction: closes the kinds the event
 * closes (every open task once the case is finalised), opens the kinds it opens (never twice), and re-dates every
 * open task from the case's clocks, so more time agreed or a new calendar moves the task with its clock.
 */
export async function updateWorkQueue(
  store: CaseStore,
  c: CaseRow,
  change: {
    seq: number
    opens: readonly TaskKindId[]
    closes: readonly TaskKindId[]
    finalised: boolean
    data: Record<string, unknown>
    clocks: readonly Clock[]
  },
) {
  const done = { done_at: new Date(), closed_seq: change.seq }
  let open = await store.select('tasks', { case_id: c.id, done_at: null })
  // Finalising closes every task except telling a complainant of it.
  const closing = open.filter((t) =>
    change.finalised
      ? !AFTER_FINALISATION.includes(t.kind as TaskKindId)
      : change.closes.includes(t.kind as TaskKindId),
  )
  if (closing.length) {
    await store.update('tasks', { id: closing.map((t) => t.id) }, done)
    open = open.filter((t) => !closing.includes(t))
  }
  // Kinds that follow their clocks are open exactly while one of them runs (on a finalised case, only those that
  // outlive it).
  const running = CLOCK_DRIVEN.filter(
    (kind) =>
      (!change.finalised || AFTER_FINALISATION.includes(kind)) &&
      change.clocks.some((k) => clockOf(kind, k.ruleId) && !k.stoppedBy),
  )
  const stopped = CLOCK_DRIVEN.filter((kind) => !running.includes(kind))
  const stopping = open.filter((t) => stopped.includes(t.kind as TaskKindId))
  if (stopping.length) {
    await store.update('tasks', { id: stopping.map((t) => t.id) }, done)
    open = open.filter((t) => !stopping.includes(t))
  }
  for (const kind of [...(change.finalised ? [] : change.opens), ...running]) {
    if (open.some((t) => t.kind === kind)) continue
    const definition = TASK_KINDS[kind]
    if (!definition) throw new Error(`No module defines the task kind ${kind}`)
    const role = definition.role as Role
    await store.insert('tasks', [
      {
        id: randomUUID(),
        case_id: c.id,
        escalation_id: null,
        kind,
        role,
        org_code: await taskOrg(store, role, c),
        title: `${definition.label} (case ${c.urn})`,
        due_on: taskDue(kind, change.clocks, change.data),
        done_at: null,
        opened_seq: change.seq,
        closed_seq: null,
      },
    ])
  }
  for (const task of open) {
    const kind = task.kind as TaskKindId
    const due = TASK_KINDS[kind]?.due
    if (!due || !('clock' in due)) continue
    const dueOn = taskDue(kind, change.clocks)
    if (dueOn !== null && dueOn !== task.due_on) await store.update('tasks', { id: task.id }, { due_on: dueOn })
  }
}

const taskQuerySchema = z.object({
  view: z
    .enum(TASK_VIEWS.map((v) => v.value) as [TaskView, ...TaskView[]], { error: 'Select a view from the list' })
    .default('mine'),
  kind: z
    .enum(TASK_KIND_IDS as [TaskKindId, ...TaskKindId[]], { error: 'Select a kind of task from the list' })
    .optional(),
  role: z.string().max(40, 'Select a role from the list').optional(),
  q: z.string().trim().max(60, 'A URN is at most 60 characters').optional(),
})
export type TaskQuery = z.infer<typeof taskQuerySchema>

const LIMIT = 200

export function workQueueService(repos: Repositories, audit: AuditTrail) {
  const db = repos.db
  return {
    parseQuery(query: unknown): TaskQuery {
      const given = Object.fromEntries(
        Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''),
      )
      const parsed = taskQuerySchema.safeParse(given)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      return parsed.data
    },

    /** Whether this person has a team view (supervisors, inspectors and unit heads). */
    hasTeamView: (user: { roles: readonly Role[] }) => user.roles.some((r) => TEAM_VIEW_ROLES.includes(r)),

    /**
     * One view of the work queue, soonest due first, with the counts for every view. Only open tasks on cases the
     * person can see: a restricted case's tasks show only to those on its access list.
     */
    async list(ctx: RequestContext, query: TaskQuery) {
      const user = ctx.user
      const team = user.roles.some((r) => TEAM_VIEW_ROLES.includes(r))
      if (query.view === 'team' && !team)
        throw new AppError(403, 'forbidden', 'The team view is for police supervisors, inspectors and CPS unit heads')
      const roles = user.roles.length > 0 ? [...user.roles] : ['none']
      const today = todayIso()
      const rules = caseAccessRules(user)
      const base = db
        .selectFrom('tasks as t')
        .innerJoin('cases as c', 'c.id', 't.case_id')
        .where('t.done_at', 'is', null)
        .where('t.org_code', '=', user.orgCode)
        .where((eb) => visible(eb as never, rules, user.id))

      let query_ = base
      if (query.view !== 'team') query_ = query_.where('t.role', 'in', roles)
      if (query.view === 'overdue') query_ = query_.where('t.due_on', '<', today)
      if (query.view === 'today') query_ = query_.where('t.due_on', '=', today)
      if (query.view === 'awaiting') query_ = query_.where('t.kind', 'in', [...DECISION_TASK_KINDS])
      if (query.kind) query_ = query_.where('t.kind', '=', query.kind)
      if (query.role) query_ = query_.where('t.role', '=', query.role)
      if (query.q) query_ = query_.where('c.urn', '=', query.q.toUpperCase())

      const mine = sql<boolean>`t.role = any(${sql.val(roles)}::text[])`
      const overdue = sql<boolean>`t.due_on < ${today}`
      const dueToday = sql<boolean>`t.due_on = ${today}`
      const decision = sql<boolean>`t.kind = any(${sql.val([...DECISION_TASK_KINDS])}::text[])`
      const [rows, counts, breakdown, officers] = await Promise.all([
        query_
          .select([
            't.id',
            't.case_id',
            't.kind',
            't.role',
            't.title',
            't.due_on',
            't.created_at',
            'c.urn',
            'c.stage',
            'c.restricted',
          ])
          .orderBy(sql`t.due_on asc nulls last`)
          .orderBy('t.created_at')
          .limit(LIMIT + 1)
          .execute(),
        base
          .select([
            sql<string>`count(*) filter (where ${mine})`.as('mine'),
            sql<string>`count(*) filter (where ${mine} and ${dueToday})`.as('today'),
            sql<string>`count(*) filter (where ${mine} and ${overdue})`.as('overdue'),
            sql<string>`count(*) filter (where ${mine} and ${decision})`.as('awaiting'),
            sql<string>`count(*)`.as('team'),
          ])
          .executeTakeFirstOrThrow(),
        query.view === 'team'
          ? base
              .select([
                't.role',
                't.kind',
                sql<string>`count(*)`.as('open'),
                sql<string>`count(*) filter (where ${dueToday})`.as('today'),
                sql<string>`count(*) filter (where ${overdue})`.as('overdue'),
              ])
              .groupBy(['t.role', 't.kind'])
              .orderBy('t.role')
              .orderBy('t.kind')
              .execute()
          : Promise.resolve([]),
        // Victims' Code updates by the officer in the case (the officer who recorded the report).
        query.view === 'team'
          ? base
              .innerJoin('users as u', 'u.id', 'c.created_by')
              .where('t.kind', '=', 'victim_update')
              .select([
                'u.name',
                sql<string>`count(*)`.as('open'),
                sql<string>`count(*) filter (where ${dueToday})`.as('today'),
                sql<string>`count(*) filter (where ${overdue})`.as('overdue'),
              ])
              .groupBy('u.name')
              .orderBy('u.name')
              .execute()
          : Promise.resolve([]),
      ])
      const tasks = rows.slice(0, LIMIT).map((r) => ({
        id: r.id,
        caseId: r.case_id,
        urn: r.urn,
        kind: r.kind,
        kindLabel: TASK_KINDS[r.kind as TaskKindId]?.label ?? r.kind,
        role: r.role,
        title: r.title,
        dueOn: r.due_on,
        overdue: r.due_on !== null && r.due_on < today,
        decision: DECISION_TASK_KINDS.includes(r.kind as TaskKindId),
        createdAt: r.created_at.toISOString(),
        restricted: r.restricted,
      }))
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'list_tasks',
        recordType: 'case',
        recordIds: [...new Set(tasks.map((i) => i.caseId))],
        resultCount: tasks.length,
      })
      return {
        view: query.view,
        tasks,
        truncated: rows.length > LIMIT,
        counts: {
          mine: Number(counts.mine),
          today: Number(counts.today),
          overdue: Number(counts.overdue),
          awaiting: Number(counts.awaiting),
          ...(team && { team: Number(counts.team) }),
        },
        breakdown: breakdown.map((b) => ({
          role: b.role,
          kind: b.kind,
          kindLabel: TASK_KINDS[b.kind as TaskKindId]?.label ?? b.kind,
          open: Number(b.open),
          today: Number(b.today),
          overdue: Number(b.overdue),
        })),
        victimUpdatesByOfficer: officers.map((o) => ({
          officer: o.name,
          open: Number(o.open),
          today: Number(o.today),
          overdue: Number(o.overdue),
        })),
      }
    },

    /** In-app notifications of the last 14 days for this person's roles in their organisation, on cases they can see. */
    async notifications(ctx: RequestContext) {
      const user = ctx.user
      if (user.roles.length === 0) return []
      const since = new Date(Date.now() - 14 * 24 * 3600 * 1000)
      const rows = await db
        .selectFrom('notification_outbox as n')
        .innerJoin('tasks as t', 't.id', 'n.task_id')
        .innerJoin('cases as c', 'c.id', 't.case_id')
        .select(['n.id', 'n.subject', 'n.body', 'n.created_at', 't.case_id'])
        .where('n.channel', '=', 'in_app')
        .where('n.org_code', '=', user.orgCode)
        .where('n.recipient_role', 'in', [...user.roles])
        .where('n.created_at', '>=', since)
        .where((eb) => visible(eb as never, caseAccessRules(user), user.id))
        .orderBy('n.created_at', 'desc')
        .limit(10)
        .execute()
      return rows.map((r) => ({
        id: r.id,
        caseId: r.case_id,
        subject: r.subject,
        body: r.body,
        createdAt: r.created_at.toISOString(),
      }))
    },
  }
}

export type WorkQueueService = ReturnType<typeof workQueueService>
