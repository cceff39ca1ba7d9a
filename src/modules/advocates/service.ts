import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { Config } from '../../config'
import type { Repositories } from '../../data'
import type { Database } from '../../data/schema'
import {
  ADVOCATE_FORMS,
  ADVOCATE_KINDS,
  type AdvocateForm,
  type AdvocateRecord,
  advocateEligibility,
  RETURNED_BRIEF_REASONS,
  TRAINING_COURSES,
} from './rules'
import type { CaseFacts } from '../../core/event-model'
import { fieldErrors, isUuid, todayIso } from '../../core/fields'
import { optionText } from '../victim-care/rules'
import type { Role } from '../../core/roles'
import { type ModuleKernel, serviceOf } from '../module'
import type { AuditTrail } from '../../services/audit-trail'
import type { RequestContext } from '../../services/context'
import { AppError, invalid, notFound } from '../../services/errors'

const CPS: readonly Role[] = ['prosecutor', 'cps_unit_head']
type Handle = Kysely<Database>

/** Advocates of an area with what the eligibility rules read: four queries for any number of advocates. */
async function loadRecords(db: Handle, where: { areaCode: string; ids?: readonly string[] }) {
  let query = db.selectFrom('advocates').selectAll().where('area_code', '=', where.areaCode)
  if (where.ids) query = query.where('id', 'in', [...where.ids, '00000000-0000-0000-0000-000000000000'])
  const rows = await query.orderBy('name').execute()
  const ids = [...rows.map((r) => r.id), '00000000-0000-0000-0000-000000000000']
  const [training, unavailable, conflicts] = await Promise.all([
    db.selectFrom('advocate_training').selectAll().where('advocate_id', 'in', ids).orderBy('completed_on').execute(),
    db.selectFrom('advocate_unavailability').selectAll().where('advocate_id', 'in', ids).orderBy('from_on').execute(),
    db
      .selectFrom('advocate_conflicts as c')
      .innerJoin('cases', 'cases.id', 'c.case_id')
      .select(['c.id', 'c.advocate_id', 'c.case_id', 'c.reason', 'cases.urn'])
      .where('c.advocate_id', 'in', ids)
      .execute(),
  ])
  return rows.map((r) => {
    const record: AdvocateRecord = {
      id: r.id,
      kind: r.kind,
      active: r.active,
      rassoPanel: r.rasso_panel,
      admittedOn: r.admitted_on,
      accreditationExpiresOn: r.accreditation_expires_on,
      training: training
        .filter((t) => t.advocate_id === r.id)
        .map((t) => ({ course: t.course, completedOn: t.completed_on, expiresOn: t.expires_on })),
      unavailable: unavailable
        .filter((u) => u.advocate_id === r.id)
        .map((u) => ({ fromOn: u.from_on, toOn: u.to_on, reason: u.reason })),
      conflictCaseIds: conflicts.filter((c) => c.advocate_id === r.id).map((c) => c.case_id),
    }
    return {
      row: r,
      record,
      conflicts: conflicts.filter((c) => c.advocate_id === r.id).map((c) => ({ urn: c.urn, reason: c.reason })),
    }
  })
}

const labelOf = (r: { name: string; kind: string; chambers: string }) =>
  `${r.name} (${optionText(ADVOCATE_KINDS, r.kind)}, ${r.chambers})`

/**
 * What an advocate event changes in the case's own tables, in the event's transaction: an instruction (checked
 * against the panel rules today, for this case), the end of the one before, or a returned brief. False for other events.
 */
export async function applyAdvocateEffects(
  trx: Handle,
  type: string,
  caseId: string,
  data: Record<string, unknown>,
  event: { seq: number; facts: CaseFacts; areaCode: string; advocateWarningDays: number },
): Promise<boolean> {
  const { facts } = event
  const endCurrent = (reason: 'replaced' | 'returned', returnedReason: string | null, on: string) =>
    trx
      .updateTable('case_advocates')
      .set({ ended_on: on, ended_seq: event.seq, end_reason: reason, returned_reason: returnedReason })
      .where('case_id', '=', caseId)
      .where('ended_seq', 'is', null)
      .execute()
  if (type === 'instruct_advocate') {
    const [found] = await loadRecords(trx, { areaCode: event.areaCode, ids: [String(data.advocateId)] })
    if (!found) throw invalid({ 'data.advocateId': 'Select an advocate on your area’s panel' })
    const eligibility = advocateEligibility(found.record, facts.today, {
      caseId,
      hearingDates: facts.hearings.filter((h) => h.status === 'listed').map((h) => h.on),
      warnDays: event.advocateWarningDays,
    })
    if (!eligibility.eligible)
      throw new AppError(422, 'rule_broken', `This advocate cannot be instructed: ${eligibility.reasons.join('; ')}`)
    await endCurrent('replaced', null, facts.today)
    await trx
      .insertInto('case_advocates')
      .values({
        id: randomUUID(),
        case_id: caseId,
        advocate_id: found.row.id,
        instructed_on: facts.today,
        instructed_seq: event.seq,
      })
      .execute()
    return true
  }
  if (type === 'record_returned_brief') {
    await endCurrent('returned', String(data.reason), String(data.returnedOn))
    return true
  }
  return false
}

