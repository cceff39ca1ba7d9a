import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { POLICE_OUTCOME_CODES } from '../../../modules/investigation/events'
import { type EventDefinition } from '../../../core/event-model'
import { CASE_SECTIONS, eventDefinition } from '../../../modules/registry'
import { longDate } from '../../../modules/victim-care/letters'
import {
  AGE_BANDS,
  DISABILITY_OPTIONS,
  ETHNICITY_OPTIONS,
  labelOf,
  RELATIONSHIP_OPTIONS,
  SEX_OPTIONS,
} from '../../../domain/people'
import { FLAGS } from '../../../domain/report'
import {
  ACCESS_LOG_ROLES,
  ROLE_LABELS,
  ROLE_NAMES,
  ROLE_ORGANISATION_KINDS,
  ROLES,
  type Role,
} from '../../../core/roles'
import { TASK_VIEW_EXPLANATIONS, TASK_VIEWS } from '../../../core/tasks'
import { TASK_KIND_IDS, TASK_KINDS } from '../../../modules/registry'
import { finalOutcomeText, STAGES, STAGE_LABELS } from '../../../core/stages'
import type { Services } from '../../../services'
import type { CaseDetail } from '../../../services/case'
import { AppError, notFound } from '../../../services/errors'
import { errorList, fieldViews, formToData, type FieldOptions } from '../../forms'
import { requireUser } from '../../plugins/auth'
import { victimCareOf } from '../../../modules/victim-care/service'
import { advocatesOf } from '../../../modules/advocates/service'

type Params = { id: string; type?: string }

export function personLabel(p: { name: string | null; unknown: boolean; role: string }): string {
  return `${p.unknown ? 'Unknown suspect' : (p.name ?? '')} (${p.role})`
}

/** The case's sub-navigation: the same sections on every case page. */
export const caseNav = (request: FastifyRequest, detail: { id: string; view?: string }, current: string) => [
  { text: 'Overview', href: `/cases/${detail.id}`, active: current === 'overview' },
  { text: 'Timeline', href: `/cases/${detail.id}/timeline`, active: current === 'timeline' },
  { text: 'Deadlines', href: `/cases/${detail.id}/deadlines`, active: current === 'deadlines' },
  ...CASE_SECTIONS.filter((s) => detail.view === 'full' || !s.fullViewOnly).map((s) => ({
    text: s.title,
    href: `/cases/${detail.id}/${s.path}`,
    active: current === s.path,
  })),
  ...(request.user!.roles.some((r) => ACCESS_LOG_ROLES.includes(r))
    ? [{ text: 'Access log', href: `/cases/${detail.id}/access-log`, active: current === 'access-log' }]
    : []),
]

