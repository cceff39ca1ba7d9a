import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import type { Config } from '../config'
import type { Repositories } from '../data'
import type { CaseListFilters, CaseSort, PartsInclude } from '../data/cases-repository'
import type { Selectable } from 'kysely'
import type { ActionPlanItemsTable, CaseRow, Database, EventRow, HearingsTable, PersonRow } from '../data/schema'
import { actingRole, type Actor, type CaseFacts, whyNot, REPORT_EVENT, stageAfter } from '../core/event-model'
import { availableEvents, eventDefinition, EVENT_DEFINITIONS, eventTitle } from '../modules/registry'
import { CalendarRangeError, type WorkingDayCalendar } from '../core/calendar'
import { actionItemDue } from '../core/clocks'
import { CLOCK_RULES, deriveClocks } from '../modules/registry'
import { hasEnhancedRights } from '../domain/victims-code'
import { finalisationAllowedFrom, type LadderStep, resolveLadder } from '../domain/escalation'
import type { EventDefinition, VictimFacts } from '../core/event-model'
import { optionText, VICTIM_FACT_EVENTS, victimFacts } from '../domain/victim-care'
import {
  DIGITAL_EVENT_TYPES,
  daysWithoutDevice,
  MATERIAL,
  REQUEST_CLOCK_IDS,
  REQUEST_STATES,
  type RequestKind,
  type RequestState,
  victimViewOf,
} from '../domain/digital'
import { DIRECTION_PARTIES, hearingTypeText } from '../domain/court'
import { CHARGE_RESULTS, PLEAS, SENTENCES } from '../domain/court-outcomes'
import { ADVOCATE_KINDS, continuityOfCounsel, RETURNED_BRIEF_REASONS } from '../domain/advocates'
import { SCHEDULED_EVENTS } from '../domain/pre-charge'
import type { TaskKindId } from '../core/tasks'
import { tasksOf } from '../core/event-model'
import { DECISION_TASK_KINDS, TASK_KINDS } from '../modules/registry'
import { SERVICE_ORG, SYSTEM_USER_ID } from '../data/reference'
import {
  type CaseMeasureState,
  measureCaseOf,
  refreshCaseMeasures,
  stateOfCase,
  writeBatchCells,
  type CaseCells,
} from './measure-projection'
import { updateWorkQueue } from './work-queue'
import { applyCourtEffects } from './court-record'
import { type CaseStore, databaseStore, type MemoryStore } from './case-store'
import { applyAdvocateEffects } from './advocates'
import { applyDigitalEffects } from './digital-record'
import { moduleFacts, moduleReadsFor, moduleRows, moduleViews, tableWriteFor } from '../modules/registry'
import type { ModuleRows } from '../modules/module'
import { fieldErrors, isUuid, todayIso } from '../core/fields'
import { FLAGS, reportSchema, type ReportInput } from '../domain/report'
import { ACCESS_LOG_ROLES } from '../core/roles'
import { type CaseView, caseAccessRules } from '../core/scope'
import { STAGE_LABELS, STAGES, type Stage } from '../core/stages'
import { formatUrn } from '../core/urn'
import type { AuditTrail } from './audit-trail'
import type { CalendarService } from './calendar'
import type { RequestContext } from './context'
import { AppError, invalid, notFound } from './errors'

export interface PersonView {
  id: string
  role: 'complainant' | 'suspect' | 'witness'
  name: string | null
  unknown: boolean
  dateOfBirth: string | null
  ageBand: string | null
  sex: string | null
  ethnicity: string | null
  disability: string | null
  relationship: string | null
}

