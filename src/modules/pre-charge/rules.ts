import type { TaskKind } from '../../core/tasks'
import { type CaseFacts } from '../../core/event-model'
import type { ClockRule } from '../../core/clocks'
import { field, optional, todayIso } from '../../core/fields'
import type { Stage } from '../../core/stages'

/**
 * Pre-charge casework between police and CPS (DG6, docs/sources.md section 4): early advice, the charging
 * referral signed off by a police supervisor, and the charging decision per suspect under the Full Code Test or
 * the Threshold Test. Action plans, escalation and administrative finalisation follow in the same style.
 */
export const text = (label: string, name: string, hint?: string, maxLength = 10000) =>
  field.textarea({ label, name, hint, maxLength })
export const optionalText = (label: string, name: string, hint?: string) => optional(text(label, name, hint))
export const decisionField = (options: { value: string; text: string }[]) =>
  field.choice({ label: 'Decision', name: 'the decision', options })

export const PUBLIC_INTEREST_QUESTIONS = [
  { key: 'publicInterestSeriousness', text: 'How serious is the offence?' },
  { key: 'publicInterestCulpability', text: 'What is the level of culpability of the suspect?' },
  { key: 'publicInterestHarm', text: 'What are the circumstances of and the harm caused to the victim?' },
  { key: 'publicInterestAge', text: 'What was the suspect’s age and maturity at the time of the offence?' },
  { key: 'publicInterestCommunity', text: 'What is the impact on the community?' },
  { key: 'publicInterestProportionate', text: 'Is prosecution a proportionate response?' },
  { key: 'publicInterestSources', text: 'Do sources of information require protecting?' },
] as const

export const THRESHOLD_CONDITIONS = [
  {
    key: 'thresholdReasonableSuspicion',
    text: 'There are reasonable grounds to suspect the person has committed the offence',
  },
  {
    key: 'thresholdFurtherEvidence',
    text: 'Further evidence can be obtained to provide a realistic prospect of conviction',
  },
  {
    key: 'thresholdSeriousness',
    text: 'The seriousness or circumstances of the case justify an immediate charging decision',
  },
  {
    key: 'thresholdBail',
    text: 'There are continuing substantial grounds to object to bail, and it is proper to do so',
  },
  { key: 'thresholdPublicInterest', text: 'It is in the public interest to charge' },
] as const

export const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
]

export const DECISION_OUTCOMES = [
  { value: 'charge', text: 'Charge' },
  { value: 'nfa_evidential', text: 'No further action: the evidential stage is not met' },
  { value: 'nfa_public_interest', text: 'No further action: a prosecution is not in the public interest' },
  { value: 'out_of_court_disposal', text: 'Out-of-court disposal' },
] as const

export const OUTCOME_SUMMARY: Record<string, string> = {
  charge: 'Charging decision: charge',
  nfa_evidential: 'Charging decision: no further action (evidential)',
  nfa_public_interest: 'Charging decision: no further action (public interest)',
  out_of_court_disposal: 'Charging decision: out-of-court disposal',
}

export const ACTION_ITEM_ANSWERS = [
  { value: 'done', text: 'Done' },
  { value: 'not_possible', text: 'Not possible' },
  { value: 'not_proportionate', text: 'Not proportionate' },
] as const

/** One item of an action plan, as the prosecutor sets it. */
export const actionItemFields = {
  description: field.textarea({ label: 'What needs to be done', name: 'what needs to be done', maxLength: 5000 }),
  owner: field.choice({
    label: 'Owner',
    name: 'the owner',
    options: [
      { value: 'investigator', text: 'Officer in the case' },
      { value: 'police_supervisor', text: 'Police supervisor' },
    ],
  }),
  dueWorkingDays: optional(
    field.integer({ label: 'Due in working days from today', name: 'the number of working days', min: 1, max: 250 }),
  ),
  dueOn: optional(field.date({ label: 'Or due on a date', name: 'the due date' })),
  proportionality: field.textarea({
    label: 'Why this is proportionate',
    name: 'why this is proportionate',
    maxLength: 5000,
  }),
}