export function advocatesService(repos: Repositories, audit: AuditTrail, config: Config) {
  const db = repos.db

  function requireCps(ctx: RequestContext, manage = false) {
    if (manage && !ctx.user.roles.includes('cps_unit_head'))
      throw new AppError(403, 'forbidden', 'Only a CPS unit head manages the advocate panel')
    if (!ctx.user.roles.some((r) => CPS.includes(r)))
      throw new AppError(403, 'forbidden', 'Only CPS prosecutors and unit heads see the advocate panel')
  }

  const eligibilityToday = (record: AdvocateRecord, caseId?: string, hearingDates: readonly string[] = []) =>
    advocateEligibility(record, todayIso(), { caseId, hearingDates, warnDays: config.advocateWarningDays })

  /** One advocate of the caller's area, or 404 (audited) exactly as if it did not exist. */
  async function found(ctx: RequestContext, id: string, action: string) {
    const [one] = isUuid(id) ? await loadRecords(db, { areaCode: ctx.user.orgCode, ids: [id] }) : []
    if (!one) {
      await audit.record(ctx, {
        operation: 'consultation',
        action,
        recordType: 'advocate',
        recordIds: isUuid(id) ? [id] : [],
        outcome: 'not_found_or_out_of_scope',
      })
      throw notFound()
    }
    return one
  }

  function parse<K extends keyof typeof ADVOCATE_FORMS>(form: K, input: unknown): AdvocateForm<K> {
    const parsed = ADVOCATE_FORMS[form].schema.safeParse(input)
    if (!parsed.success) throw invalid(fieldErrors(parsed.error))
    return parsed.data as AdvocateForm<K>
  }

  async function changed(ctx: RequestContext, id: string, action: string, trx: Handle, version?: number) {
    const updated = await trx
      .updateTable('advocates')
      .set({ version: sql`version + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .$if(version !== undefined, (q) => q.where('version', '=', version!))
      .returning('version')
      .executeTakeFirst()
    if (!updated)
      throw new AppError(
        409,
        'stale_version',
        'Someone changed this advocate since you loaded it. Check and try again.',
      )
    await audit.record(ctx, { operation: 'alteration', action, recordType: 'advocate', recordIds: [id] }, trx)
  }

  return {
    /** The advocates of my CPS area, with whether each can be instructed today. */
    async list(ctx: RequestContext) {
      requireCps(ctx)
      const all = await loadRecords(db, { areaCode: ctx.user.orgCode })
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'list_advocates',
        recordType: 'advocate',
        recordIds: all.map((a) => a.row.id),
        resultCount: all.length,
      })
      return all.map((a) => ({
        id: a.row.id,
        name: a.row.name,
        kind: a.row.kind,
        kindText: optionText(ADVOCATE_KINDS, a.row.kind),
        chambers: a.row.chambers,
        rassoPanel: a.row.rasso_panel,
        admittedOn: a.row.admitted_on,
        accreditationExpiresOn: a.row.accreditation_expires_on,
        active: a.row.active,
        ...eligibilityToday(a.record),
      }))
    },

    /** One advocate: panel membership, training, availability, conflicts, instructions and counsel reports. */
    async get(ctx: RequestContext, id: string) {
      requireCps(ctx)
      const a = await found(ctx, id, 'view_advocate')
      const [instructions, reports] = await Promise.all([
        db
          .selectFrom('case_advocates as i')
          .innerJoin('cases', 'cases.id', 'i.case_id')
          .select([
            'cases.id as caseId',
            'cases.urn',
            'i.instructed_on',
            'i.ended_on',
            'i.end_reason',
            'i.returned_reason',
          ])
          .where('i.advocate_id', '=', id)
          .orderBy('i.instructed_on', 'desc')
          .execute(),
        db
          .selectFrom('case_events as e')
          .innerJoin('cases', 'cases.id', 'e.case_id')
          .select(['cases.id as caseId', 'cases.urn', 'e.data', 'e.occurred_at'])
          .where('e.type', '=', 'record_counsel_report')
          .where(sql<string>`e.data->>'advocateId'`, '=', id)
          .orderBy('e.occurred_at', 'desc')
          .execute(),
      ])
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_advocate',
        recordType: 'advocate',
        recordIds: [id],
      })
      const r = a.row
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        kindText: optionText(ADVOCATE_KINDS, r.kind),
        chambers: r.chambers,
        rassoPanel: r.rasso_panel,
        admittedOn: r.admitted_on,
        accreditationExpiresOn: r.accreditation_expires_on,
        active: r.active,
        version: r.version,
        ...eligibilityToday(a.record),
        training: a.record.training.map((t) => ({ ...t, courseText: optionText(TRAINING_COURSES, t.course) })),
        unavailable: a.record.unavailable,
        conflicts: a.conflicts,
        instructions: instructions.map((i) => ({
          caseId: i.caseId,
          urn: i.urn,
          instructedOn: i.instructed_on,
          endedOn: i.ended_on,
          endReason: i.end_reason,
          returnedReasonText: i.returned_reason ? optionText(RETURNED_BRIEF_REASONS, i.returned_reason) : null,
        })),
        reports: reports.map((x) => ({
          caseId: x.caseId,
          urn: x.urn,
          on: todayIso(x.occurred_at),
          data: x.data as Record<string, unknown>,
        })),
      }
    },

    async add(ctx: RequestContext, input: unknown) {
      requireCps(ctx, true)
      const data = parse('advocate', input)
      const id = randomUUID()
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('advocates')
          .values({
            id,
            name: data.name,
            kind: data.kind,
            chambers: data.chambers,
            area_code: ctx.user.orgCode,
            rasso_panel: data.rassoPanel,
            admitted_on: data.admittedOn ?? null,
            accreditation_expires_on: data.accreditationExpiresOn ?? null,
          })
          .execute()
        await audit.record(
          ctx,
          { operation: 'alteration', action: 'add_advocate', recordType: 'advocate', recordIds: [id] },
          trx,
        )
      })
      return id
    },

    async updateMembership(ctx: RequestContext, id: string, input: unknown) {
      requireCps(ctx, true)
      await found(ctx, id, 'change_advocate_membership')
      const { version, ...data } = parse('membership', input)
      await db.transaction().execute(async (trx) => {
        await changed(ctx, id, 'change_advocate_membership', trx, version)
        await trx
          .updateTable('advocates')
          .set({
            rasso_panel: data.rassoPanel,
            admitted_on: data.admittedOn ?? null,
            accreditation_expires_on: data.accreditationExpiresOn ?? null,
            active: data.active,
          })
          .where('id', '=', id)
          .execute()
      })
    },

    async addTraining(ctx: RequestContext, id: string, input: unknown) {
      requireCps(ctx, true)
      await found(ctx, id, 'add_advocate_training')
      const data = parse('training', input)
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('advocate_training')
          .values({
            id: randomUUID(),
            advocate_id: id,
            course: data.course,
            completed_on: data.completedOn,
            expires_on: data.expiresOn ?? null,
          })
          .execute()
        await changed(ctx, id, 'add_advocate_training', trx)
      })
    },

    async addUnavailability(ctx: RequestContext, id: string, input: unknown) {
      requireCps(ctx, true)
      await found(ctx, id, 'add_advocate_unavailability')
      const data = parse('unavailability', input)
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('advocate_unavailability')
          .values({ id: randomUUID(), advocate_id: id, from_on: data.fromOn, to_on: data.toOn, reason: data.reason })
          .execute()
        await changed(ctx, id, 'add_advocate_unavailability', trx)
      })
    },

    /** A conflict with a case, named by its URN; the case must be one of this area's. */
    async addConflict(ctx: RequestContext, id: string, input: unknown) {
      requireCps(ctx, true)
      await found(ctx, id, 'add_advocate_conflict')
      const data = parse('conflict', input)
      const target = await db
        .selectFrom('cases')
        .select('id')
        .where('urn', '=', data.urn.toUpperCase())
        .where('area_code', '=', ctx.user.orgCode)
        .executeTakeFirst()
      if (!target) throw invalid({ urn: 'Enter the URN of a case in your CPS area' })
      await db.transaction().execute(async (trx) => {
        const added = await trx
          .insertInto('advocate_conflicts')
          .values({ id: randomUUID(), advocate_id: id, case_id: target.id, reason: data.reason })
          .onConflict((oc) => oc.columns(['advocate_id', 'case_id']).doNothing())
          .returning('id')
          .executeTakeFirst()
        if (!added) throw invalid({ urn: 'A conflict with this case is already recorded' })
        await changed(ctx, id, 'add_advocate_conflict', trx)
      })
    },

    /**
     * The advocates a prosecutor may choose for a case: for an instruction, those eligible today (with their
     * warnings); for a counsel report, those instructed on the case. The case itself is read (and audited) by the caller.
     */
    async choicesFor(
      ctx: RequestContext,
      c: { id: string; areaCode: string; hearingDates: readonly string[]; instructed: readonly string[] },
      instructedOnly: boolean,
    ) {
      if (!ctx.user.roles.some((r) => CPS.includes(r))) return []
      const all = await loadRecords(db, { areaCode: c.areaCode })
      const offered = all
        .map((a) => ({ a, e: eligibilityToday(a.record, c.id, c.hearingDates) }))
        .filter(({ a, e }) => (instructedOnly ? c.instructed.includes(a.row.id) : e.eligible))
        .map(({ a, e }) => ({ id: a.row.id, label: labelOf(a.row), warnings: e.warnings }))
      // Advocates' records are personal data too: what was shown, to whom, is on the record.
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'choose_advocate',
        recordType: 'advocate',
        recordIds: offered.map((o) => o.id),
        resultCount: offered.length,
      })
      return offered
    },
  }
}

/** The advocate panel's service over the composition root's parts (built once for them). */
export const advocatesOf = (services: ModuleKernel) =>
  serviceOf(services, 'advocates', (k) => advocatesService(k.repos, k.audit, k.config))