export function registerCasePages(app: FastifyInstance, services: Services) {
  const cases = services.cases

  app.get('/tasks', { preHandler: requireUser, config: { purpose: 'Read my work queue' } }, async (request, reply) => {
    const queue = services.workQueue
    const user = request.user!
    let errors: Record<string, string> = {}
    let query
    try {
      query = queue.parseQuery(request.query)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      errors = error.fields
      query = queue.parseQuery({ view: (request.query as { view?: unknown }).view === 'team' ? 'team' : 'mine' })
    }
    if (query.view === 'team' && !queue.hasTeamView(user)) query = { ...query, view: 'mine' as const }
    const ctx = request.context('read the work queue')
    const [result, notifications] = await Promise.all([queue.list(ctx, query), queue.notifications(ctx)])
    const heading = TASK_VIEWS.find((v) => v.value === result.view)!.text
    return reply.render('cases/tasks.njk', {
      title: heading,
      heading,
      section: 'tasks',
      query,
      errors,
      errorList: errorList(errors),
      result,
      notifications,
      explanation: TASK_VIEW_EXPLANATIONS[result.view],
      views: TASK_VIEWS.filter((v) => v.value !== 'team' || queue.hasTeamView(user)).map((v) => ({
        text: `${v.text} (${result.counts[v.value] ?? 0})`,
        href: `/tasks?view=${v.value}`,
        active: v.value === result.view,
      })),
      kindItems: [
        { value: '', text: 'All kinds' },
        ...TASK_KIND_IDS.map((k) => ({ value: k, text: TASK_KINDS[k]!.label, selected: query.kind === k })),
      ],
      roleItems: [
        { value: '', text: 'Everyone' },
        ...ROLES.filter((r) => ROLE_ORGANISATION_KINDS[r].includes(user.orgKind) && r !== 'admin').map((r) => ({
          value: r,
          text: ROLE_LABELS[r],
          selected: query.role === r,
        })),
      ],
    })
  })

  app.get(
    '/cases',
    { preHandler: requireUser, config: { purpose: 'List and search the cases the user works on' } },
    async (request, reply) => {
      const raw = request.query as Record<string, unknown>
      let errors: Record<string, string> = {}
      let query
      try {
        query = cases.parseListQuery(raw)
      } catch (error) {
        if (!(error instanceof AppError)) throw error
        errors = error.fields
        query = cases.parseListQuery({})
      }
      const result = await cases.list(request.context('list cases'), query)
      const link = (change: Record<string, string | number | undefined>) => {
        const params = new URLSearchParams()
        const merged = {
          stage: query.stage,
          q: query.q,
          sort: query.sort,
          direction: query.direction,
          page: query.page,
          ...change,
        }
        for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '') params.set(k, String(v))
        return `/cases?${params.toString()}`
      }
      const sortHeader = (key: 'urn' | 'stage' | 'reported' | 'updated', text: string) => {
        const active = query.sort === key
        const direction = active && query.direction === 'asc' ? 'desc' : 'asc'
        return {
          text,
          href: link({ sort: key, direction, page: 1 }),
          ariaSort: active ? (query.direction === 'asc' ? 'ascending' : 'descending') : 'none',
        }
      }
      return reply.render('cases/list.njk', {
        title: 'My cases',
        section: 'cases',
        query,
        errors,
        errorList: errorList(errors),
        result,
        stageItems: [
          { value: '', text: 'All stages' },
          ...STAGES.map((s) => ({ value: s, text: STAGE_LABELS[s], selected: query.stage === s })),
        ],
        headers: [
          sortHeader('urn', 'URN'),
          { text: 'Crime reference' },
          sortHeader('stage', 'Stage'),
          { text: 'Offences' },
          sortHeader('reported', 'Reported'),
          sortHeader('updated', 'Last updated'),
        ],
        previous: query.page > 1 ? link({ page: query.page - 1 }) : null,
        next: query.page < result.pages ? link({ page: query.page + 1 }) : null,
      })
    },
  )

  app.get<{ Params: Params }>(
    '/cases/:id',
    { preHandler: requireUser, config: { purpose: 'Open a case to work on it' } },
    async (request, reply) => {
      const detail = await cases.get(request.context('view case'), request.params.id)
      const q = request.query as Record<string, unknown>
      const outcomes = await services.referenceAdmin.outcomeTypes()
      const outcomeName = (code: number | null) =>
        code === null ? null : `${code}: ${outcomes.find((o) => o.code === code)?.name ?? ''}`
      const organisations = await services.referenceAdmin.organisations()
      const orgName = (code: string) => organisations.find((o) => o.code === code)?.name ?? code
      return reply.render('cases/overview.njk', {
        title: `Case ${detail.urn}`,
        forceName: orgName(detail.forceCode),
        areaName: orgName(detail.areaCode),
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'overview'),
        flags: FLAGS.filter((f) => detail.flags[f.key]).map((f) => f.text),
        people: detail.people.map((p) => ({
          ...p,
          label: p.unknown ? 'Unknown suspect' : p.name,
          sexText: labelOf(SEX_OPTIONS, p.sex),
          ageText: labelOf(AGE_BANDS, p.ageBand),
          ethnicityText: labelOf(ETHNICITY_OPTIONS, p.ethnicity),
          disabilityText: labelOf(DISABILITY_OPTIONS, p.disability),
          relationshipText: p.role === 'suspect' ? labelOf(RELATIONSHIP_OPTIONS, p.relationship) : null,
        })),
        nextSteps: detail.availableEvents.filter((e) => eventHome(e.type, detail.id) === `/cases/${detail.id}`),
        // The modules' own pages, each with how many things the caller can record there.
        sections: CASE_SECTIONS.filter((s) => detail.view === 'full' || !s.fullViewOnly).map((s) => ({
          path: s.path,
          title: s.title,
          summary: s.summary,
          steps: detail.availableEvents.filter((e) => s.eventTypes.has(e.type)).length,
          count: s.count?.(detail as unknown as Record<string, unknown>) ?? 0,
        })),
        policeOutcome: outcomeName(detail.policeOutcomeCode),
        proposedOutcome: outcomeName(detail.proposedOutcomeCode),
        finalOutcome: finalOutcomeText(detail.finalOutcome),
        defendants: await defendantsOf(detail),
        created: q.created === '1',
        applied: typeof q.applied === 'string' ? await cases.appliedSummary(detail, q.applied, q.seq) : undefined,
      })
    },
  )

  app.get<{ Params: Params }>(
    '/cases/:id/timeline',
    { preHandler: requireUser, config: { purpose: 'Read the timeline of a case' } },
    async (request, reply) => {
      const timeline = await cases.timeline(request.context('view timeline'), request.params.id)
      const reference = await cases.referenceOptions()
      const referenceNames = {
        outcome_types: new Map(reference.outcomes.map((o) => [String(o.code), `${o.code}: ${o.name}`])),
        offence_codes: new Map(reference.offences.map((o) => [o.code, `${o.code}: ${o.name}`])),
      }
      return reply.render('cases/timeline.njk', {
        title: `Timeline of case ${timeline.case.urn}`,
        section: 'cases',
        detail: timeline.case,
        nav: caseNav(request, timeline.case, 'timeline'),
        items: timeline.events.map((e) => ({
          label: { text: e.summary },
          datetime: { timestamp: e.occurredAt, type: 'datetime' },
          byline: { text: `${e.actor.name}, ${ROLE_NAMES[e.actor.role as Role] ?? e.actor.role}` },
          attributes: { 'data-qa': `event-${e.type}` },
          details: e.data ? describeData(e.type, e.data, timeline.personNames, referenceNames) : [],
          stageChange:
            e.stageBefore && e.stageBefore !== e.stageAfter
              ? `${STAGE_LABELS[e.stageBefore as keyof typeof STAGE_LABELS]} to ${STAGE_LABELS[e.stageAfter as keyof typeof STAGE_LABELS]}`
              : null,
        })),
      })
    },
  )

  app.get<{ Params: Params }>(
    '/cases/:id/deadlines',
    { preHandler: requireUser, config: { purpose: 'Check the deadlines of a case' } },
    async (request, reply) => {
      const result = await cases.deadlines(request.context('view deadlines'), request.params.id)
      return reply.render('cases/deadlines.njk', {
        title: `Deadlines of case ${result.case.urn}`,
        section: 'cases',
        detail: result.case,
        nav: caseNav(request, result.case, 'deadlines'),
        clocks: result.clocks.map((c) => ({ ...c, statusText: clockStatusText(c), tagClass: CLOCK_TAGS[c.status] })),
        calendarKnownUntil: result.calendarKnownUntil,
      })
    },
  )

  app.get<{ Params: Params }>(
    '/cases/:id/access-log',
    { preHandler: requireUser, config: { purpose: 'Supervise who read or changed a case' } },
    async (request, reply) => {
      const log = await cases.accessLog(request.context('view access log'), request.params.id)
      return reply.render('cases/access-log.njk', {
        title: `Access log of case ${log.case.urn}`,
        section: 'cases',
        detail: log.case,
        nav: caseNav(request, log.case, 'access-log'),
        entries: log.entries,
      })
    },
  )

  const shorten = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text)
  const offenceName = (offences: { code: string; name: string }[], code: string) =>
    offences.find((o) => o.code === code)?.name ?? `Offence ${code}`

  /** The court record grouped by defendant: their charges with plea and result, and their sentence. */
  const defendantsOf = async (detail: CaseDetail) => {
    if (detail.charges.length === 0) return []
    const { offences } = await cases.referenceOptions()
    return detail.people
      .filter((p) => detail.charges.some((c) => c.suspectId === p.id))
      .map((p) => ({
        label: p.name,
        charges: detail.charges
          .filter((c) => c.suspectId === p.id)
          .map((c) => ({ ...c, offenceName: offenceName(offences, c.offenceCode) })),
        sentence: detail.sentences.find((x) => x.suspectId === p.id) ?? null,
      }))
  }

  /** The advocates an advocate field offers: eligible today for an instruction, or instructed on the case. */
  const advocateChoices = async (request: FastifyRequest, detail: CaseDetail, definition: EventDefinition) => {
    const f = Object.values(definition.fields).find((x) => x.ui.kind === 'advocate')
    if (!f || f.ui.kind !== 'advocate') return []
    return advocatesOf(services).choicesFor(
      request.context('choose an advocate'),
      {
        id: detail.id,
        areaCode: detail.areaCode,
        hearingDates: detail.hearings.filter((h) => h.status === 'listed').map((h) => h.on),
        instructed: detail.advocates.map((a) => a.advocateId),
      },
      f.ui.instructed,
    )
  }

  const showEventForm = async (
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    detail: CaseDetail,
    state: { body?: Record<string, unknown>; errors?: Record<string, string>; status?: number; stale?: string },
  ) => {
    const definition = eventDefinition(request.params.type ?? '')!
    const refOptions = await cases.referenceOptions()
    const lookups: FieldOptions = {
      people: detail.people.map((p) => ({ id: p.id, role: p.role, unknown: p.unknown, label: personLabel(p) })),
      actionItems: detail.actionPlan
        .filter((i) => i.status === 'open')
        .map((i) => ({
          number: i.number,
          label: `Item ${i.number}: ${shorten(i.description)}${i.proposedDueOn ? ` (more time asked for, to ${i.proposedDueOn})` : ''}`,
        })),
      outcomes: refOptions.outcomes.filter((o) => POLICE_OUTCOME_CODES.includes(o.code)),
      offences: refOptions.offences,
      hearings: detail.hearings.map((h) => ({
        number: h.number,
        status: h.status,
        label: `Hearing ${h.number}: ${h.typeText}, ${h.court}, ${longDate(h.on)}`,
      })),
      charges: detail.charges
        .filter((c) => c.result === null)
        .map((c) => ({
          number: c.number,
          label: `Charge ${c.number} (${personLabel(detail.people.find((p) => p.id === c.suspectId)!)}): ${offenceName(refOptions.offences, c.offenceCode)}${c.pleaText ? `, pleaded ${c.pleaText.toLowerCase()}` : ''}`,
        })),
      directions: detail.directions
        .filter((d) => d.status !== 'complied')
        .map((d) => ({
          number: d.number,
          label: `Direction ${d.number} (${d.partyText.toLowerCase()}, due ${longDate(d.dueOn)}): ${shorten(d.description)}`,
        })),
      disclosureItems: detail.disclosureItems.map((i) => ({
        ref: i.ref,
        label: `${i.ref}: ${shorten(i.description)}${i.decision ? ` (decided: ${i.decision.replace(/_/g, ' ')})` : ''}`,
      })),
      materialRequests: detail.materialRequests.map((r) => ({
        number: r.number,
        state: r.state,
        kind: r.kind,
        label: `Request ${r.number}: ${r.materialText.toLowerCase()} of ${personLabel(detail.people.find((p) => p.id === r.personId)!)} (${r.stateText.toLowerCase()})`,
      })),
      advocates: await advocateChoices(request, detail, definition),
      users: Object.values(definition.fields).some((f) => f.ui.kind === 'user')
        ? await victimCareOf(services).isvaChoices(detail.id)
        : [],
    }
    const errors = state.errors ?? {}
    const body = state.body
    return reply.render(
      'cases/event.njk',
      {
        title: definition.title,
        section: 'cases',
        backLink: eventHome(definition.type, detail.id),
        detail,
        definition,
        // A link from the victim care page names the complainant the form is about.
        fields: fieldViews(definition.fields, { body, errors, lookups, values: prefill(request.query) }),
        errorList: [
          ...(state.stale ? [{ text: state.stale, href: '#main-content' }] : []),
          ...errorList(errors, definition.fields),
        ],
        expectedVersion: detail.version,
        idempotencyKey: typeof body?.idempotencyKey === 'string' && !state.stale ? body.idempotencyKey : randomUUID(),
        stale: state.stale,
      },
      state.status ?? 200,
    )
  }

  const loadForEvent = async (request: FastifyRequest<{ Params: Params }>) => {
    const ctx = request.context('prepare an event')
    const { detail, definition } = await cases.prepareEvent(ctx, request.params.id, request.params.type ?? '')
    return { ctx, detail, definition }
  }

  app.get<{ Params: Params }>(
    '/cases/:id/events/:type',
    { preHandler: requireUser, config: { purpose: 'Prepare to record an event on a case' } },
    async (request, reply) => {
      const { detail } = await loadForEvent(request)
      return showEventForm(request, reply, detail, {})
    },
  )

  app.post<{ Params: Params }>(
    '/cases/:id/events/:type',
    { preHandler: requireUser, config: { purpose: 'Record an event on a case' } },
    async (request, reply) => {
      const ctx = request.context('record an event')
      const caseId = request.params.id
      const definition = eventDefinition(request.params.type ?? '')
      // An event with its own page (letters) has no generic form; scope is still checked (and audited) first.
      if (!definition || definition.serviceOnly) {
        await cases.requireInScope(ctx, caseId, 'apply_event')
        throw notFound()
      }
      const body = (request.body ?? {}) as Record<string, unknown>
      const sent = Number(body.expectedVersion)
      // The case is read once, in the event's transaction; the form is drawn again (reading it) only on a problem.
      const expectedVersion = Number.isInteger(sent) && sent > 0 ? sent : (await loadForEvent(request)).detail.version
      try {
        const applied = await cases.recordEvent(ctx, caseId, {
          type: definition.type,
          data: formToData(definition.fields, body),
          expectedVersion,
          idempotencyKey: typeof body.idempotencyKey === 'string' ? body.idempotencyKey.slice(0, 200) : undefined,
        })
        const back = eventHome(definition.type, caseId)
        return reply.redirect(`${back}?applied=${definition.type}&seq=${applied.seq}`, 303)
      } catch (error) {
        if (!(error instanceof AppError) || ![400, 409, 422].includes(error.status)) throw error
        if (error.status === 409 && error.code !== 'stale_version') throw error
        const { detail } = await loadForEvent(request)
        if (error.status === 400) {
          const errors = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k.replace(/^data\./, ''), v]))
          return showEventForm(request, reply, detail, { body, errors, status: 400 })
        }
        if (error.status === 409 && error.code === 'stale_version') {
          return showEventForm(request, reply, detail, { body, status: 409, stale: error.message })
        }
        if (error.status === 422) {
          const key = Object.keys(definition.fields)[0] ?? 'main-content'
          return showEventForm(request, reply, detail, { body, errors: { [key]: error.message }, status: 422 })
        }
        throw error
      }
    },
  )
}

