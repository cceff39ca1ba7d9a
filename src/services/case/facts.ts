import type { Repositories } from '../../data'
import type { PartsInclude } from '../../data/cases-repository'
import type { Selectable } from 'kysely'
import type { ActionPlanItemsTable, CaseRow, HearingsTable, PersonRow } from '../../data/schema'
import { type Actor, type CaseFacts } from '../../core/event-model'
import { CLOCK_RULES, deriveClocks } from '../../modules/registry'
import { hasEnhancedRights } from '../../modules/victim-care/victims-code'
import { type LadderStep } from '../../modules/pre-charge/escalation'
import { finalisationAllowedFrom } from '../../core/calendar'
import type { VictimFacts } from '../../core/event-model'
import { VICTIM_FACT_EVENTS } from '../../modules/victim-care/rules'
import { moduleFacts, moduleReadsFor } from '../../modules/registry'
import { todayIso } from '../../core/fields'
import { type Stage } from '../../core/stages'
import type { CalendarService } from '../calendar'
import type { RequestContext } from '../context'

export function actorOf(ctx: RequestContext): Actor {
  return { id: ctx.user.id, roles: ctx.user.roles, orgCode: ctx.user.orgCode }
}

export type ReadParts = Awaited<ReturnType<Repositories['cases']['parts']>>

export interface CaseParts {
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

export function factsOf(
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
    charges: court.charges.map((c) => ({
      number: c.number,
      suspectId: c.suspect_id,
      offenceCode: c.offence_code,
      plea: c.plea,
      result: c.result,
    })),
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
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10)
}

export type Settings = Awaited<ReturnType<CalendarService['current']>>

/** Which parts of a case to read: only a charged case has a court record; each module says when it has rows. */
export const partsInclude = (row: CaseRow, forPage: PageReads = { offences: false, tasks: false }): PartsInclude => ({
  court: (forPage.court ?? true) && (row.stage === 'charged' || row.stage === 'finalised'),
  hearings: forPage.hearings ?? true,
  requests: forPage.requests ?? true,
  modules: moduleReadsFor(row, forPage.modules),
  eventTypes: VICTIM_FACT_EVENTS,
  offences: forPage.offences,
  tasks: forPage.tasks,
})

/**
 * What a page reads of a case besides what every rule needs (people, decisions, action plan items, ISVAs, the
 * victim care events): a page of the whole case reads everything; a module's own page only its own rows
 * (`SECTION_READS`), so the disclosure page does not read hearings.
 */
export interface PageReads {
  offences: boolean
  tasks: boolean
  court?: boolean
  hearings?: boolean
  requests?: boolean
  /** Only these modules' own reads (every module's when absent). */
  modules?: readonly string[]
}

/** A module's own page of a case: its own rows and what every rule needs, nothing else (see `PageReads`). */
export const sectionReads = (reads: Partial<PageReads>): PageReads => ({
  offences: false,
  tasks: false,
  court: false,
  hearings: false,
  requests: false,
  modules: [],
  ...reads,
})

/** The report is always the first row of a case's timeline. */
export const REPORT_SEQ = 1

/** Every clock on a case, from its timeline: the case's own and each complainant's Victims' Code entitlements. */
export function clocksOf(
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