export interface CaseDetail {
  id: string
  urn: string
  crimeReference: string
  forceCode: string
  areaCode: string
  stage: Stage
  stageLabel: string
  version: number
  reportedOn: string
  finalisedOn: string | null
  finalOutcome: string | null
  policeOutcomeCode: number | null
  proposedOutcomeCode: number | null
  proposedBy: string | null
  flags: Record<string, boolean>
  restricted: boolean
  view: CaseView
  people: PersonView[]
  offences: { id: string; code: string; name: string | null; committedFrom: string; committedTo: string | null }[]
  availableEvents: { type: string; title: string }[]
  actionPlan: {
    number: number
    description: string
    owner: string
    dueOn: string
    proportionality: string
    status: string
    answeredOn: string | null
    proposedDueOn: string | null
  }[]
  /** Who the case is waiting on: its open tasks (full view only). */
  waitingFor: { kind: string; label: string; role: string; dueOn: string | null; decision: boolean }[]
  /** Hearings in the order listed; ISVAs see them too (the complainant is told of every date). */
  hearings: {
    number: number
    type: string
    typeText: string
    on: string
    court: string
    status: 'listed' | 'held' | 'adjourned' | 'vacated'
    requestedBy: string | null
  }[]
  /** The court record (full view only): charges with plea and result, sentences, and the judge's directions. */
  charges: {
    number: number
    suspectId: string
    offenceCode: string
    description: string
    plea: string | null
    pleaText: string | null
    pleaHearing: number | null
    pleaAtFirstHearing: boolean | null
    result: string | null
    resultText: string | null
    resultOn: string | null
    droppedAtHearing: number | null
  }[]
  sentences: { suspectId: string; sentence: string; sentenceText: string; custodyMonths: number | null; on: string }[]
  /** Advocates instructed on the case, in order, and whether the same one appeared at the PTPH and the trial. */
  advocates: {
    advocateId: string
    name: string
    kindText: string
    chambers: string
    instructedOn: string
    endedOn: string | null
    endReason: 'replaced' | 'returned' | null
    returnedReasonText: string | null
    current: boolean
  }[]
  continuity: { ptph: string | null; trial: string | null; continuous: boolean | null }
  /** Requests for a person's device or records (full view only; the detail is on the case's digital page). */
  materialRequests: {
    number: number
    personId: string
    material: string
    materialText: string
    kind: RequestKind
    holder: string | null
    state: RequestState
    stateText: string
    scopeStage: number
    held: boolean
    holderStatus: string | null
    fairTrialConclusion: string | null
  }[]
  /** What each person in view has been told of requests for their material, in plain words (every view). */
  victimRequests: { number: number; personId: string; what: string; status: string }[]
  directions: {
    number: number
    hearingNumber: number
    party: string
    partyText: string
    description: string
    dueOn: string
    status: 'open' | 'complied' | 'not_complied'
    compliedOn: string | null
  }[]
}

export const caseListQuerySchema = z.object({
  stage: z.enum(STAGES, { error: 'Select a stage from the list' }).optional(),
  force: z
    .string()
    .max(100, { error: 'Force must be 100 characters or fewer' })
    .regex(/^[a-z0-9-]*$/, { error: 'Force must be an organisation code' })
    .optional(),
  q: z.string().max(100, { error: 'Search must be 100 characters or fewer' }).optional(),
  sort: z
    .enum(['updated', 'reported', 'urn', 'stage'] satisfies CaseSort[], {
      error: 'Sort by updated, reported, urn or stage',
    })
    .default('updated'),
  direction: z.enum(['asc', 'desc'], { error: 'Direction must be asc or desc' }).default('desc'),
  page: z.coerce
    .number({ error: 'Page must be a number' })
    .int({ error: 'Page must be a whole number' })
    .min(1, { error: 'Page must be 1 or more' })
    .max(100000, { error: 'Page must be 100000 or less' })
    .default(1),
  overdue: z.enum(['true', 'false']).optional(),
})
export type CaseListQuery = z.infer<typeof caseListQuerySchema>

export const PAGE_SIZE = 25

export const eventBodySchema = z.strictObject({
  type: z.string({ error: 'Enter the event type' }).max(100, { error: 'Event type must be 100 characters or fewer' }),
  data: z.record(z.string(), z.unknown(), { error: 'Send data as an object' }).default({}),
  expectedVersion: z
    .number({ error: 'Send expectedVersion, the version of the case you last read' })
    .int({ error: 'expectedVersion must be a whole number' })
    .min(1, { error: 'expectedVersion must be 1 or more' })
    .max(2_000_000_000),
  idempotencyKey: z
    .string({ error: 'idempotencyKey must be text' })
    .min(8, { error: 'idempotencyKey must be 8 characters or more' })
    .max(200, { error: 'idempotencyKey must be 200 characters or fewer' })
    .optional(),
})

function actorOf(ctx: RequestContext): Actor {
  return { id: ctx.user.id, roles: ctx.user.roles, orgCode: ctx.user.orgCode }
}

type ReadParts = Awaited<ReturnType<Repositories['cases']['parts']>>

interface CaseParts {
  people: PersonRow[]
  decisions: CaseFacts['decisions']
  actionItems: Selectable<ActionPlanItemsTable>[]
  /** The ladder steps each escalated item has reached. */
  escalatedSteps: Map<string, Set<string>>
  /** The escalation ladder for the case's force and area. */
  ladder: readonly LadderStep[]
  adminFinalisationMonths: number
  isvas: Awaited<ReturnType<Repositories['cases']['isvas']>>
  victims: VictimFacts
  hearings: Selectable<HearingsTable>[]
  court: ReadParts['court']
  materialRequests: Awaited<ReturnType<Repositories['cases']['materialRequests']>>
  /** The modules' own rows of the case, by `module.read` (src/modules/module.ts). */
  modules: ReadParts['modules']
  /** The age from which a person answers a request for their material alone (config). */
  materialAgreementAge: number
}