/** The page an event is recorded from and returns to: its module's page (victim care, digital evidence…), or the overview. */
export function eventHome(type: string, caseId: string): string {
  const section = CASE_SECTIONS.find((s) => s.eventTypes.has(type))
  if (section) return `/cases/${caseId}/${section.path}`
  return `/cases/${caseId}`
}

/** Values a page link may fill in on an event form: the complainant it is about, or the request. */
function prefill(query: unknown): Record<string, unknown> {
  const q = (query ?? {}) as Record<string, unknown>
  return {
    ...(typeof q.complainant === 'string' && /^[0-9a-f-]{36}$/.test(q.complainant) && { complainantId: q.complainant }),
    ...(typeof q.request === 'string' && /^\d{1,4}$/.test(q.request) && { requestNumber: Number(q.request) }),
  }
}

export const CLOCK_TAGS = {
  running: 'govuk-tag--blue',
  met: 'govuk-tag--green',
  overdue: 'govuk-tag--red',
  cancelled: 'govuk-tag--grey',
} as const

export function clockStatusText(clock: {
  status: keyof typeof CLOCK_TAGS
  late: boolean
  stoppedBy: { reason: string } | null
}): string {
  if (clock.status === 'met') return clock.late ? 'Met late' : 'Met'
  if (clock.status === 'cancelled') return clock.stoppedBy?.reason === 'superseded' ? 'Replaced' : 'No longer applies'
  return clock.status === 'overdue' ? 'Overdue' : 'Running'
}

