import type { z } from 'zod'
import { field, optional, ruleProblems, schemaOf, type Fields } from './fields'
import type { Role } from './roles'
import type { Stage } from './stages'
import type { TaskKindId } from './tasks'

/** How a charge ended at court (court-outcomes.ts). */
export type ChargeResult =
  'convicted_plea' | 'convicted_trial' | 'acquitted' | 'discontinued' | 'no_evidence_offered' | 'left_on_file'

export type EarlyAdviceStatus = 'requested' | 'accepted' | 'declined' | 'challenged' | 'decline_upheld' | 'given'

/** What the victim care rules know, worked out from the case's own events (victim-care.ts `victimFacts`). */
export interface VictimFacts {
  isvaReferrals: readonly string[]
  suspectInterviewed: boolean
  /** People who proposed, signed off or made a charging decision or police outcome on the case. */
  decidedBy: readonly string[]
  vrr: readonly {
    complainantId: string
    scheme: 'police' | 'cps'
    stage: 'requested' | 'acknowledged' | 'independent_review'
  }[]
}

/**
 * What an event definition may know about the case it is applied to. A module adds its own facts to this interface
 * (TypeScript declaration merging: `declare module '…/core/event-model' { interface CaseFacts { … } }`) and says how
 * to work them out from the rows it reads; the kernel never names them.
 */
export interface CaseFacts {
  id: string
  /** The day the rules are judged on: today, or the day the scheduled job runs for (`tick --now`). */
  today: string
  stage: Stage
  proposedOutcomeCode: number | null
  proposedBy: string | null
  /** The police outcome the case was finalised with, if any. */
  policeOutcomeCode: number | null
  /** `agreesAloneFrom`: the day a person reaches the age to agree to a request alone (null: date of birth not known). */
  people: readonly {
    id: string
    role: 'complainant' | 'suspect' | 'witness'
    unknown: boolean
    agreesAloneFrom?: string | null
  }[]
  earlyAdvice: EarlyAdviceStatus | null
  /** The charging referral in progress: who prepared it, and the suspects it is for (null: every identified suspect). */
  referral: {
    status: 'prepared' | 'signed_off'
    preparedBy: string | null
    suspectIds: readonly string[] | null
  } | null
  /** The latest charging decision for each suspect who has one. */
  decisions: readonly { suspectId: string; outcome: string }[]
  /** Every action plan item set on the case, by number. */
  actionItems: readonly {
    number: number
    status: 'open' | 'done' | 'not_possible' | 'not_proportionate'
    proposedDueOn: string | null
  }[]
  /** Whether an open item has climbed the whole escalation ladder, and the first day the case may be administratively finalised. */
  adminFinalisation: { ladderExhausted: boolean; allowedFrom: string | null }
  /** The final outcome the case was finalised with, if any (FINAL_OUTCOMES in stages.ts). */
  finalOutcome: string | null
  /** The hearings listed on the case, by number, their date, and whether each is still waiting for its outcome. */
  hearings: readonly {
    number: number
    type: string
    on: string
    status: 'listed' | 'held' | 'adjourned' | 'vacated'
  }[]
  /** The charges each charged suspect faces at court, by number, with the plea entered and the final result. */
  charges: readonly {
    number: number
    suspectId: string
    /** The Home Office offence code charged (whether the offence is triable only on indictment follows from it). */
    offenceCode: string
    plea: 'guilty' | 'not_guilty' | null
    result: ChargeResult | null
  }[]
  /** Suspects convicted and sentenced. */
  sentenced: readonly string[]
  /** The advocate instructed now, if any, and every advocate ever instructed on the case. */
  advocate: { current: string | null; instructed: readonly string[] }
  /** The judge's directions, by number, and whether each has been complied with. */
  directions: readonly { number: number; status: 'open' | 'complied' | 'not_complied' }[]
  /** Victim care: complainants referred to an ISVA service with consent, the ISVAs assigned, reviews in progress. */
  victims: VictimFacts & { isvas: readonly { userId: string; complainantId: string | null }[] }
}

export interface Actor {
  id: string
  roles: readonly Role[]
  orgCode: string
}

/** Changes to the projected case row that an event makes, beyond its stage. */
export interface CaseChange {
  finalOutcome?: string | null
  policeOutcomeCode?: number | null
  proposedOutcomeCode?: number | null
  proposedBy?: string | null
  finalisedOn?: string | null
  earlyAdvice?: EarlyAdviceStatus | null
  referral?: {
    status: 'prepared' | 'signed_off'
    preparedBy: string | null
    category: string | null
    suspectIds: readonly string[] | null
  } | null
}

export interface EventDefinition {
  type: string
  /** Bumped when the fields or rules change; every timeline row records the version it was applied under. */
  version: number
  /** The button and page heading, an instruction: "Record an arrest". */
  title: string
  description: string
  from: readonly Stage[]
  to: Stage | 'same' | ((data: Record<string, unknown>, facts: CaseFacts) => Stage)
  roles: readonly Role[]
  fields: Fields
  schema: z.ZodType<Record<string, unknown>>
  /** ISVAs see these events on the timeline, as their summary only. */
  isvaVisible: boolean
  /** An ISVA assigned to the case may record it, from the victim-support view. */
  isvaMayRecord?: boolean
  /** Applied only through its own service, which checks more than the data (letters); says where to go instead. */
  serviceOnly?: string
  /** A rule of the case that stops the event whatever is entered (answered 422), or null. Hides it from next steps. */
  precondition?: (facts: CaseFacts, actor: Actor) => string | null
  /** A rule of the case broken by what was entered (answered 422), or null. */
  guard?: (facts: CaseFacts, actor: Actor, data: Record<string, unknown>) => string | null
  /** Timeline summary. Never names a person: names are shown from the case record to those who may see them. */
  summary: (data: Record<string, unknown>) => string
  project?: (data: Record<string, unknown>, facts: CaseFacts, actor: Actor) => CaseChange
  /** Work the event puts in someone's queue (domain/tasks.ts), and work it completes. */
  opens?: TaskRule
  closes?: TaskRule
}