function factsOf(
  row: CaseRow,
  {
    people,
    decisions,
    actionItems,
    escalatedSteps,
    ladder,
    adminFinalisationMonths,
    isvas,
    victims,
    hearings,
    court,
    materialRequests,
    materialAgreementAge,
    modules,
  }: CaseParts,
  today: string = todayIso(),
): CaseFacts {
  const open = actionItems.filter((i) => i.status === 'open')
  const lastStep = ladder[ladder.length - 1]!.id
  const firstSet = open.map((i) => i.set_on).sort()[0]
  return {
    id: row.id,
    today,
    stage: row.stage as Stage,
    proposedOutcomeCode: row.proposed_outcome_code,
    proposedBy: row.proposed_by,
    policeOutcomeCode: row.police_outcome_code,
    people: people.map((p) => ({
      id: p.id,
      role: p.role,
      unknown: p.unknown,
      agreesAloneFrom: p.date_of_birth ? addYears(p.date_of_birth, materialAgreementAge) : null,
    })),
    earlyAdvice: row.early_advice_status as CaseFacts['earlyAdvice'],
    referral: row.referral_status
      ? {
          status: row.referral_status as 'prepared' | 'signed_off',
          preparedBy: row.referral_prepared_by,
          suspectIds: row.referral_suspect_ids,
        }
      : null,
    decisions,
    actionItems: actionItems.map((i) => ({ number: i.number, status: i.status, proposedDueOn: i.proposed_due_on })),
    adminFinalisation: {
      ladderExhausted: open.some((i) => escalatedSteps.get(i.id)?.has(lastStep) ?? false),
      allowedFrom: firstSet ? finalisationAllowedFrom(firstSet, adminFinalisationMonths) : null,
    },
    victims: { ...victims, isvas: isvas.map((i) => ({ userId: i.userId, complainantId: i.complainantId })) },
    finalOutcome: row.final_outcome,
    hearings: hearings.map((h) => ({ number: h.number, type: h.hearing_type, on: h.hearing_on, status: h.status })),
    charges: court.charges.map((c) => ({ number: c.number, suspectId: c.suspect_id, plea: c.plea, result: c.result })),
    sentenced: court.sentences.map((s) => s.suspect_id),
    directions: court.directions.map((d) => ({ number: d.number, status: d.status })),
    advocate: {
      current: court.advocates.find((a) => a.ended_seq === null)?.advocate_id ?? null,
      instructed: [...new Set(court.advocates.map((a) => a.advocate_id))],
    },
    materialRequests: materialRequests.map((r) => ({
      number: r.number,
      personId: r.person_id,
      kind: r.kind,
      state: r.state,
      scopeStage: r.scope_stage,
      scopeBy: r.scope_by,
      agreedOn: r.agreed_on,
      held: r.held,
      takenOn: r.taken_on,
      extracted: r.extracted_on !== null,
      holder: r.holder_status,
      sentOn: r.sent_on,
      fairTrialConsidered: r.fair_trial_conclusion !== null,
    })),
    ...(moduleFacts(modules) as Pick<CaseFacts, 'disclosure'>),
  }
}

/** The same day of the month, years later (29 February becomes 1 March in a year that is not a leap year). */
function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10)
}

/**
 * The people a caller may see on a case: everyone with the full view; for an ISVA, only the complainant they support
 * (an assignment made before ISVAs were assigned per complainant covers every complainant).
 */
export function peopleInView(ctx: RequestContext, fullView: boolean, parts: Pick<CaseParts, 'people' | 'isvas'>) {
  if (fullView) return parts.people
  const mine = parts.isvas.filter((i) => i.userId === ctx.user.id).map((i) => i.complainantId)
  return parts.people.filter((p) => p.role === 'complainant' && (mine.includes(null) || mine.includes(p.id)))
}

const personView = (p: PersonRow): PersonView => ({
  id: p.id,
  role: p.role,
  name: p.name,
  unknown: p.unknown,
  dateOfBirth: p.date_of_birth,
  ageBand: p.age_band,
  sex: p.sex,
  ethnicity: p.ethnicity,
  disability: p.disability,
  relationship: p.relationship_to_complainant,
})

/**
 * The rows a report writes: the case, its people and offences, and the first row of its timeline. One definition for
 * a report recorded by a person and for synthetic data written in bulk (services/generator.ts).
 */