/** Turns an event's stored data into label/value rows for the timeline, naming people from the case record. */
export function describeData(
  type: string,
  data: Record<string, unknown>,
  names: Record<string, string>,
  referenceNames: Record<'outcome_types' | 'offence_codes', Map<string, string>>,
) {
  const definition = eventDefinition(type)
  if (!definition) return []
  return Object.entries(definition.fields)
    .filter(([key]) => data[key] !== undefined)
    .map(([key, f]) => {
      const value = data[key]
      let text = String(value)
      if (f.ui.kind === 'person') text = names[String(value)] ?? 'Person no longer on the case'
      else if (f.ui.kind === 'hearing') text = `Hearing ${String(value)}`
      else if (f.ui.kind === 'charge') text = `Charge ${String(value)}`
      else if (f.ui.kind === 'advocate') text = names[String(value)] ?? 'An advocate'
      else if (f.ui.kind === 'direction') text = `Direction ${String(value)}`
      else if (f.ui.kind === 'materialRequest') text = `Request ${String(value)}`
      else if (f.ui.kind === 'list' && Array.isArray(value) && 'itemRef' in f.ui.item) {
        // Disclosure decisions and amendments name their item.
        text = (value as Record<string, unknown>[])
          .map((row) => `${String(row.itemRef)}: ${String(row.decision ?? row.description ?? '').replace(/_/g, ' ')}`)
          .join('; ')
      } else if (f.ui.kind === 'user') text = names[String(value)] ?? 'An ISVA no longer on the case'
      else if (f.ui.kind === 'people' && Array.isArray(value))
        text = value.map((id) => names[String(id)] ?? 'Person no longer on the case').join(', ')
      else if (f.ui.kind === 'list' && Array.isArray(value)) {
        const itemLabel = f.ui.itemLabel
        text = (value as Record<string, unknown>[])
          .map((row, i) => `${itemLabel} ${i + 1}: ${String(row.description ?? '')}`)
          .join('; ')
      } else if (f.ui.kind === 'radios' || f.ui.kind === 'select')
        text = f.ui.options.find((o) => o.value === value)?.text ?? text
      else if (f.ui.kind === 'checkboxes' && Array.isArray(value)) {
        const options = f.ui.options
        text = value.map((v) => options.find((o) => o.value === v)?.text ?? String(v)).join('; ')
      } else if (f.ui.kind === 'boolean') text = value ? 'Yes' : 'No'
      else if (f.ui.kind === 'reference') text = referenceNames[f.ui.table].get(String(value)) ?? text
      return { label: f.label.replace(/ \(optional\)$/, ''), text, isDate: f.ui.kind === 'date' }
    })
}
