import type { CaseListFilters } from '../../data/cases-repository'
import { whyNot, REPORT_EVENT } from '../../core/event-model'
import { eventDefinition, eventTitle } from '../../modules/registry'
import { daysWithoutDevice, REQUEST_CLOCK_IDS } from '../../modules/digital/rules'
import { moduleRows } from '../../modules/registry'
import type { ModuleRows } from '../../modules/module'
import { fieldErrors, todayIso } from '../../core/fields'
import { ACCESS_LOG_ROLES } from '../../core/roles'
import { caseAccessRules } from '../../core/scope'
import { type Stage } from '../../core/stages'
import type { RequestContext } from '../context'
import { AppError, invalid, notFound } from '../errors'
import {
  type CaseDetail,
  type CaseListQuery,
  PAGE_SIZE,
  caseListQuerySchema,
  peopleInView,
  requestHistory,
  requestsView,
} from './view'
import { actorOf, clocksOf, factsOf, sectionReads } from './facts'
import type { CaseKernel } from './kernel'

/** Reading cases in scope: lists, a case, its timeline, clocks, access log and the sections its pages show. */
export function caseReads(kernel: CaseKernel) {
  const { repos, audit, calendar, cases, partsOf, caseTeamSection, visibleCase, detail, detailAndParts } = kernel

  return {
    parseListQuery(query: unknown): CaseListQuery {
      // An empty filter box in a form means "no filter", not an invalid value.
      const given = Object.fromEntries(
        Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''),
      )
      const parsed = caseListQuerySchema.safeParse(given)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      return parsed.data
    },

    async list(ctx: RequestContext, query: CaseListQuery) {
      const filters: CaseListFilters = {
        stage: query.stage,
        forceCode: query.force || undefined,
        search: query.q?.trim() || undefined,
        sort: query.sort,
        direction: query.direction,
        page: query.page,
        pageSize: PAGE_SIZE,
      }
      const result = await cases.list(caseAccessRules(ctx.user), ctx.user.id, filters)
      await audit.record(ctx, {
        operation: 'consultation',
        action: filters.search ? 'search_cases' : 'list_cases',
        recordType: 'case',
        recordIds: result.items.map((c) => c.id),
        resultCount: result.total,
      })
      return {
        ...result,
        page: filters.page,
        pageSize: PAGE_SIZE,
        pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      }
    },

    /** Refuses (404, audited) a case out of the caller's scope: for services that check scope before the body. */
    async requireInScope(ctx: RequestContext, id: string, action: string): Promise<void> {
      await visibleCase(ctx, id, action)
    },

    async get(ctx: RequestContext, id: string): Promise<CaseDetail> {
      const found = await visibleCase(ctx, id, 'view_case')
      const result = await detail(ctx, found.row, found.fullView)
      await audit.record(ctx, { operation: 'consultation', action: 'view_case', recordType: 'case', recordIds: [id] })
      return result
    },

    /**
     * The summary of the event just applied, for the page's success banner: the case must already have been read in
     * scope (pass its detail); a seq that is not an event of the given type gives the type's generic summary.
     */
    async appliedSummary(detail: Pick<CaseDetail, 'id'>, type: string, seq: unknown): Promise<string | undefined> {
      const n = typeof seq === 'string' && /^\d{1,9}$/.test(seq) ? Number(seq) : null
      const row = n === null ? undefined : await cases.eventSummary(detail.id, n)
      return row?.type === type ? row.summary : eventDefinition(type)?.summary({})
    },

    async timeline(ctx: RequestContext, id: string) {
      const found = await visibleCase(ctx, id, 'view_timeline')
      const [events, people, isvas, advocates] = await Promise.all([
        cases.events(id),
        cases.people(id),
        cases.isvas(id),
        found.fullView ? cases.advocateNames(id) : [],
      ])
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_timeline',
        recordType: 'case',
        recordIds: [id],
        resultCount: events.length,
      })
      const names = new Map(people.map((p) => [p.id, p.unknown ? 'Unknown suspect' : (p.name ?? '')]))
      for (const i of isvas) names.set(i.userId, i.name)
      for (const a of advocates) names.set(a.id, a.name)
      // An ISVA sees the events about the complainant they support, and the case's own steps, as summaries only.
      const mine = new Set(peopleInView(ctx, found.fullView, { people, isvas }).map((p) => p.id))
      const rows = found.fullView
        ? events
        : events.filter(
            (e) =>
              (e.type === REPORT_EVENT.type || eventDefinition(e.type)?.isvaVisible) &&
              (typeof (e.data as Record<string, unknown>).complainantId !== 'string' ||
                mine.has((e.data as Record<string, unknown>).complainantId as string)),
          )
      return {
        case: {
          id,
          urn: found.row.urn,
          stage: found.row.stage as Stage,
          version: found.row.version,
          view: found.fullView ? 'full' : 'victim_support',
        },
        events: rows.map((e) => ({
          seq: e.seq,
          type: e.type,
          title: eventTitle(e.type),
          summary: e.summary,
          occurredAt: e.occurred_at.toISOString(),
          actor: { name: e.actor_name, role: e.actor_role, organisation: e.actor_org },
          stageBefore: e.stage_before,
          stageAfter: e.stage_after,
          definitionVersion: e.definition_version,
          data: found.fullView ? (e.data as Record<string, unknown>) : undefined,
        })),
        personNames: found.fullView ? Object.fromEntries(names) : {},
      }
    },

    /** The case and the event, when the caller may apply it now; otherwise the refusal (403, 409 or 422). */
    async prepareEvent(ctx: RequestContext, id: string, type: string) {
      const found = await visibleCase(ctx, id, 'prepare_event')
      const definition = eventDefinition(type)
      // An event with its own page (letters) has no generic form.
      if (!definition || definition.serviceOnly) throw notFound()
      if (!found.fullView && !definition.isvaMayRecord)
        throw new AppError(403, 'forbidden', 'Your role cannot change this case')
      // One read of the case's parts: for the page and for the rules that may refuse the event.
      const { detail: caseDetail, parts } = await detailAndParts(ctx, found.row, found.fullView)
      const refused = whyNot(definition, factsOf(found.row, parts), actorOf(ctx))
      if (refused) throw new AppError(refused.status, refused.code, refused.message)
      await audit.record(ctx, { operation: 'consultation', action: 'view_case', recordType: 'case', recordIds: [id] })
      return { detail: caseDetail, definition }
    },

    /** Every clock on the case, derived from its timeline now (nothing about a clock is stored). */
    async deadlines(ctx: RequestContext, id: string) {
      const found = await visibleCase(ctx, id, 'view_deadlines')
      const summary = {
        id,
        urn: found.row.urn,
        stage: found.row.stage as Stage,
        version: found.row.version,
        view: found.fullView ? ('full' as const) : ('victim_support' as const),
      }
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_deadlines',
        recordType: 'case',
        recordIds: [id],
      })
      // ISVAs see the victim's own entitlements when victim care arrives, not the investigation's clocks.
      if (!found.fullView) return { case: summary, clocks: [], calendarKnownUntil: null }
      const [events, people, current] = await Promise.all([cases.events(id), cases.people(id), calendar.current()])
      const complainants = new Map(people.filter((p) => p.role === 'complainant').map((p) => [p.id, p.name]))
      return {
        case: summary,
        // A Victims' Code clock names the complainant it is for.
        clocks: clocksOf(found.row, events, people, current).map((k) => ({
          ...k,
          complainant: (k.key !== null && complainants.get(k.key)) || null,
        })),
        calendarKnownUntil: `${current.calendar.lastYear}-12-31`,
      }
    },

    /**
     * What the victim care module reads of a case in scope: the people the caller may see, the timeline, the ISVAs and
     * every clock. Not audited here: the caller records the read with its own purpose.
     */
    async victimRecord(ctx: RequestContext, id: string, action: string) {
      const found = await visibleCase(ctx, id, action)
      const current = await calendar.current()
      const [events, parts] = await Promise.all([cases.events(id), partsOf(found.row, current)])
      const people = peopleInView(ctx, found.fullView, parts)
      return {
        row: found.row,
        fullView: found.fullView,
        people,
        /** What each person in view has been told of requests for their material. */
        requestsTold: requestsView(parts.materialRequests, people, false).victimRequests,
        events,
        isvas: parts.isvas,
        facts: factsOf(found.row, parts),
        clocks: clocksOf(found.row, events, parts.people, current),
        calendar: current.calendar,
        /** Clock periods an administrator set (for letters that state a target). */
        clockOverrides: current.overrides as Readonly<Record<string, number>>,
      }
    },

    /**
     * The case team's record of requests for a person's device or records: each request with its scopes, the device's
     * spells with the police, its clocks and its history. One audit row; the victim-support view may not open it.
     */
    async digitalRecord(ctx: RequestContext, id: string) {
      const { found, current, caseDetail, events, record } = await caseTeamSection(
        ctx,
        id,
        'view_digital_evidence',
        'Requests for a person’s device or records are for the case team only',
        () => cases.materialRecord(id),
        (detail) => detail.materialRequests.length,
        sectionReads({ requests: true }),
      )
      const clocks = clocksOf(found.row, events, [], current).filter((k) => REQUEST_CLOCK_IDS.includes(k.ruleId))
      const history = requestHistory(events)
      return {
        case: caseDetail,
        requests: caseDetail.materialRequests.map((r) => {
          const scopes = record.scopes.filter((x) => x.request_number === r.number)
          const spells = record.spells.filter((x) => x.request_number === r.number)
          return {
            ...r,
            scopes,
            spells,
            daysWithoutDevice: spells.length
              ? daysWithoutDevice(
                  spells.map((x) => ({ takenOn: x.taken_on, returnedOn: x.returned_on })),
                  todayIso(),
                )
              : null,
            clocks: clocks.filter((k) => k.key === String(r.number)),
            history: history.get(r.number) ?? [],
          }
        }),
      }
    },

    /**
     * A module's page of a case for the case team only (src/modules/module.ts `section`): 404 outside scope, 403 for
     * the victim-support view, and one audit row with how many of its records were read. The case, its module rows and
     * every clock come from one read of the case's parts; the timeline from one more.
     */
    async moduleSection(
      ctx: RequestContext,
      id: string,
      section: { module: string; action: string; forbidden: string; count: (rows: ModuleRows) => number },
    ) {
      const found = await visibleCase(ctx, id, section.action)
      const audited = {
        operation: 'consultation' as const,
        action: section.action,
        recordType: 'case',
        recordIds: [id],
      }
      if (!found.fullView) {
        await audit.record(ctx, { ...audited, outcome: 'forbidden' })
        throw new AppError(403, 'forbidden', section.forbidden)
      }
      const current = await calendar.current()
      const [{ detail: caseDetail, parts }, events] = await Promise.all([
        detailAndParts(ctx, found.row, true, undefined, sectionReads({ modules: [section.module] })),
        cases.events(id),
      ])
      const rows = moduleRows(parts.modules, section.module)
      await audit.record(ctx, { ...audited, resultCount: section.count(rows) })
      return { caseDetail, events, rows, clocks: clocksOf(found.row, events, [], current) }
    },

    async accessLog(ctx: RequestContext, id: string) {
      const found = await visibleCase(ctx, id, 'view_access_log')
      if (!ctx.user.roles.some((r) => ACCESS_LOG_ROLES.includes(r))) {
        await audit.record(ctx, {
          operation: 'consultation',
          action: 'view_access_log',
          recordType: 'case',
          recordIds: [id],
          outcome: 'forbidden',
        })
        throw new AppError(
          403,
          'forbidden',
          'Only police supervisors and CPS unit heads can see who read or changed a case',
        )
      }
      const rows = await repos.audit.forRecord(id)
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_access_log',
        recordType: 'case',
        recordIds: [id],
        resultCount: rows.length,
      })
      const entries = rows.map((r) => ({
        at: r.at.toISOString(),
        actor: r.actor_name ?? (r.actor_id ? 'Unknown user' : 'System'),
        actorOrg: r.actor_org,
        actorRole: r.actor_role,
        operation: r.operation,
        action: r.action,
        justification: r.justification,
        outcome: r.outcome,
        resultCount: r.result_count,
      }))
      return {
        case: {
          id,
          urn: found.row.urn,
          stage: found.row.stage as Stage,
          version: found.row.version,
          view: found.fullView ? ('full' as const) : ('victim_support' as const),
        },
        entries,
      }
    },

    async referenceOptions() {
      const [outcomes, offences] = await Promise.all([repos.reference.outcomeTypes(), repos.reference.offenceCodes()])
      return { outcomes, offences: offences.filter((o) => o.active) }
    },
  }
}