export function reportRows(input: {
  id: string
  report: ReportInput
  force: { code: string; areaCode: string; urnCode: string }
  unit: string
  serial: number
  actor: { id: string; orgCode: string; role: string }
  createKey: string | null
  now: Date
  at?: Date
}) {
  const { id, report, now } = input
  const year = Number(report.reportedOn.slice(0, 4))
  const caseRow = {
    id,
    urn: formatUrn({ forceUrnCode: input.force.urnCode, unit: input.unit, serial: input.serial, year }),
    crime_reference: report.crimeReference,
    force_code: input.force.code,
    area_code: input.force.areaCode,
    stage: 'reported' as const,
    final_outcome: null,
    police_outcome_code: null,
    proposed_outcome_code: null,
    proposed_by: null,
    reported_on: report.reportedOn,
    finalised_on: null,
    vulnerable: report.flags.vulnerable ?? false,
    domestic_abuse: report.flags.domesticAbuse ?? false,
    non_recent: report.flags.nonRecent ?? false,
    child_at_time: report.flags.childAtTime ?? false,
    restricted: report.restricted,
    version: 1,
    created_by: input.actor.id,
    create_key: input.createKey,
    updated_at: now,
  }
  const people = [
    ...report.complainants.map((p) => ({ role: 'complainant' as const, data: p as Record<string, unknown> })),
    ...report.suspects.map((p) => ({ role: 'suspect' as const, data: p as Record<string, unknown> })),
  ].map(({ role, data }, index) => ({
    id: randomUUID(),
    case_id: id,
    role,
    // People are listed in the order the report gave them.
    created_at: new Date(now.getTime() + index),
    unknown: data.unknown === true,
    ...nullify(personColumns(data)),
  }))
  const offences = report.offences.map((o) => ({
    id: randomUUID(),
    case_id: id,
    code: o.code,
    committed_from: o.committedFrom,
    committed_to: o.committedTo ?? null,
  }))
  const event = {
    case_id: id,
    seq: 1,
    ...(input.at && { occurred_at: input.at }),
    type: REPORT_EVENT.type,
    definition_version: REPORT_EVENT.version,
    actor_id: input.actor.id,
    actor_role: input.actor.role,
    actor_org: input.actor.orgCode,
    summary: REPORT_EVENT.summary,
    data: JSON.stringify({
      crimeReference: report.crimeReference,
      reportedOn: report.reportedOn,
      flags: report.flags,
      restricted: report.restricted,
      offenceIds: offences.map((o) => o.id),
      complainantIds: people.filter((p) => p.role === 'complainant').map((p) => p.id),
      suspectIds: people.filter((p) => p.role === 'suspect').map((p) => p.id),
    }),
    stage_before: null,
    stage_after: 'reported',
    idempotency_key: input.createKey,
  }
  return { caseRow, people, offences, event }
}

/** camelCase person fields of an event or report to their columns. */
function personColumns(data: Record<string, unknown>) {
  const pick = (key: string) => (data[key] === undefined ? undefined : (data[key] as string))
  return {
    name: pick('name'),
    sex: pick('sex'),
    age_band: pick('ageBand'),
    date_of_birth: pick('dateOfBirth'),
    ethnicity: pick('ethnicity'),
    disability: pick('disability'),
    relationship_to_complainant: pick('relationship'),
  }
}

type Settings = Awaited<ReturnType<CalendarService['current']>>

const textOf = (options: readonly { value: string; text: string }[], value: string | null) =>
  value === null ? null : optionText(options, value)

/** The court record as the case page shows it; the victim-support view has none of it (it names defendants). */
function courtView(
  court: CaseParts['court'],
  hearings: CaseParts['hearings'],
  fullView: boolean,
): Pick<CaseDetail, 'charges' | 'sentences' | 'directions' | 'advocates' | 'continuity'> {
  const none = { ptph: null, trial: null, continuous: null }
  if (!fullView) return { charges: [], sentences: [], directions: [], advocates: [], continuity: none }
  return {
    advocates: court.advocates.map((a) => ({
      advocateId: a.advocate_id,
      name: a.name,
      kindText: textOf(ADVOCATE_KINDS, a.kind)!,
      chambers: a.chambers,
      instructedOn: a.instructed_on,
      endedOn: a.ended_on,
      endReason: a.end_reason,
      returnedReasonText: textOf(RETURNED_BRIEF_REASONS, a.returned_reason),
      current: a.ended_seq === null,
    })),
    continuity: continuityOfCounsel(
      hearings.map((h) => ({ type: h.hearing_type, status: h.status, advocateId: h.advocate_id })),
    ),
    charges: court.charges.map((c) => ({
      number: c.number,
      suspectId: c.suspect_id,
      offenceCode: c.offence_code,
      description: c.description,
      plea: c.plea,
      pleaText: textOf(PLEAS, c.plea),
      pleaHearing: c.plea_hearing,
      pleaAtFirstHearing: c.plea_at_first_hearing,
      result: c.result,
      resultText: textOf(CHARGE_RESULTS, c.result),
      resultOn: c.result_on,
      droppedAtHearing: c.dropped_at_hearing,
    })),
    sentences: court.sentences.map((s) => ({
      suspectId: s.suspect_id,
      sentence: s.sentence,
      sentenceText: textOf(SENTENCES, s.sentence)!,
      custodyMonths: s.custody_months,
      on: s.sentenced_on,
    })),
    directions: court.directions.map((d) => ({
      number: d.number,
      hearingNumber: d.hearing_number,
      party: d.party,
      partyText: textOf(DIRECTION_PARTIES, d.party)!,
      description: d.description,
      dueOn: d.due_on,
      status: d.status,
      compliedOn: d.complied_on,
    })),
  }
}