export const openItems = (facts: CaseFacts) => facts.actionItems.filter((i) => i.status === 'open')

/** The items of a plan, as a list field (set on its own, or with early advice). */
export const actionPlanItems = (min: number) =>
  field.list({ label: 'Items', name: 'the items', item: actionItemFields, itemLabel: 'Item', min, max: 20, slots: 5 })

/** Each item is due either in a number of working days or on a date, not in the past. */
export function itemDueProblems(data: Record<string, unknown>) {
  if (!Array.isArray(data.items)) return null
  const problems: { path: string; message: string }[] = []
  data.items.forEach((item: Record<string, unknown> | null, index: number) => {
    if (typeof item !== 'object' || item === null) return
    const given = [item.dueWorkingDays, item.dueOn].filter((v) => v !== undefined).length
    if (given !== 1)
      problems.push({
        path: `items.${index}.dueWorkingDays`,
        message: 'Give either a number of working days or a due date',
      })
    if (typeof item.dueOn === 'string' && item.dueOn < todayIso())
      problems.push({ path: `items.${index}.dueOn`, message: 'The due date must be today or in the future' })
  })
  return problems
}

/** A decision on the last waiting request for more time (or an answer to its item) clears the prosecutor's task. */
export const lastMoreTimeRequest = (data: Record<string, unknown>, facts: CaseFacts) =>
  facts.actionItems.some((i) => i.status === 'open' && i.proposedDueOn && i.number !== data.itemNumber)
    ? []
    : (['more_time_decision'] as const)

export const earlyAdviceRequested = (facts: CaseFacts) =>
  facts.earlyAdvice === 'requested' || facts.earlyAdvice === 'accepted'
    ? null
    : 'There is no early advice request waiting for an answer'

/** The identified suspects a referral is for: those it names, or every identified suspect. */
export function referredSuspects(facts: CaseFacts): string[] {
  const identified = facts.people.filter((p) => p.role === 'suspect' && !p.unknown).map((p) => p.id)
  const named = facts.referral?.suspectIds
  return named ? identified.filter((id) => named.includes(id)) : identified
}

/**
 * The stage after a charging decision: charged once any suspect is charged; otherwise finalised once every
 * identified suspect has an outcome; otherwise, when every suspect referred has one, back to the investigation of
 * the others (they can be referred on their own); otherwise still awaiting the remaining decisions.
 */
export function stageAfterDecision(data: Record<string, unknown>, facts: CaseFacts): Stage {
  const outcomes = new Map(facts.decisions.map((d) => [d.suspectId, d.outcome]))
  outcomes.set(String(data.suspectId), String(data.outcome))
  if ([...outcomes.values()].includes('charge')) return 'charged'
  const suspects = facts.people.filter((p) => p.role === 'suspect' && !p.unknown)
  if (suspects.every((s) => outcomes.has(s.id))) return 'finalised'
  return referredSuspects(facts).every((id) => outcomes.has(id)) ? 'investigation' : 'awaiting_charging_decision'
}

/** Events the scheduled job may apply itself, under the authority their definition gives (issue 3). */
export const SCHEDULED_EVENTS = ['administratively_finalise'] as const

