import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { CaseRow, Database } from '../../data/schema'
import { actingRole, type Actor, whyNot, REPORT_EVENT, stageAfter } from '../../core/event-model'
import { eventDefinition, EVENT_DEFINITIONS } from '../../modules/registry'
import type { EventDefinition } from '../../core/event-model'
import { SCHEDULED_EVENTS } from '../../modules/pre-charge/rules'
import { tasksOf } from '../../core/event-model'
import { SERVICE_ORG, SYSTEM_USER_ID } from '../../data/reference'
import {
  type CaseMeasureState,
  measureCaseOf,
  refreshCaseMeasures,
  stateOfCase,
  writeBatchCells,
  type CaseCells,
} from '../measure-projection'
import { updateWorkQueue } from '../work-queue'
import { type CaseStore, databaseStore, type MemoryStore } from './store'
import { fieldErrors, todayIso } from '../../core/fields'
import { reportSchema, type ReportInput } from '../../domain/report'
import type { RequestContext } from '../context'
import { AppError, invalid, notFound } from '../errors'
import { type CaseDetail, eventBodySchema, peopleInView } from './view'
import { type Settings, actorOf, clocksOf, factsOf, partsInclude } from './facts'
import {
  type SystemWhy,
  applySideEffects,
  calendarProblem,
  parseEventData,
  reportRows,
  retryOnUniqueViolation,
} from './writes'
import type { CaseKernel } from './kernel'

/**
 * Changing a case: recording a report, and applying an event (a person's, the scheduled job's, or the bulk
 * generator's in memory) with its rules, table writes, case row, timeline row, work queue, measures and audit row in
 * one transaction; and the measures worked out again.
 */