/**
 * Requests for material as the case page shows them: the case team sees each request; everyone in view sees what the
 * person has been told (an ISVA sees only that, for the complainant they support).
 */
function requestsView(
  requests: CaseParts['materialRequests'],
  people: readonly PersonRow[],
  fullView: boolean,
): Pick<CaseDetail, 'materialRequests' | 'victimRequests'> {
  const inView = requests.filter((r) => people.some((p) => p.id === r.person_id))
  return {
    materialRequests: fullView
      ? requests.map((r) => ({
          number: r.number,
          personId: r.person_id,
          material: r.material,
          materialText: optionText(MATERIAL, r.material),
          kind: r.kind,
          holder: r.holder,
          state: r.state,
          stateText: REQUEST_STATES[r.state],
          scopeStage: r.scope_stage,
          held: r.held,
          holderStatus: r.holder_status,
          fairTrialConclusion: r.fair_trial_conclusion,
        }))
      : [],
    victimRequests: inView.flatMap((r) => {
      const told = victimViewOf({
        material: r.material,
        kind: r.kind,
        state: r.state,
        held: r.held,
        everTaken: Boolean(r.ever_taken),
        holder: r.holder_status,
      })
      return told ? [{ number: r.number, personId: r.person_id, ...told }] : []
    }),
  }
}

/** Each request's events in the order recorded, by request number (a proposal is numbered in its order). */
function requestHistory(events: readonly (EventRow & { actor_name: string })[]) {
  const byRequest = new Map<
    number,
    { seq: number; type: string; on: string; by: string; data: Record<string, unknown> }[]
  >()
  let proposed = 0
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (!DIGITAL_EVENT_TYPES.has(e.type)) continue
    const data = e.data as Record<string, unknown>
    const number = e.type === 'propose_material_request' ? ++proposed : Number(data.requestNumber)
    byRequest.set(number, [
      ...(byRequest.get(number) ?? []),
      { seq: e.seq, type: e.type, on: todayIso(e.occurred_at), by: e.actor_name, data },
    ])
  }
  return byRequest
}

/** Which parts of a case to read: only a charged case has a court record; each module says when it has rows. */
const partsInclude = (row: CaseRow, forPage = { offences: false, tasks: false }): PartsInclude => ({
  court: row.stage === 'charged' || row.stage === 'finalised',
  modules: moduleReadsFor(row),
  eventTypes: VICTIM_FACT_EVENTS,
  ...forPage,
})

/** The report is always the first row of a case's timeline. */
const REPORT_SEQ = 1

/** Every clock on a case, from its timeline: the case's own and each complainant's Victims' Code entitlements. */
function clocksOf(
  row: CaseRow,
  events: readonly { seq: number; type: string; occurred_at: Date; data: unknown }[],
  people: readonly PersonRow[],
  settings: Settings,
) {
  const timeline = events.map((e) => ({
    seq: e.seq,
    type: e.type,
    occurredOn: todayIso(e.occurred_at),
    data: e.data as Record<string, unknown>,
  }))
  return deriveClocks(timeline, settings.calendar, todayIso(), settings.overrides, CLOCK_RULES, {
    complainants: people
      .filter((p) => p.role === 'complainant')
      .map((p) => ({ id: p.id, since: p.added_seq ?? REPORT_SEQ })),
    // Every offence Casebridge records is a sexual offence (docs/sources.md section 15).
    enhanced: hasEnhancedRights({ sexualOffence: true, vulnerable: row.vulnerable, childAtTime: row.child_at_time }),
  })
}

