import type { TaskKind } from '../core/tasks'
import { type CaseFacts, define, type EventDefinition, note, POLICE, suspectField } from '../core/event-model'
import type { ClockRule } from '../core/clocks'
import { field, optional, todayIso } from '../core/fields'
import type { Stage } from '../core/stages'

/**
 * Pre-charge casework between police and CPS (DG6, docs/sources.md section 4): early advice, the charging
 * referral signed off by a police supervisor, and the charging decision per suspect under the Full Code Test or
 * the Threshold Test. Action plans, escalation and administrative finalisation follow in the same style.
 */
const text = (label: string, name: string, hint?: string, maxLength = 10000) =>
  field.textarea({ label, name, hint, maxLength })
const optionalText = (label: string, name: string, hint?: string) => optional(text(label, name, hint))
const decisionField = (options: { value: string; text: string }[]) =>
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

const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
]

export const DECISION_OUTCOMES = [
  { value: 'charge', text: 'Charge' },
  { value: 'nfa_evidential', text: 'No further action: the evidential stage is not met' },
  { value: 'nfa_public_interest', text: 'No further action: a prosecution is not in the public interest' },
  { value: 'out_of_court_disposal', text: 'Out-of-court disposal' },
] as const

const OUTCOME_SUMMARY: Record<string, string> = {
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

const openItems = (facts: CaseFacts) => facts.actionItems.filter((i) => i.status === 'open')

/** The items of a plan, as a list field (set on its own, or with early advice). */
const actionPlanItems = (min: number) =>
  field.list({ label: 'Items', name: 'the items', item: actionItemFields, itemLabel: 'Item', min, max: 20, slots: 5 })

/** Each item is due either in a number of working days or on a date, not in the past. */
function itemDueProblems(data: Record<string, unknown>) {
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
const lastMoreTimeRequest = (data: Record<string, unknown>, facts: CaseFacts) =>
  facts.actionItems.some((i) => i.status === 'open' && i.proposedDueOn && i.number !== data.itemNumber)
    ? []
    : (['more_time_decision'] as const)

const earlyAdviceRequested = (facts: CaseFacts) =>
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
function stageAfterDecision(data: Record<string, unknown>, facts: CaseFacts): Stage {
  const outcomes = new Map(facts.decisions.map((d) => [d.suspectId, d.outcome]))
  outcomes.set(String(data.suspectId), String(data.outcome))
  if ([...outcomes.values()].includes('charge')) return 'charged'
  const suspects = facts.people.filter((p) => p.role === 'suspect' && !p.unknown)
  if (suspects.every((s) => outcomes.has(s.id))) return 'finalised'
  return referredSuspects(facts).every((id) => outcomes.has(id)) ? 'investigation' : 'awaiting_charging_decision'
}

/** Events the scheduled job may apply itself, under the authority their definition gives (issue 3). */
export const SCHEDULED_EVENTS = ['administratively_finalise'] as const

export const PRE_CHARGE_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'administratively_finalise',
    version: 1,
    title: 'Administratively finalise the case',
    description:
      'Close the case without a charging decision because the police have not answered the action plan. Only after every step of the escalation ladder has been taken and the finalisation period has passed. The case can be reopened.',
    from: ['action_plan'],
    to: 'finalised',
    roles: ['cps_unit_head'],
    fields: {
      reasons: text(
        'Reasons',
        'the reasons',
        'What was asked, what was done to get an answer, and why the case cannot wait longer',
      ),
    },
    isvaVisible: true,
    precondition: (facts) => {
      if (!facts.adminFinalisation.ladderExhausted)
        return 'The escalation ladder has not run out for any open action plan item'
      if (!facts.adminFinalisation.allowedFrom || facts.adminFinalisation.allowedFrom > facts.today) {
        return `The finalisation period has not passed: the case can be administratively finalised from ${facts.adminFinalisation.allowedFrom ?? 'a later date'}`
      }
      return null
    },
    summary: () => 'Case administratively finalised',
    project: (_data, facts) => ({ finalOutcome: 'administratively_finalised', finalisedOn: facts.today }),
  }),
  define({
    type: 'set_action_plan',
    version: 1,
    title: 'Set an action plan',
    description:
      'Set out the further work the police must do before a charging decision. Each item has an owner, a due date and why it is proportionate.',
    from: ['investigation', 'awaiting_charging_decision'],
    to: 'action_plan',
    roles: ['prosecutor'],
    fields: {
      items: actionPlanItems(1),
      note: optionalText('Note to the police (optional)', 'the note'),
    },
    refine: itemDueProblems,
    isvaVisible: false,
    precondition: (facts) => {
      if (facts.stage === 'investigation' && facts.earlyAdvice !== 'given')
        return 'An action plan during the investigation follows early advice'
      if (openItems(facts).length > 0) return 'There is already an action plan with open items'
      return null
    },
    summary: (data) => `Action plan set (${Array.isArray(data.items) ? data.items.length : 0} items)`,
    project: () => ({ referral: null }),
    opens: ['answer_action_plan'],
    closes: ['charging_decision'],
  }),
  define({
    type: 'answer_action_item',
    version: 1,
    title: 'Answer an action plan item',
    description: 'Say what was done, or why the item is not possible or not proportionate.',
    from: ['action_plan', 'investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      itemNumber: field.actionItem({ label: 'Item', name: 'the item' }),
      answer: field.choice({ label: 'Answer', name: 'the answer', options: ACTION_ITEM_ANSWERS }),
      details: text('Result, or the reasons', 'the result or the reasons'),
    },
    isvaVisible: false,
    precondition: (facts) => (openItems(facts).length > 0 ? null : 'There are no open action plan items'),
    guard: (facts, _actor, data) =>
      openItems(facts).some((i) => i.number === data.itemNumber) ? null : 'Select an open item of the action plan',
    summary: (data) => `Action plan item ${String(data.itemNumber)} answered: ${String(data.answer).replace('_', ' ')}`,
    closes: (data, facts) => [
      ...(openItems(facts).every((i) => i.number === data.itemNumber) ? (['answer_action_plan'] as const) : []),
      ...(facts.actionItems.some((i) => i.number === data.itemNumber && i.proposedDueOn)
        ? lastMoreTimeRequest(data, facts)
        : []),
    ],
  }),
  define({
    type: 'request_more_time',
    version: 1,
    title: 'Ask for more time on an action plan item',
    description: 'Propose a new due date and say why. The prosecutor accepts or rejects it.',
    from: ['action_plan', 'investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      itemNumber: field.actionItem({ label: 'Item', name: 'the item' }),
      proposedDueOn: field.date({ label: 'Proposed due date', name: 'the proposed due date' }),
      reason: text('Why more time is needed', 'why more time is needed'),
    },
    refine: (data) =>
      typeof data.proposedDueOn === 'string' && data.proposedDueOn <= todayIso()
        ? { path: 'proposedDueOn', message: 'The proposed due date must be in the future' }
        : null,
    isvaVisible: false,
    precondition: (facts) => (openItems(facts).length > 0 ? null : 'There are no open action plan items'),
    guard: (facts, _actor, data) => {
      const item = openItems(facts).find((i) => i.number === data.itemNumber)
      if (!item) return 'Select an open item of the action plan'
      return item.proposedDueOn
        ? 'More time has already been asked for on this item; wait for the prosecutor’s decision'
        : null
    },
    summary: (data) => `More time asked for on action plan item ${String(data.itemNumber)}`,
    opens: ['more_time_decision'],
  }),
  define({
    type: 'decide_more_time',
    version: 1,
    title: 'Decide a request for more time',
    description: 'Accept the proposed due date (the item is re-dated) or reject it (the item stays due as set).',
    from: ['action_plan', 'investigation'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      itemNumber: field.actionItem({ label: 'Item', name: 'the item' }),
      decision: decisionField([
        { value: 'accept', text: 'Accept the proposed date' },
        { value: 'reject', text: 'Reject: the item stays due as set' },
      ]),
      reason: optionalText('Reason (optional)', 'the reason'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.actionItems.some((i) => i.status === 'open' && i.proposedDueOn)
        ? null
        : 'No request for more time is waiting for a decision',
    guard: (facts, _actor, data) =>
      facts.actionItems.some((i) => i.number === data.itemNumber && i.status === 'open' && i.proposedDueOn)
        ? null
        : 'Select an item with a request for more time',
    summary: (data) =>
      `More time on action plan item ${String(data.itemNumber)} ${data.decision === 'accept' ? 'accepted' : 'rejected'}`,
    closes: lastMoreTimeRequest,
  }),
  define({
    type: 'request_early_advice',
    version: 1,
    title: 'Request early advice',
    description: 'Ask a prosecutor for advice before a charging decision can be made (DG6 chapter 7).',
    from: ['investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      summary: text('Summary of the case', 'a summary of the case'),
      linesCompleted: text('Lines of enquiry completed, and their results', 'the lines of enquiry completed'),
      linesOngoing: text(
        'Lines of enquiry ongoing or planned, with timescales',
        'the lines of enquiry ongoing or planned',
        'Include what each is expected to show and when',
      ),
      issues: optionalText(
        'Issues identified so far (optional)',
        'the issues',
        'Including any account the suspect has given',
      ),
      questions: text('What you want advice on', 'what you want advice on'),
      material: optionalText(
        'Material supplied (optional)',
        'the material supplied',
        'For example the ABE interview or interview notes',
      ),
    },
    isvaVisible: false,
    precondition: (facts) => {
      if (facts.earlyAdvice === 'requested' || facts.earlyAdvice === 'accepted')
        return 'Early advice has already been requested and not yet given'
      if (facts.earlyAdvice === 'challenged') return 'A challenge to declined early advice is waiting for a decision'
      return null
    },
    summary: () => 'Early advice requested',
    project: () => ({ earlyAdvice: 'requested' }),
    opens: ['early_advice_request'],
  }),
  define({
    type: 'accept_early_advice',
    version: 1,
    title: 'Accept the early advice request',
    description:
      'Tell the investigator the request is accepted and when to expect the advice. The advice itself follows with “Give early advice”.',
    from: ['investigation'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      note: optionalText('Note to the investigator (optional)', 'the note', 'For example, when you expect to advise'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.earlyAdvice === 'requested' ? null : 'There is no early advice request waiting to be accepted',
    summary: () => 'Early advice request accepted',
    project: () => ({ earlyAdvice: 'accepted' }),
  }),
  define({
    type: 'decline_early_advice',
    version: 1,
    title: 'Decline the early advice request',
    description:
      'Say why early advice cannot be given now. A police inspector (or above) can challenge the decision to the CPS unit head.',
    from: ['investigation'],
    to: 'same',
    roles: ['prosecutor'],
    fields: { reason: text('Why early advice is declined', 'why early advice is declined') },
    isvaVisible: false,
    precondition: earlyAdviceRequested,
    summary: () => 'Early advice declined',
    project: () => ({ earlyAdvice: 'declined' }),
    closes: ['early_advice_request'],
  }),
  define({
    type: 'challenge_early_advice_decline',
    version: 1,
    title: 'Challenge the decision to decline early advice',
    description:
      'An officer of inspector rank or above may challenge a refusal of early advice through the escalation process (DG6 chapter 7). The CPS unit head decides.',
    from: ['investigation'],
    to: 'same',
    roles: ['police_inspector'],
    fields: {
      reason: text('Why early advice should be given', 'why early advice should be given'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.earlyAdvice === 'declined' ? null : 'There is no declined early advice request to challenge',
    summary: () => 'Decision to decline early advice challenged by a police inspector',
    project: () => ({ earlyAdvice: 'challenged' }),
    opens: ['early_advice_challenge'],
  }),
  define({
    type: 'decide_early_advice_challenge',
    version: 1,
    title: 'Decide the challenge to declined early advice',
    description:
      'Uphold the decision to decline, or overturn it: the request goes back to a prosecutor to give early advice.',
    from: ['investigation'],
    to: 'same',
    roles: ['cps_unit_head'],
    fields: {
      decision: decisionField([
        { value: 'overturn', text: 'Overturn: a prosecutor gives early advice' },
        { value: 'uphold', text: 'Uphold the decision to decline' },
      ]),
      reason: text('Reasons', 'the reasons'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.earlyAdvice === 'challenged'
        ? null
        : 'There is no challenge to declined early advice waiting for a decision',
    summary: (data) =>
      data.decision === 'overturn'
        ? 'Challenge upheld: early advice to be given'
        : 'Challenge rejected: the decision to decline early advice stands',
    project: (data) => ({ earlyAdvice: data.decision === 'overturn' ? 'requested' : 'decline_upheld' }),
    closes: ['early_advice_challenge'],
    opens: (data) => (data.decision === 'overturn' ? ['early_advice_request'] : []),
  }),
  define({
    type: 'give_early_advice',
    version: 1,
    title: 'Give early advice',
    description:
      'Answer the investigator’s questions. You can set an action plan with the advice: the police then answer it item by item.',
    from: ['investigation'],
    to: (data) => (Array.isArray(data.items) && data.items.length > 0 ? 'action_plan' : 'investigation'),
    roles: ['prosecutor'],
    fields: {
      advice: text(
        'Advice',
        'the advice',
        'Answer each question; say what further enquiries would help a charging decision',
        20000,
      ),
      items: optional(actionPlanItems(0)),
    },
    refine: itemDueProblems,
    isvaVisible: false,
    precondition: earlyAdviceRequested,
    guard: (facts, _actor, data) =>
      Array.isArray(data.items) && data.items.length > 0 && openItems(facts).length > 0
        ? 'There is already an action plan with open items; give the advice without a new plan'
        : null,
    summary: (data) =>
      Array.isArray(data.items) && data.items.length > 0
        ? `Early advice given with an action plan (${data.items.length} items)`
        : 'Early advice given',
    project: () => ({ earlyAdvice: 'given' }),
    closes: ['early_advice_request'],
    opens: (data) => (Array.isArray(data.items) && data.items.length > 0 ? ['answer_action_plan'] : []),
  }),
  define({
    type: 'prepare_charging_referral',
    version: 1,
    title: 'Prepare a charging referral',
    description:
      'Set out the investigation for a charging decision (DG6 annex). A police supervisor signs it off before it goes to the CPS. It covers every identified suspect.',
    from: ['investigation', 'action_plan'],
    to: 'same',
    roles: POLICE,
    fields: {
      category: field.choice({
        label: 'Category',
        name: 'the category',
        options: [
          { value: 'red', text: 'Red' },
          { value: 'green', text: 'Green' },
          { value: 'green_priority', text: 'Green priority' },
        ],
      }),
      linesCompleted: text(
        'Reasonable lines of enquiry completed, including those that assist the defence, and their results',
        'the lines of enquiry completed',
      ),
      linesNotPursued: text('Lines of enquiry not pursued, and why', 'the lines of enquiry not pursued'),
      linesOutstanding: optionalText(
        'Outstanding lines of enquiry, with timescales and likely impact on the decision (optional)',
        'the outstanding lines of enquiry',
      ),
      outstandingEvidence: optionalText(
        'Outstanding evidence by type, with target dates (optional)',
        'the outstanding evidence',
        'Audio-visual, bad character, communications, forensic, identification, medical',
      ),
      victimEngagement: text(
        'Victim and witness engagement',
        'the victim and witness engagement',
        'Whether any victim or witness has not engaged or does not support the case',
      ),
      linkedSuspects: optionalText('Linked suspects and investigations (optional)', 'the linked suspects'),
      suspectIds: optional(
        field.people({
          label: 'Suspects this referral is for (optional)',
          name: 'the suspects',
          role: 'suspect',
          hint: 'Refer one suspect, or several together. If you tick none, the referral is for every identified suspect.',
        }),
      ),
    },
    isvaVisible: false,
    precondition: (facts) => {
      if (!facts.people.some((p) => p.role === 'suspect' && !p.unknown))
        return 'There is no identified suspect to refer'
      if (facts.referral?.status === 'prepared') return 'A referral is already waiting for supervisor sign-off'
      return null
    },
    guard: (facts, _actor, data) => {
      if (!Array.isArray(data.suspectIds)) return null
      const identified = new Set(facts.people.filter((p) => p.role === 'suspect' && !p.unknown).map((p) => p.id))
      if (!data.suspectIds.every((id) => identified.has(String(id)))) return 'Select identified suspects on this case'
      const decided = new Set(facts.decisions.map((d) => d.suspectId))
      return data.suspectIds.every((id) => decided.has(String(id)))
        ? 'Every suspect selected already has a charging decision'
        : null
    },
    summary: (data) => `Charging referral prepared (${String(data.category).replace('_', ' ')})`,
    project: (data, _facts, actor) => ({
      referral: {
        status: 'prepared',
        preparedBy: actor.id,
        category: String(data.category),
        suspectIds: Array.isArray(data.suspectIds) ? data.suspectIds.map(String) : null,
      },
    }),
    opens: ['referral_sign_off'],
  }),
  define({
    type: 'return_charging_referral',
    version: 1,
    title: 'Return the charging referral',
    description: 'Do not sign off the referral; say what is needed first.',
    from: ['investigation', 'action_plan'],
    to: 'same',
    roles: ['police_supervisor'],
    fields: { reason: text('What is needed before sign-off', 'what is needed before sign-off') },
    isvaVisible: false,
    precondition: (facts) =>
      facts.referral?.status === 'prepared' ? null : 'There is no referral waiting for sign-off',
    summary: () => 'Charging referral returned to the investigator',
    project: () => ({ referral: null }),
    closes: ['referral_sign_off'],
  }),
  define({
    type: 'sign_off_charging_referral',
    version: 1,
    title: 'Sign off the charging referral',
    description: 'Agree the referral and send it to the CPS for a charging decision.',
    from: ['investigation', 'action_plan'],
    to: 'awaiting_charging_decision',
    roles: ['police_supervisor'],
    fields: { note },
    isvaVisible: true,
    precondition: (facts, actor) => {
      if (facts.referral?.status !== 'prepared') return 'There is no referral waiting for sign-off'
      if (facts.referral.preparedBy === actor.id)
        return 'A referral must be signed off by a supervisor other than the person who prepared it'
      return null
    },
    summary: () => 'Referred to the CPS for a charging decision',
    project: (_data, facts) => ({
      referral: {
        status: 'signed_off',
        preparedBy: facts.referral?.preparedBy ?? null,
        category: null,
        suspectIds: facts.referral?.suspectIds ?? null,
      },
    }),
    closes: ['referral_sign_off'],
    opens: ['charging_decision'],
  }),
  define({
    type: 'record_charging_decision',
    version: 1,
    title: 'Record a charging decision',
    description:
      'Apply the Full Code Test (the evidential stage, then each public interest question) or the Threshold Test (all five conditions) for one suspect. ' +
      'After a Threshold Test charge, apply the Full Code Test by the review date.',
    from: ['awaiting_charging_decision', 'charged'],
    to: stageAfterDecision,
    roles: ['prosecutor'],
    fields: {
      suspectId: suspectField,
      test: field.choice({
        label: 'Test applied',
        name: 'the test applied',
        options: [
          { value: 'full_code', text: 'Full Code Test' },
          { value: 'threshold', text: 'Threshold Test' },
        ],
      }),
      evidentialStage: optional(
        field.choice({
          label: 'Full Code Test: is there a realistic prospect of conviction?',
          name: 'whether the evidential stage is met',
          options: [
            { value: 'met', text: 'Yes, the evidential stage is met' },
            { value: 'not_met', text: 'No, the evidential stage is not met' },
          ],
        }),
      ),
      evidentialReasoning: optionalText(
        'Evidential stage: reasoning',
        'the evidential reasoning',
        'Admissibility, reliability, credibility and any defence',
      ),
      ...Object.fromEntries(
        PUBLIC_INTEREST_QUESTIONS.map((q) => [
          q.key,
          optionalText(`Public interest: ${q.text}`, `your answer to “${q.text}”`),
        ]),
      ),
      publicInterest: optional(
        field.choice({
          label: 'Public interest stage: conclusion',
          name: 'the public interest conclusion',
          options: [
            { value: 'prosecution_required', text: 'A prosecution is required in the public interest' },
            { value: 'prosecution_not_required', text: 'A prosecution is not required in the public interest' },
          ],
        }),
      ),
      ...Object.fromEntries(
        THRESHOLD_CONDITIONS.map((c) => [
          c.key,
          optional(
            field.choice({
              label: `Threshold Test: ${c.text}`,
              name: 'whether this condition is met',
              options: YES_NO,
            }),
          ),
        ]),
      ),
      fullCodeReviewBy: optional(
        field.date({
          label: 'Threshold Test: apply the Full Code Test by',
          name: 'the date to apply the Full Code Test by',
        }),
      ),
      outcome: field.choice({ label: 'Decision', name: 'the decision', options: DECISION_OUTCOMES }),
      charges: optionalText('Charges (if charging)', 'the charges', 'Each charge and the offence it relates to'),
    },
    refine: (data) => {
      const problems: { path: string; message: string }[] = []
      const need = (key: string, message: string) => {
        if (data[key] === undefined) problems.push({ path: key, message })
      }
      if (data.test === 'full_code') {
        need('evidentialStage', 'Select whether the evidential stage is met')
        need('evidentialReasoning', 'Enter the evidential reasoning')
        if (data.evidentialStage === 'met') {
          for (const q of PUBLIC_INTEREST_QUESTIONS) need(q.key, `Answer “${q.text}”`)
          need('publicInterest', 'Select the public interest conclusion')
        }
        if (data.evidentialStage === 'not_met' && data.outcome !== undefined && data.outcome !== 'nfa_evidential') {
          problems.push({
            path: 'outcome',
            message: 'When the evidential stage is not met the decision is no further action (evidential)',
          })
        }
        if (
          data.evidentialStage === 'met' &&
          data.publicInterest === 'prosecution_required' &&
          data.outcome !== undefined &&
          data.outcome !== 'charge'
        ) {
          problems.push({
            path: 'outcome',
            message: 'When a prosecution is required in the public interest the decision is to charge',
          })
        }
        if (data.publicInterest === 'prosecution_not_required' && data.outcome === 'charge') {
          problems.push({
            path: 'outcome',
            message: 'You cannot charge when a prosecution is not required in the public interest',
          })
        }
        if (data.fullCodeReviewBy !== undefined)
          problems.push({ path: 'fullCodeReviewBy', message: 'A review date goes with the Threshold Test only' })
      }
      if (data.test === 'threshold') {
        for (const c of THRESHOLD_CONDITIONS) need(c.key, 'Select whether this condition is met')
        if (THRESHOLD_CONDITIONS.some((c) => data[c.key] === 'no')) {
          problems.push({
            path: 'outcome',
            message: 'The Threshold Test can be used only when all five conditions are met',
          })
        } else if (data.outcome !== undefined && data.outcome !== 'charge') {
          problems.push({
            path: 'outcome',
            message:
              'A Threshold Test decision is a decision to charge; apply the Full Code Test for any other decision',
          })
        }
        need('fullCodeReviewBy', 'Enter the date by which the Full Code Test must be applied')
        if (typeof data.fullCodeReviewBy === 'string' && data.fullCodeReviewBy < todayIso()) {
          problems.push({
            path: 'fullCodeReviewBy',
            message: 'The date to apply the Full Code Test by must be today or in the future',
          })
        }
      }
      if (data.outcome === 'charge') need('charges', 'Enter the charges')
      return problems
    },
    isvaVisible: true,
    guard: (facts, _actor, data) => {
      const suspect = facts.people.find((p) => p.id === data.suspectId)
      if (!suspect || suspect.role !== 'suspect' || suspect.unknown) return 'Select an identified suspect on this case'
      if (facts.stage === 'awaiting_charging_decision' && !referredSuspects(facts).includes(suspect.id))
        return 'This suspect is not in the referral the CPS received; the police refer them separately'
      const previous = facts.decisions.find((d) => d.suspectId === data.suspectId)
      if (facts.stage === 'charged' && !(previous?.outcome === 'charge' && data.test === 'full_code')) {
        return 'After charge, a further decision is the Full Code Test for a suspect charged under the Threshold Test'
      }
      return null
    },
    summary: (data) => OUTCOME_SUMMARY[String(data.outcome)] ?? 'Charging decision',
    closes: (data, facts) =>
      stageAfterDecision(data, facts) === 'awaiting_charging_decision' ? [] : ['charging_decision'],
    project: (data, facts) => {
      const stage = stageAfterDecision(data, facts)
      // Every referred suspect has a decision and others are still under investigation: the referral is done.
      if (stage === 'investigation') return { referral: null }
      if (stage !== 'finalised') return {}
      const outcomes = new Set([...facts.decisions.map((d) => d.outcome), String(data.outcome)])
      return {
        finalOutcome:
          outcomes.has('out_of_court_disposal') && outcomes.size === 1
            ? 'out_of_court_disposal'
            : 'cps_no_further_action',
        finalisedOn: facts.today,
      }
    },
  }),
]

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
      'The CPS operational target of 28 days for pre-charge decisions on suspects not in custody (CPS quarterly data; not in DG6)',
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
