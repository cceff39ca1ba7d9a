import { z } from 'zod'
import type { CaseSort } from '../../data/cases-repository'
import type { EventRow, PersonRow } from '../../data/schema'
import { optionText } from '../../modules/victim-care/rules'
import {
  MATERIAL,
  REQUEST_STATES,
  type RequestKind,
  type RequestState,
  victimViewOf,
} from '../../modules/digital/rules'
import { DIGITAL_EVENT_TYPES } from '../../modules/digital/events'
import { DIRECTION_PARTIES } from '../../modules/court/hearings'
import { CHARGE_RESULTS, PLEAS, SENTENCES } from '../../modules/court/outcomes'
import { ADVOCATE_KINDS, continuityOfCounsel, RETURNED_BRIEF_REASONS } from '../../modules/advocates/rules'
import { todayIso } from '../../core/fields'
import { type CaseView } from '../../core/scope'
import { STAGES, type Stage } from '../../core/stages'
import type { RequestContext } from '../context'
import { type CaseParts } from './facts'

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
  waitingFor: { kind: string; label: string; role: string; dueOn: string | null; overdue: boolean; decision: boolean }[]
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
    /** Open after its due date. */
    overdue: boolean
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

/**
 * The people a caller may see on a case: everyone with the full view; for an ISVA, only the complainant they support
 * (an assignment made before ISVAs were assigned per complainant covers every complainant).
 */
export function peopleInView(ctx: RequestContext, fullView: boolean, parts: Pick<CaseParts, 'people' | 'isvas'>) {
  if (fullView) return parts.people
  const mine = parts.isvas.filter((i) => i.userId === ctx.user.id).map((i) => i.complainantId)
  return parts.people.filter((p) => p.role === 'complainant' && (mine.includes(null) || mine.includes(p.id)))
}

export const personView = (p: PersonRow): PersonView => ({
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

export const textOf = (options: readonly { value: string; text: string }[], value: string | null) =>
  value === null ? null : optionText(options, value)

/** The court record as the case page shows it; the victim-support view has none of it (it names defendants). */
export function courtView(
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
      overdue: d.status === 'open' && d.due_on < todayIso(),
    })),
  }
}

/**
 * Requests for material as the case page shows them: the case team sees each request; everyone in view sees what the
 * person has been told (an ISVA sees only that, for the complainant they support).
 */
export function requestsView(
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
export function requestHistory(events: readonly (EventRow & { actor_name: string })[]) {
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