export function casesService(repos: Repositories, audit: AuditTrail, config: Config, calendar: CalendarService) {
  const cases = repos.cases

  /**
   * The parts of a case its rules look at, read in one round trip (with its offences and open tasks for a page).
   * Inside a transaction pass its handle and the settings read before it: the embedded engine has one connection, so
   * nothing else may query while the transaction holds it.
   */
  async function partsOf(
    row: CaseRow,
    settings: Settings,
    handle?: Kysely<Database>,
    forPage: { offences: boolean; tasks: boolean } = { offences: false, tasks: false },
  ): Promise<CaseParts & Pick<ReadParts, 'offences' | 'tasks'>> {
    return completeParts(row, settings, await cases.parts(row.id, partsInclude(row, forPage), handle))
  }

  /** The parts as the rules read them: the rows, with the escalation ladder and the configured periods. */
  function completeParts(
    row: CaseRow,
    settings: Settings,
    read: ReadParts,
  ): CaseParts & Pick<ReadParts, 'offences' | 'tasks'> {
    const escalatedSteps = new Map<string, Set<string>>()
    for (const e of read.escalations)
      escalatedSteps.set(e.item_id, (escalatedSteps.get(e.item_id) ?? new Set()).add(e.step))
    return {
      people: read.people,
      decisions: read.decisions,
      actionItems: read.actionItems,
      escalatedSteps,
      ladder: resolveLadder(settings.ladders, row.force_code, row.area_code).steps,
      adminFinalisationMonths: config.adminFinalisationMonths,
      isvas: read.isvas,
      victims: victimFacts(read.careEvents),
      hearings: read.hearings,
      court: read.court,
      materialRequests: read.materialRequests,
      materialAgreementAge: config.materialAgreementAge,
      modules: read.modules,
      offences: read.offences,
      tasks: read.tasks,
    }
  }

  /**
   * A section of a case for the case team only (digital evidence, disclosure): 404 outside scope, 403 for the
   * victim-support view, and one audit row with how many records were read.
   */
  async function caseTeamSection<T>(
    ctx: RequestContext,
    id: string,
    action: string,
    forbidden: string,
    read: () => Promise<T>,
    count: (detail: CaseDetail, record: T) => number,
  ) {
    const found = await visibleCase(ctx, id, action)
    const audited = { operation: 'consultation' as const, action, recordType: 'case', recordIds: [id] }
    if (!found.fullView) {
      await audit.record(ctx, { ...audited, outcome: 'forbidden' })
      throw new AppError(403, 'forbidden', forbidden)
    }
    const current = await calendar.current()
    const [caseDetail, events, record] = await Promise.all([detail(ctx, found.row, true), cases.events(id), read()])
    await audit.record(ctx, { ...audited, resultCount: count(caseDetail, record) })
    return { found, current, caseDetail, events, record }
  }

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

  async function visibleCase(ctx: RequestContext, id: string, action: string) {
    const found = isUuid(id) ? await cases.findVisible(caseAccessRules(ctx.user), ctx.user.id, id) : undefined
    if (!found) {
      // Out of scope answers exactly as if the case did not exist; the attempt is still on the record.
      await audit.record(ctx, {
        operation: 'consultation',
        action,
        recordType: 'case',
        recordIds: [id.slice(0, 100)],
        outcome: 'not_found_or_out_of_scope',
      })
      throw notFound()
    }
    return found
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

  async function detail(
    ctx: RequestContext,
    row: CaseRow,
    fullView: boolean,
    handle?: Kysely<Database>,
  ): Promise<CaseDetail> {
    return (await detailAndParts(ctx, row, fullView, handle)).detail
  }

  /** The case as its pages and the API show it, with the parts it was worked out from (read once). */
  async function detailAndParts(
    ctx: RequestContext,
    row: CaseRow,
    fullView: boolean,
    handle?: Kysely<Database>,
  ): Promise<{ detail: CaseDetail; parts: CaseParts }> {
    const parts = await partsOf(row, await calendar.current(), handle, { offences: fullView, tasks: fullView })
    const { offences, tasks } = parts
    const people = peopleInView(ctx, fullView, parts)
    const view: CaseView = fullView ? 'full' : 'victim_support'
    const facts = factsOf(row, parts)
    const caseDetail: CaseDetail = {
      id: row.id,
      urn: row.urn,
      crimeReference: row.crime_reference,
      forceCode: row.force_code,
      areaCode: row.area_code,
      stage: row.stage as Stage,
      stageLabel: STAGE_LABELS[row.stage as Stage],
      version: row.version,
      reportedOn: row.reported_on,
      finalisedOn: row.finalised_on,
      finalOutcome: row.final_outcome,
      policeOutcomeCode: row.police_outcome_code,
      proposedOutcomeCode: fullView ? row.proposed_outcome_code : null,
      proposedBy: fullView ? row.proposed_by : null,
      flags: Object.fromEntries(FLAGS.map((f) => [f.key, row[f.column]])),
      restricted: row.restricted,
      view,
      people: people.map(personView),
      offences: offences.map((o) => ({
        id: o.id,
        code: o.code,
        name: o.name,
        committedFrom: o.committed_from,
        committedTo: o.committed_to,
      })),
      availableEvents: availableEvents(facts, actorOf(ctx))
        .filter((d) => fullView || d.isvaMayRecord)
        .map((d) => ({ type: d.type, title: d.title })),
      waitingFor: tasks.map((t) => ({
        kind: t.kind,
        label: TASK_KINDS[t.kind as TaskKindId]?.label ?? t.title,
        role: t.role,
        dueOn: t.due_on,
        decision: DECISION_TASK_KINDS.includes(t.kind as TaskKindId),
      })),
      hearings: parts.hearings.map((h) => ({
        number: h.number,
        type: h.hearing_type,
        typeText: hearingTypeText(h.hearing_type),
        on: h.hearing_on,
        court: h.court,
        status: h.status,
        requestedBy: h.requested_by,
      })),
      ...courtView(parts.court, parts.hearings, fullView),
      ...requestsView(parts.materialRequests, people, fullView),
      ...(moduleViews(parts.modules, fullView) as Pick<CaseDetail, 'disclosureItems'>),
      actionPlan: fullView
        ? parts.actionItems.map((i) => ({
            number: i.number,
            description: i.description,
            owner: i.owner_role,
            dueOn: i.due_on,
            proportionality: i.proportionality,
            status: i.status,
            answeredOn: i.answered_on,
            proposedDueOn: i.proposed_due_on,
          }))
        : [],
    }
    return { detail: caseDetail, parts }
  }

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
      const refused = whyNot(
        definition,
        factsOf(found.row, await partsOf(found.row, await calendar.current())),
        actorOf(ctx),
      )
      if (refused) throw new AppError(refused.status, refused.code, refused.message)
      await audit.record(ctx, { operation: 'consultation', action: 'view_case', recordType: 'case', recordIds: [id] })
      return { detail: await detail(ctx, found.row, found.fullView), definition }
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
        detailAndParts(ctx, found.row, true),
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
      return { detail: await detail(ctx, outcome.row, found.fullView), replayed: outcome.replayed, seq: outcome.seq }
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

    async referenceOptions() {
      const [outcomes, offences] = await Promise.all([repos.reference.outcomeTypes(), repos.reference.offenceCodes()])
      return { outcomes, offences: offences.filter((o) => o.active) }
    },
  }
}