type Problem = { path: string; message: string }
type Definition = Omit<EventDefinition, 'schema'> & {
  /** Rules between fields; every problem is reported on its field. */
  refine?: (data: Record<string, unknown>) => Problem | Problem[] | null
}

export function define(definition: Definition): EventDefinition {
  let schema: z.ZodType<Record<string, unknown>> = schemaOf(definition.fields)
  const refine = definition.refine
  if (refine) {
    schema = schema.superRefine(
      (data, ctx) => {
        for (const problem of ruleProblems(definition.fields, data, refine)) {
          ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message })
        }
      },
      // Check the rules between fields even when a field is missing, so every problem is named in one go.
      { when: () => true },
    )
  }
  return { ...definition, schema }
}

/** Every case begins with its report (recorded through its own journey, not as an event of a module). */
export const REPORT_EVENT = {
  type: 'record_report',
  version: 1,
  title: 'Record a report',
  roles: ['investigator', 'police_supervisor'] as readonly Role[],
  summary: 'Report recorded',
} as const

/** Reopening a finalised case (after new evidence, or when a review overturns the decision): one rule. */
export const REOPEN_TO = [
  { value: 'investigation', text: 'Investigation' },
  { value: 'awaiting_charging_decision', text: 'Awaiting charging decision' },
] as const
export const reopen = {
  /** The stage a reopened case goes back to. */
  stage: (to: unknown): Stage => (to === 'awaiting_charging_decision' ? 'awaiting_charging_decision' : 'investigation'),
  /** A reopened case is no longer finalised and has no final outcome. */
  change: (): CaseChange => ({ finalOutcome: null, policeOutcomeCode: null, finalisedOn: null }),
  /** Back with the CPS, the charging decision is someone's task again. */
  tasks: (to: unknown): 'charging_decision'[] => (to === 'awaiting_charging_decision' ? ['charging_decision'] : []),
}

/** Police roles that work on the case itself (inspectors oversee and escalate). */
export const POLICE: readonly Role[] = ['investigator', 'police_supervisor']
export const CASE_TEAM: readonly Role[] = ['investigator', 'police_supervisor', 'prosecutor', 'cps_unit_head']
export const suspectField = field.person({ label: 'Suspect', name: 'the suspect', role: 'suspect' })
export const note = optional(field.textarea({ label: 'Note (optional)', name: 'the note', maxLength: 5000 }))

export function hasKnownSuspect(facts: CaseFacts): string | null {
  return facts.people.some((p) => p.role === 'suspect' && !p.unknown)
    ? null
    : 'There is no identified suspect on this case yet'
}

export function knownSuspect(facts: CaseFacts, _actor: Actor, data: Record<string, unknown>): string | null {
  const person = facts.people.find((p) => p.id === data.suspectId)
  if (!person || person.role !== 'suspect') return 'Select a suspect on this case'
  if (person.unknown) return 'An unknown suspect cannot be arrested, interviewed or bailed; record their identity first'
  return null
}

export function stageAfter(definition: EventDefinition, facts: CaseFacts, data: Record<string, unknown>): Stage {
  if (definition.to === 'same') return facts.stage
  if (typeof definition.to === 'function') return definition.to(data, facts)
  return definition.to
}

/** The role under which the actor applies the event: the first of their roles the definition allows. */
export function actingRole(definition: { roles: readonly Role[] }, actor: Actor): Role | undefined {
  return actor.roles.find((role) => definition.roles.includes(role))
}

export type Refusal = { status: 403 | 409 | 422; code: string; message: string }

/** Why this actor cannot apply this event to this case now, or null when they can (before looking at the data). */
export function refusal(definition: EventDefinition, facts: CaseFacts, actor: Actor): Refusal | null {
  if (!actingRole(definition, actor)) {
    return { status: 403, code: 'role_not_allowed', message: `Your role cannot ${definition.title.toLowerCase()}` }
  }
  if (!definition.from.includes(facts.stage)) {
    return {
      status: 409,
      code: 'event_not_allowed_in_stage',
      message: `${definition.title} is not possible when the case is at the ${facts.stage.replace(/_/g, ' ')} stage`,
    }
  }
  return null
}

/** Why the actor cannot apply the event now whatever they enter: role (403), stage (409) or a rule of the case (422). */
export function whyNot(definition: EventDefinition, facts: CaseFacts, actor: Actor): Refusal | null {
  const refused = refusal(definition, facts, actor)
  if (refused) return refused
  const broken = definition.precondition?.(facts, actor)
  return broken ? { status: 422, code: 'rule_broken', message: broken } : null
}

/** The events this actor may apply now, of those given: the "next steps" list. Guards that need data are checked on submit. */
export function nextSteps(definitions: readonly EventDefinition[], facts: CaseFacts, actor: Actor): EventDefinition[] {
  return definitions.filter((d) => whyNot(d, facts, actor) === null)
}

/** The task kinds an event opens or closes: a fixed list, or worked out from what was entered and the case before. */
export type TaskRule =
  readonly TaskKindId[] | ((data: Record<string, unknown>, facts: CaseFacts) => readonly TaskKindId[])

export function tasksOf(rule: TaskRule | undefined, data: Record<string, unknown>, facts: CaseFacts) {
  if (!rule) return []
  return typeof rule === 'function' ? rule(data, facts) : rule
}