export function caseWrites(kernel: CaseKernel) {
  const { repos, audit, config, calendar, cases, completeParts, visibleCase, detail } = kernel

  /**
   * Works out the measure cells of these cases from their timelines and moves the sums to them: from nothing, or with
   * `counted`, from the state each case was last counted in; with `into`, the change is added to those sums for the
   * caller to write (`writeBatchCells`).
   */
  async function measuresOf(
    trx: Kysely<Database>,
    rows: readonly CaseRow[],
    settings: Settings,
    how: { counted?: boolean; into?: CaseCells } = {},
  ) {
    const counted = how.counted ?? false
    const ids = rows.map((r) => r.id)
    const [events, people, offences, states] = await Promise.all([
      trx
        .selectFrom('case_events')
        .select(['case_id', 'seq', 'type', 'occurred_at', 'data'])
        .where('case_id', 'in', ids)
        .orderBy('case_id')
        .orderBy('seq')
        .execute(),
      trx
        .selectFrom('case_people')
        .selectAll()
        .where('case_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('role')
        .orderBy('id')
        .execute(),
      trx
        .selectFrom('case_offences as o')
        .innerJoin('offence_codes as oc', 'oc.code', 'o.code')
        .select(['o.case_id', 'oc.category', 'oc.adult_rape'])
        .where('o.case_id', 'in', ids)
        .execute(),
      counted
        ? trx
            .selectFrom('measure_case_state')
            .select(['case_id', 'contributions'])
            .where('case_id', 'in', ids)
            .execute()
        : Promise.resolve([]),
    ])
    const before = new Map(states.map((s) => [s.case_id, s.contributions as CaseMeasureState]))
    const byCase = <T extends { case_id: string }>(list: readonly T[]) => {
      const map = new Map<string, T[]>()
      for (const item of list) {
        const theirs = map.get(item.case_id)
        if (theirs) theirs.push(item)
        else map.set(item.case_id, [item])
      }
      return (id: string) => map.get(id) ?? []
    }
    const [eventsOf, peopleOf, offencesOf] = [byCase(events), byCase(people), byCase(offences)]
    const cells = rows.map((row) => {
      const own = eventsOf(row.id)
      const theirs = peopleOf(row.id)
      const clocks = clocksOf(row, own, theirs, settings)
      const offenceRows = offencesOf(row.id)
      return {
        caseId: row.id,
        before: before.get(row.id) ?? null,
        state: stateOfCase(
          measureCaseOf(
            { row, events: own, people: theirs, clocks },
            {
              rape: offenceRows.some((o) => o.category === 'rape'),
              adultRape: offenceRows.some((o) => o.adult_rape),
            },
          ),
        ),
      }
    })
    await writeBatchCells(trx, cells, how.into)
  }

  const inDatabase = (trx: Kysely<Database>) => databaseStore(trx, cases, audit)

  /**
   * An event the service applies under the authority its definition gives it, on a locked case: null when the key
   * was used already or the case no longer qualifies (another process got there).
   */
  async function systemEventIn(
    store: CaseStore,
    row: CaseRow,
    type: (typeof SCHEDULED_EVENTS)[number],
    data: Record<string, unknown>,
    why: SystemWhy,
    settings: Settings,
  ) {
    const definition = eventDefinition(type)!
    const parsed = definition.schema.safeParse(data)
    if (!parsed.success) throw new Error(`The service built invalid data for ${type}`)
    const actor: Actor = { id: SYSTEM_USER_ID, roles: definition.roles, orgCode: SERVICE_ORG.code }
    if ((await store.select('case_events', { case_id: row.id, idempotency_key: why.idempotencyKey })).length)
      return null
    const facts = factsOf(row, completeParts(row, settings, await store.parts(row.id, partsInclude(row))), why.today)
    if (whyNot(definition, facts, actor)) return null
    return commit(store, row, definition, parsed.data, settings, {
      actor,
      role: 'system',
      ctx: { user: null, purpose: why.purpose, correlationId: why.correlationId },
      idempotencyKey: why.idempotencyKey,
      today: why.today,
      at: why.at,
    })
  }

  /** The event's definition, if the caller may record it on a case they see (fully, or in the victim-support view). */
  function whoMayApply(ctx: RequestContext, type: string, fullView: boolean, viaService: boolean) {
    const definition = eventDefinition(type)
    if (!fullView && !definition?.isvaMayRecord)
      throw new AppError(403, 'forbidden', 'Your role cannot change this case')
    if (!definition) {
      throw invalid({ type: `Unknown event type; use one of ${EVENT_DEFINITIONS.map((d) => d.type).join(', ')}` })
    }
    if (definition.serviceOnly && !viaService) throw new AppError(422, 'use_its_own_endpoint', definition.serviceOnly)
    const actor = actorOf(ctx)
    const role = actingRole(definition, actor)
    if (!role) throw new AppError(403, 'role_not_allowed', `Your role cannot ${definition.title.toLowerCase()}`)
    return { definition, actor, role }
  }

  /**
   * Writes a checked report's rows through the store (the caller's transaction, or the bulk generator's memory): the
   * case, its people, offences and first timeline row, the work queue the first clocks open, and the audit row.
   */
  async function commitReport(
    store: CaseStore,
    written: ReturnType<typeof reportRows>,
    ctx: RequestContext,
    settings: Settings,
  ): Promise<CaseRow> {
    const id = written.caseRow.id
    const [row] = await store.insert('cases', [written.caseRow])
    await store.insert('case_people', written.people)
    await store.insert('case_offences', written.offences)
    if (written.caseRow.restricted)
      await store.insert('case_access', [{ case_id: id, user_id: ctx.user.id, kind: 'restricted' }])
    await store.insert('case_events', [written.event])
    // The complainants' first Victims' Code clocks start with the report, and with them the officer's task.
    const [events, recorded] = await Promise.all([store.events(id), store.people(id)])
    const clocks = clocksOf(row!, events, recorded, settings)
    await updateWorkQueue(store, row!, { seq: 1, opens: [], closes: [], finalised: false, data: {}, clocks })
    if (store.sql) await refreshCaseMeasures(store.sql, { row: row!, events, people: recorded, clocks })
    await store.audit(ctx, {
      operation: 'collection',
      action: REPORT_EVENT.type,
      recordType: 'case',
      recordIds: [id, ...written.people.map((p) => p.id)],
    })
    return row!
  }

  /**
   * Applies a checked event inside the caller's transaction: the case's rules, side effects, projected row, one
   * immutable timeline row, the work queue, and the audit row. The row must be locked and its version checked.
   */
  async function commit(
    store: CaseStore,
    row: CaseRow,
    definition: EventDefinition,
    data: Record<string, unknown>,
    settings: Settings,
    by: {
      actor: Actor
      role: string
      ctx: RequestContext | { user: null; purpose: string; correlationId: string }
      idempotencyKey: string | null
      today?: string
      /** When the event happened, for synthetic data generated as of past dates (never from a request). */
      at?: Date
    },
  ) {
    const { actor } = by
    const facts = factsOf(row, completeParts(row, settings, await store.parts(row.id, partsInclude(row))), by.today)
    const refused = whyNot(definition, facts, actor)
    if (refused) throw new AppError(refused.status, refused.code, refused.message)
    const broken = definition.guard?.(facts, actor, data)
    if (broken) throw new AppError(422, 'rule_broken', broken)

    const version = row.version + 1
    await applySideEffects(store, definition.type, row.id, data, {
      seq: version,
      actorId: actor.id,
      calendar: settings.calendar,
      facts,
      areaCode: row.area_code,
      advocateWarningDays: config.advocateWarningDays,
    }).catch(calendarProblem)
    const stage = stageAfter(definition, facts, data)
    const change = definition.project?.(data, facts, actor) ?? {}
    const [updated] = await store.update(
      'cases',
      { id: row.id, version: row.version },
      {
        stage,
        version,
        updated_at: new Date(),
        ...(change.finalOutcome !== undefined && { final_outcome: change.finalOutcome }),
        ...(change.policeOutcomeCode !== undefined && { police_outcome_code: change.policeOutcomeCode }),
        ...(change.proposedOutcomeCode !== undefined && { proposed_outcome_code: change.proposedOutcomeCode }),
        ...(change.proposedBy !== undefined && { proposed_by: change.proposedBy }),
        ...(change.finalisedOn !== undefined && { finalised_on: change.finalisedOn }),
        ...(change.earlyAdvice !== undefined && { early_advice_status: change.earlyAdvice }),
        ...(change.referral !== undefined && {
          referral_status: change.referral?.status ?? null,
          referral_prepared_by: change.referral?.preparedBy ?? null,
          referral_suspect_ids: change.referral?.suspectIds ? [...change.referral.suspectIds] : null,
          ...(change.referral?.category !== null && { referral_category: change.referral?.category ?? null }),
        }),
      },
    )
    if (!updated) throw new Error('The case row changed under its lock')
    await store.insert('case_events', [
      {
        case_id: row.id,
        seq: version,
        type: definition.type,
        definition_version: definition.version,
        actor_id: actor.id,
        actor_role: by.role,
        actor_org: actor.orgCode,
        summary: definition.summary(data),
        data: JSON.stringify(data),
        stage_before: facts.stage,
        stage_after: stage,
        idempotency_key: by.idempotencyKey,
        ...(by.at && { occurred_at: by.at }),
      },
    ])
    const [events, people] = await Promise.all([store.events(row.id), store.people(row.id)])
    const clocks = clocksOf(updated, events, people, settings)
    await updateWorkQueue(store, updated, {
      seq: version,
      opens: tasksOf(definition.opens, data, facts),
      closes: tasksOf(definition.closes, data, facts),
      finalised: stage === 'finalised',
      data,
      clocks,
    })
    // In memory (the bulk generator) the measures are worked out once all of a batch is written, as a rebuild does.
    if (store.sql) await refreshCaseMeasures(store.sql, { row: updated, events, people, clocks })
    await store.audit(by.ctx, {
      operation: 'alteration',
      action: definition.type,
      recordType: 'case',
      recordIds: [row.id],
    })
    return { row: updated, seq: version }
  }

  /**
   * Applies an event a person sent: scope first (404, audited), the envelope, who may apply it, then in one
   * transaction the lock, the idempotency key, the version, and `commit` (the rules, writes, timeline, queue, audit).
   */
  async function applyChecked(
    ctx: RequestContext,
    id: string,
    body: unknown,
    viaService: boolean,
    simulated?: { at: Date },
  ) {
    // Scope before anything else: a case out of scope answers 404 whatever was sent, and the attempt is audited.
    const found = await visibleCase(ctx, id, 'apply_event')
    const envelope = eventBodySchema.safeParse(body)
    if (!envelope.success) throw invalid(fieldErrors(envelope.error))
    const { type, expectedVersion, idempotencyKey } = envelope.data
    const { definition, actor, role } = whoMayApply(ctx, type, found.fullView, viaService)

    // Read before the transaction: inside it, only the transaction handle may touch the database.
    const settings = await calendar.current()
    const outcome = await retryOnUniqueViolation(() =>
      repos.db.transaction().execute(async (trx) => {
        // Lock first: a double submit waits here for the first request, then finds its event and replays it.
        const row = await cases.lockForUpdate(trx, id)
        if (!row) throw notFound()
        if (idempotencyKey) {
          const previous = await cases.eventByKey(trx, id, idempotencyKey)
          if (previous) {
            if (previous.type !== type) {
              throw new AppError(
                422,
                'idempotency_key_reused',
                'This idempotencyKey was already used for a different event',
              )
            }
            return { row, replayed: true, seq: previous.seq }
          }
        }
        const parsed = parseEventData(definition, envelope.data.data)
        if (!found.fullView) {
          // An ISVA records only about the complainant they support.
          const [people, isvas] = await Promise.all([cases.people(id, trx), cases.isvas(id, trx)])
          if (!peopleInView(ctx, false, { people, isvas }).some((p) => p.id === parsed.complainantId))
            throw invalid({ 'data.complainantId': 'Select the complainant you support' })
        }
        if (row.version !== expectedVersion) {
          const changes = (await cases.events(id, trx)).filter((e) => e.seq > expectedVersion).reverse()
          throw new AppError(
            409,
            'stale_version',
            `The case has changed since you loaded it (version ${expectedVersion}, now ${row.version}): ${changes.map((c) => c.summary).join('; ')}. Check the case and try again.`,
            {},
            {
              currentVersion: row.version,
              changes: changes.map((c) => ({
                seq: c.seq,
                summary: c.summary,
                by: c.actor_name,
                at: c.occurred_at.toISOString(),
              })),
            },
          )
        }
        const committed = await commit(inDatabase(trx), row, definition, parsed, settings, {
          actor,
          role,
          ctx,
          idempotencyKey: idempotencyKey ?? null,
          ...(simulated && { at: simulated.at, today: todayIso(simulated.at) }),
        })
        return { ...committed, replayed: false }
      }),
    )
    return { ...outcome, fullView: found.fullView }
  }

  return {
    /**
     * Validates a report without saving it (the check-your-answers page and the API share this); the active offence
     * codes can be given by a caller that has them (the bulk generator, which reads them once a run).
     */
    async validateReport(input: unknown, activeOffenceCodes?: ReadonlySet<string>): Promise<ReportInput> {
      const parsed = reportSchema.safeParse(input)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      const known = activeOffenceCodes ?? (await this.activeOffenceCodes())
      const fields: Record<string, string> = {}
      ;(parsed.data as ReportInput).offences.forEach((o, i) => {
        if (!known.has(o.code)) fields[`offences.${i}.code`] = 'Select an offence from the list'
      })
      if (Object.keys(fields).length) throw invalid(fields)
      return parsed.data as ReportInput
    },

    async recordReport(
      ctx: RequestContext,
      input: unknown,
      /** The synthetic data generator's date of the report; never from a request. */
      simulated?: { at: Date },
    ): Promise<{ detail: CaseDetail; replayed: boolean }> {
      const role = actingRole(REPORT_EVENT, actorOf(ctx))
      if (!role || ctx.user.orgKind !== 'police_force') {
        throw new AppError(403, 'role_not_allowed', 'Only investigators and police supervisors can record a report')
      }
      const report = await this.validateReport(input)
      const force = await cases.forceForCase(repos.db, ctx.user.orgCode)
      if (!force?.urn_code || !force.area_code) {
        throw new AppError(
          422,
          'force_not_configured',
          'Your force has no URN code or default CPS area; ask an administrator to set them',
        )
      }
      const key = report.idempotencyKey
      const settings = await calendar.current()
      const create = async () =>
        repos.db.transaction().execute(async (trx) => {
          if (key) {
            const existing = await cases.caseByCreateKey(trx, ctx.user.id, key)
            if (existing) return { row: existing, replayed: true }
          }
          const year = Number(report.reportedOn.slice(0, 4))
          const serial = await cases.nextUrnSerial(trx, force.code, config.urnUnit, String(year % 100).padStart(2, '0'))
          const written = reportRows({
            id: randomUUID(),
            report,
            force: { code: force.code, areaCode: force.area_code!, urnCode: force.urn_code! },
            unit: config.urnUnit,
            serial,
            actor: { id: ctx.user.id, orgCode: ctx.user.orgCode, role },
            createKey: key ?? null,
            now: new Date(),
            at: simulated?.at,
          })
          return { row: await commitReport(inDatabase(trx), written, ctx, settings), replayed: false }
        })
      const result = await retryOnUniqueViolation(create)
      return { detail: await detail(ctx, result.row, true), replayed: result.replayed }
    },

    /**
     * The bulk generator's report and events, applied to one case in memory (services/generator.ts): the same checks,
     * rules, effects, timeline, work queue and audit rows as `recordReport` and `applyEvent`, written by the caller.
     */
    inMemory: {
      report: (store: MemoryStore, written: ReturnType<typeof reportRows>, ctx: RequestContext, settings: Settings) =>
        commitReport(store, written, ctx, settings),
      async event(
        store: MemoryStore,
        row: CaseRow,
        ctx: RequestContext,
        event: { type: string; data: unknown; at: Date },
        settings: Settings,
      ) {
        const { definition, actor, role } = whoMayApply(ctx, event.type, true, false)
        const data = parseEventData(definition, event.data)
        return commit(store, row, definition, data, settings, {
          actor,
          role,
          ctx,
          idempotencyKey: null,
          at: event.at,
          today: todayIso(event.at),
        })
      },
    },

    async applyEvent(
      ctx: RequestContext,
      id: string,
      body: unknown,
      /** Set by a service that has made the extra checks a `serviceOnly` event needs. */
      viaService = false,
      /** The synthetic data generator's date of the event (see services/generator.ts); never from a request. */
      simulated?: { at: Date },
    ): Promise<{ detail: CaseDetail; replayed: boolean; seq: number }> {
      const outcome = await applyChecked(ctx, id, body, viaService, simulated)
      return { detail: await detail(ctx, outcome.row, outcome.fullView), replayed: outcome.replayed, seq: outcome.seq }
    },

    /**
     * Applies an event as `applyEvent` does, for a page that goes on to another page (post/redirect/get): the case is
     * not read again afterwards, so the event's own transaction is the only read of its parts.
     */
    async recordEvent(ctx: RequestContext, id: string, body: unknown): Promise<{ replayed: boolean; seq: number }> {
      const { replayed, seq } = await applyChecked(ctx, id, body, false)
      return { replayed, seq }
    },

    /**
     * An event the service applies itself under the authority a definition gives it (the scheduled job's
     * administrative finalisation). The same rules, projection, timeline and audit as a person's event; the
     * timeline names the service's own account. Null when the case no longer qualifies (another process got there).
     */
    async applySystemEvent(
      id: string,
      type: (typeof SCHEDULED_EVENTS)[number],
      data: Record<string, unknown>,
      why: SystemWhy,
    ): Promise<{ seq: number } | null> {
      const settings = await calendar.current()
      return retryOnUniqueViolation(() =>
        repos.db.transaction().execute(async (trx) => {
          const row = await cases.lockForUpdate(trx, id)
          if (!row) return null
          const committed = await systemEventIn(inDatabase(trx), row, type, data, why, settings)
          return committed && { seq: committed.seq }
        }),
      )
    },

    /**
     * `applySystemEvent` on a case already locked (or in memory), through its store: the scheduled job's own work. The
     * caller gives the settings (it has them), so nothing here reads the database outside the store.
     */
    systemEventIn,

    /**
     * Works every case's measure cells out afresh from its timeline and replaces measure_cells with them, in one
     * transaction that holds off events meanwhile: after a measure's definition changes, for a database that had cases
     * before the measures, and to prove the sums kept event by event are the sums from scratch.
     */
    async rebuildMeasures(options: { batchSize?: number; onProgress?: (done: number) => void } = {}) {
      const settings = await calendar.current()
      const batchSize = options.batchSize ?? 500
      return repos.db.transaction().execute(async (trx) => {
        await sql`LOCK TABLE measure_case_state IN EXCLUSIVE MODE`.execute(trx)
        await trx.deleteFrom('measure_cells').execute()
        await trx.deleteFrom('measure_case_state').execute()
        let done = 0
        for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
          const rows = await trx
            .selectFrom('cases')
            .selectAll()
            .where('id', '>', after)
            .orderBy('id')
            .limit(batchSize)
            .execute()
          if (rows.length === 0) break
          after = rows.at(-1)!.id
          await measuresOf(trx, rows, settings)
          done += rows.length
          options.onProgress?.(done)
        }
        return { cases: done }
      })
    },

    /**
     * Counts again, once a day, the cases whose figures can change without an event: a Victims' Code entitlement or
     * another clock passing its date unmet. Open cases, and cases finalised in the last 30 days (their last clocks),
     * not refreshed today, oldest first, `limit` at a time; a case an event holds is left for the next run.
     */
    async refreshMeasuresDue(limit = 2000) {
      const settings = await calendar.current()
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
      return repos.db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom('measure_case_state as s')
          .innerJoin('cases as c', 'c.id', 's.case_id')
          .select('c.id')
          .where(sql<boolean>`s.refreshed_at < date_trunc('day', now())`)
          .where((eb) => eb.or([eb('c.stage', '<>', 'finalised'), eb('c.finalised_on', '>=', since)]))
          .orderBy('s.refreshed_at')
          .limit(limit)
          .execute()
        if (due.length === 0) return 0
        const rows = await trx
          .selectFrom('cases')
          .selectAll()
          .where(
            'id',
            'in',
            due.map((d) => d.id),
          )
          .orderBy('id')
          .forUpdate()
          .skipLocked()
          .execute()
        if (rows.length > 0) await measuresOf(trx, rows, settings, { counted: true })
        return rows.length
      })
    },

    /**
     * Counts cases written in bulk (services/generator.ts), inside the caller's transaction: their states written,
     * their cells added to `into` for the caller to write (`writeCells`) once several batches have added theirs.
     */
    async countNewCases(trx: Kysely<Database>, ids: readonly string[], settings: Settings, into: CaseCells) {
      if (ids.length === 0) return
      const rows = await trx
        .selectFrom('cases')
        .selectAll()
        .where('id', 'in', [...ids])
        .orderBy('id')
        .execute()
      await measuresOf(trx, rows, settings, { into })
    },

    /** The codes of the offences a report or a charge may name now. */
    async activeOffenceCodes(): Promise<ReadonlySet<string>> {
      return new Set((await repos.reference.offenceCodes()).filter((o) => o.active).map((o) => o.code))
    },
  }
}