function nullify<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> | null } {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === undefined ? null : v])) as never
}

/** Events whose effects touch tables outside one case's rows (users, advocates, the outbox): database only. */
const DATABASE_ONLY = new Set([
  'assign_isva',
  'end_isva_assignment',
  'send_victim_letter',
  'instruct_advocate',
  'record_returned_brief',
])

/** What an event changes in the case's own tables besides the case row, through the store (decision 0027). */
async function applySideEffects(
  store: CaseStore,
  type: string,
  caseId: string,
  data: Record<string, unknown>,
  event: {
    seq: number
    actorId: string
    calendar: WorkingDayCalendar
    facts: CaseFacts
    areaCode: string
    advocateWarningDays: number
  },
) {
  const write = tableWriteFor(type)
  if (write) return write(store, caseId, data, event)
  if (await applyCourtEffects(store, type, caseId, data, event)) return
  if (await applyDigitalEffects(store, type, caseId, data, event)) return
  const trx = store.sql
  if (!trx) {
    if (DATABASE_ONLY.has(type)) throw new Error(`${type} is applied only in the database`)
  } else if (await applyAdvocateEffects(trx, type, caseId, data, event)) return
  const item = (number: unknown) => ({ case_id: caseId, number: number as number })
  if ((type === 'set_action_plan' || type === 'give_early_advice') && Array.isArray(data.items) && data.items.length) {
    const first = await store.nextNumber('action_plan_items', caseId)
    // The event's day (today, or the day of a synthetic event generated as of the past).
    const today = event.facts.today
    const items = data.items as Record<string, unknown>[]
    await store.insert(
      'action_plan_items',
      items.map((item, index) => ({
        id: randomUUID(),
        case_id: caseId,
        number: first + index,
        set_seq: event.seq,
        description: item.description as string,
        owner_role: item.owner as 'investigator',
        proportionality: item.proportionality as string,
        due_on: actionItemDue(item, today, event.calendar),
        status: 'open' as const,
        answered_seq: null,
        answered_on: null,
        set_on: today,
      })),
    )
  } else if (type === 'assign_isva') {
    const isva = await trx!
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select('u.id')
      .where('u.id', '=', data.isvaId as string)
      .where('u.active', '=', true)
      .where('r.role', '=', 'isva')
      .executeTakeFirst()
    if (!isva) throw invalid({ 'data.isvaId': 'Select an ISVA from the list' })
    // Access to this case only, for the complainant they support.
    await trx!
      .insertInto('case_access')
      .values({ case_id: caseId, user_id: isva.id, kind: 'isva', person_id: data.complainantId as string })
      .onConflict((oc) => oc.doNothing())
      .execute()
  } else if (type === 'send_victim_letter' && data.channel === 'email') {
    // Queued in the same transaction as the letter; the row points at the letter and the person, nothing more.
    const c = await trx!.selectFrom('cases').select('force_code').where('id', '=', caseId).executeTakeFirstOrThrow()
    await trx!
      .insertInto('notification_outbox')
      .values({
        id: randomUUID(),
        task_id: null,
        recipient_role: 'complainant',
        org_code: c.force_code,
        channel: 'victim_email',
        case_id: caseId,
        person_id: data.complainantId as string,
        event_seq: event.seq,
        subject: '',
        body: '',
      })
      .execute()
  } else if (type === 'list_hearing') {
    await store.insert('hearings', [
      {
        id: randomUUID(),
        case_id: caseId,
        number: await store.nextNumber('hearings', caseId),
        hearing_type: data.hearingType as string,
        hearing_on: data.hearingOn as string,
        court: data.court as string,
        received_on: data.receivedOn as string,
        status: 'listed',
        requested_by: null,
        listed_seq: event.seq,
        outcome_seq: null,
      },
    ])
  } else if (type === 'record_hearing_outcome') {
    await store.update('hearings', item(data.hearingNumber), {
      status: data.result as 'held',
      requested_by: (data.requestedBy as string | undefined) ?? null,
      outcome_seq: event.seq,
      // Who appeared for the prosecution: continuity of counsel compares the advocate at each hearing held.
      advocate_id: data.result === 'held' ? event.facts.advocate.current : null,
    })
  } else if (type === 'end_isva_assignment') {
    await trx!
      .deleteFrom('case_access')
      .where('case_id', '=', caseId)
      .where('user_id', '=', data.isvaId as string)
      .where('kind', '=', 'isva')
      .execute()
  } else if (type === 'answer_action_item') {
    const [answered] = await store.update('action_plan_items', item(data.itemNumber), {
      status: data.answer as 'done',
      answered_seq: event.seq,
      answered_on: event.facts.today,
    })
    // The item's escalation tasks are done once it is answered.
    const escalations = answered ? await store.select('escalations', { item_id: answered.id }) : []
    if (escalations.length)
      await store.update(
        'tasks',
        { escalation_id: escalations.map((e) => e.id), done_at: null },
        { done_at: new Date() },
      )
  } else if (type === 'request_more_time' || type === 'decide_more_time') {
    const accepted = type === 'decide_more_time' && data.decision === 'accept'
    const [current] = await store.select('action_plan_items', item(data.itemNumber))
    await store.update('action_plan_items', item(data.itemNumber), {
      proposed_due_on: type === 'request_more_time' ? (data.proposedDueOn as string) : null,
      ...(accepted && current && { due_on: current.proposed_due_on ?? current.due_on }),
    })
  } else if (type === 'record_charging_decision') {
    await store.insert('charging_decisions', [
      {
        id: randomUUID(),
        case_id: caseId,
        seq: event.seq,
        suspect_id: data.suspectId as string,
        test: data.test as 'full_code' | 'threshold',
        outcome: data.outcome as 'charge',
        decided_on: event.facts.today,
        full_code_review_by: (data.fullCodeReviewBy as string | undefined) ?? null,
        decided_by: event.actorId,
      },
    ])
  } else if (type === 'add_person') {
    await store.insert('case_people', [
      {
        id: randomUUID(),
        case_id: caseId,
        role: data.role as PersonRow['role'],
        unknown: false,
        added_seq: event.seq,
        ...nullify(personColumns(data)),
      },
    ])
  } else if (type === 'correct_person') {
    const set = Object.fromEntries(Object.entries(personColumns(data)).filter(([, v]) => v !== undefined))
    await store.update('case_people', { id: data.personId as string, case_id: caseId }, set)
  } else if (type === 'add_offence') {
    await store.insert('case_offences', [
      {
        id: randomUUID(),
        case_id: caseId,
        code: data.code as string,
        committed_from: data.committedFrom as string,
        committed_to: (data.committedTo as string) ?? null,
      },
    ])
  }
}

/** Why the service applies an event itself, under which key, as of which day (and, for synthetic data, when). */
interface SystemWhy {
  purpose: string
  correlationId: string
  idempotencyKey: string
  today: string
  at?: Date
}

/** An event's data as its definition parses it, or a 400 naming each field. */
function parseEventData(definition: EventDefinition, data: unknown): Record<string, unknown> {
  const parsed = definition.schema.safeParse(data)
  if (!parsed.success) throw invalid(fieldErrors(parsed.error, 'data'))
  return parsed.data as Record<string, unknown>
}

/** A deadline past the last known bank holiday year is the client's to fix (a nearer date, or a newer calendar). */
function calendarProblem(error: unknown): never {
  if (error instanceof CalendarRangeError) throw new AppError(422, 'calendar_range', error.message)
  throw error
}

/** Two identical submissions racing each other: the loser hits a unique index, tries again and finds the winner's result. */
async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return work()
    throw error
  }
}

export type CasesService = ReturnType<typeof casesService>