/** The pre-charge clocks: action plan items, early advice, the referral's sign-off, the charging decision and a threshold decision's full code review. */
export const PRE_CHARGE_CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'action_plan_item',
    name: 'Action plan item',
    source: 'The due date the prosecutor set for the item: a date, or working days from the day the plan was set',
    startsOn: ['set_action_plan', 'give_early_advice'],
    keyField: 'itemNumber',
    due: { items: 'items', setBy: 'the prosecutor' },
    metBy: ['answer_action_item'],
    cancelledBy: ['sign_off_police_outcome'],
    redate: {
      requestedBy: 'request_more_time',
      dateField: 'proposedDueOn',
      acceptedBy: 'decide_more_time',
      accepted: (data) => data.decision === 'accept',
    },
  },
  {
    id: 'early_advice_response',
    name: 'Response to a request for early advice',
    source:
      'Casebridge default: DG6 asks prosecutors to advise within agreed time periods; no national number was found, so set the local one here',
    startsOn: ['request_early_advice', 'decide_early_advice_challenge'],
    startsWhen: (data) => data.decision === undefined || data.decision === 'overturn',
    due: { unit: 'working', days: 10, configurable: true },
    metBy: ['give_early_advice', 'decline_early_advice'],
    cancelledBy: ['sign_off_police_outcome'],
  },
  {
    id: 'early_advice_challenge',
    name: 'CPS unit head’s decision on a challenge to declined early advice',
    source:
      'Casebridge default: DG6 lets an officer of inspector rank or above challenge a refusal through the escalation process; no time limit was found, so set the local one here',
    startsOn: ['challenge_early_advice_decline'],
    due: { unit: 'working', days: 5, configurable: true },
    metBy: ['decide_early_advice_challenge'],
    cancelledBy: ['sign_off_police_outcome'],
  },
  {
    id: 'referral_sign_off',
    name: 'Supervisor sign-off of a charging referral',
    source:
      'Casebridge default: no national time limit for supervisor sign-off was found; set locally by an administrator',
    startsOn: ['prepare_charging_referral'],
    due: { unit: 'working', days: 3, configurable: true },
    metBy: ['sign_off_charging_referral', 'return_charging_referral'],
    cancelledBy: ['sign_off_police_outcome'],
  },
  {
    id: 'charging_decision_time',
    name: 'CPS charging decision',
    source:
      'A Casebridge default of 28 calendar days from the referral, not a CPS target: DG6 sets no time limit for a charging decision (docs/sources.md sections 4 and 16); change it on the clock periods page',
    startsOn: ['sign_off_charging_referral'],
    due: { unit: 'calendar', days: 28, configurable: true },
    metBy: ['record_charging_decision'],
    cancelledBy: ['reopen'],
  },
  {
    id: 'threshold_full_code_review',
    name: 'Full Code Test after a Threshold Test charge',
    source:
      'Code for Crown Prosecutors: a Threshold Test charge is kept under review and the Full Code Test applied as soon as reasonably practicable, by the date the prosecutor set',
    startsOn: ['record_charging_decision'],
    startsWhen: (data) => data.test === 'threshold',
    keyField: 'suspectId',
    due: { dateField: 'fullCodeReviewBy' },
    metBy: ['record_charging_decision'],
    cancelledBy: [],
  },
]

/** Events the service records itself (no person applies them): their timeline wording. */
export const PRE_CHARGE_SYSTEM_EVENTS = {
  escalate_action_item: { title: 'Escalated an overdue action plan item', isvaVisible: false },
} as const

/** Pre-charge work: early advice, the referral, the charging decision and the action plan. */
export const PRE_CHARGE_TASK_KINDS: Readonly<Record<string, TaskKind>> = {
  early_advice_request: {
    label: 'Answer a request for early advice',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'early_advice_response' },
  },
  early_advice_challenge: {
    label: 'Decide a challenge to declined early advice',
    role: 'cps_unit_head',
    decision: true,
    due: { clock: 'early_advice_challenge' },
  },
  referral_sign_off: {
    label: 'Sign off a charging referral',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'referral_sign_off' },
  },
  charging_decision: {
    label: 'Make a charging decision',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'charging_decision_time' },
  },
  more_time_decision: {
    label: 'Decide a request for more time on an action plan item',
    role: 'prosecutor',
    decision: true,
    due: { dataField: 'proposedDueOn' },
  },
  answer_action_plan: {
    label: 'Answer the action plan',
    role: 'investigator',
    decision: false,
    due: { clock: 'action_plan_item' },
  },
  action_plan_escalation: { label: 'Overdue action plan item', role: null, decision: false, due: null },
}
