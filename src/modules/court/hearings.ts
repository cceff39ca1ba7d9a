import type { TaskKind } from '../../core/tasks'
import type { ClockRule } from '../../core/clocks'
import { type CaseFacts, define, type EventDefinition } from '../../core/event-model'
import { field, optional } from '../../core/fields'

/**
 * The court stage, first part (docs/sources.md, Product targets: module 6): hearings listed, and what happened at each, including
 * adjournments with who asked and why. Each listing starts the witness care clock for telling each complainant the
 * date (victims-code.ts); and the judge's directions, each with who must comply and a clock to its due date. Charges,
 * pleas, verdicts, sentence and charges dropped are in court-outcomes.ts.
 */
export const HEARING_TYPES = [
  { value: 'first_appearance', text: 'First appearance' },
  { value: 'ptph', text: 'Plea and trial preparation hearing' },
  { value: 'further', text: 'Further hearing' },
  { value: 'ground_rules', text: 'Ground rules hearing' },
  { value: 's28_recording', text: 'Pre-recorded cross-examination (section 28)' },
  { value: 'trial', text: 'Trial' },
  { value: 'sentence', text: 'Sentencing hearing' },
] as const

export const ADJOURNMENT_REQUESTERS = [
  { value: 'prosecution', text: 'The prosecution' },
  { value: 'defence', text: 'The defence' },
  { value: 'court', text: 'The court (for example, no judge or courtroom)' },
  { value: 'witness_unavailable', text: 'A witness was not available' },
] as const

export const hearingTypeText = (value: unknown) => HEARING_TYPES.find((t) => t.value === value)?.text ?? 'Hearing'

const hearingNumber = field.hearing({ label: 'Hearing', name: 'the hearing', waiting: true })

export const DIRECTION_PARTIES = [
  { value: 'prosecution', text: 'The prosecution' },
  { value: 'defence', text: 'The defence' },
  { value: 'both', text: 'Both parties' },
  { value: 'other', text: 'Someone else (for example a third party or the court)' },
] as const
const FOR_THE_PROSECUTION = ['prosecution', 'both']

export const DIRECTION_OUTCOMES = [
  { value: 'complied', text: 'Complied with' },
  { value: 'varied', text: 'The court set a new date' },
  { value: 'not_complied', text: 'Not complied with by the due date' },
] as const

/** The hearing named is on this case, was not vacated and has taken place (optional fields pass when empty). */
export function aHearingThatTookPlace(facts: CaseFacts, data: Record<string, unknown>): string | null {
  if (data.hearingNumber === undefined) return null
  const hearing = facts.hearings.find((h) => h.number === data.hearingNumber)
  if (!hearing) return 'Select a hearing on this case'
  if (hearing.status === 'vacated') return 'That hearing was vacated; select the hearing that took place'
  return hearing.on > facts.today ? 'That hearing has not taken place yet' : null
}

/**
 * A clock per direction to its due date: one rule for the prosecution's (in the prosecutor's tasks), one for everyone
 * else's (measured, nobody's task here). Met when compliance is recorded; re-dated when the court sets a new date.
 */
const directionClock = (id: string, name: string, forProsecution: boolean): ClockRule => ({
  id,
  name,
  source: 'The date the judge set for the direction (Criminal Procedure Rules, case management)',
  startsOn: ['record_directions'],
  keyField: 'directionNumber',
  due: {
    items: 'directions',
    when: (item) => FOR_THE_PROSECUTION.includes(String(item.party)) === forProsecution,
    setBy: 'the judge',
  },
  metBy: ['record_direction_compliance'],
  metWhen: { record_direction_compliance: (data) => data.outcome === 'complied' },
  metOnFields: ['compliedOn'],
  cancelledBy: [],
  redate: {
    requestedBy: 'record_direction_compliance',
    dateField: 'newDueOn',
    acceptedBy: 'record_direction_compliance',
    accepted: (data) => data.outcome === 'varied',
  },
})

export const COURT_CLOCK_RULES: readonly ClockRule[] = [
  directionClock('court_direction_prosecution', 'Judge’s direction to the prosecution', true),
  directionClock('court_direction_other', 'Judge’s direction to the defence or others', false),
]

/** The hearing named must be listed on this case and still waiting for its outcome. */
function aListedHearing(facts: CaseFacts, data: Record<string, unknown>): string | null {
  const hearing = facts.hearings.find((h) => h.number === data.hearingNumber)
  if (!hearing) return 'Select a hearing listed on this case'
  return hearing.status === 'listed' ? null : 'The outcome of this hearing is already recorded'
}

export const COURT_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'list_hearing',
    version: 1,
    title: 'Record a hearing listed by the court',
    description:
      'A hearing the court has listed, and the day witness care received the listing: each complainant is told of it within 1 working day of that day (Victims’ Code, Right 8).',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor', 'witness_care'],
    fields: {
      hearingType: field.choice({ label: 'Type of hearing', name: 'the type of hearing', options: HEARING_TYPES }),
      hearingOn: field.date({ label: 'Date of the hearing', name: 'the date of the hearing' }),
      court: field.text({ label: 'Court', name: 'the court', maxLength: 200 }),
      receivedOn: field.date({
        label: 'Date witness care received the listing',
        name: 'the date witness care received the listing',
        notFuture: true,
      }),
    },
    refine: (data) =>
      typeof data.hearingOn === 'string' && typeof data.receivedOn === 'string' && data.hearingOn < data.receivedOn
        ? { path: 'hearingOn', message: 'The hearing cannot be before the day the listing was received' }
        : null,
    isvaVisible: true,
    summary: (data) => `Hearing listed: ${hearingTypeText(data.hearingType).toLowerCase()}`,
  }),
  define({
    type: 'record_hearing_outcome',
    version: 1,
    title: 'Record what happened at a hearing',
    description:
      'Whether the hearing went ahead, was adjourned part-way or was vacated before it started, and who asked for any change and why. A new date is listed as a new hearing.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor', 'witness_care'],
    fields: {
      hearingNumber,
      result: field.choice({
        label: 'What happened',
        name: 'what happened',
        options: [
          { value: 'held', text: 'It went ahead' },
          { value: 'adjourned', text: 'It was adjourned' },
          { value: 'vacated', text: 'It was vacated (taken out of the list) before it started' },
        ],
      }),
      requestedBy: optional(
        field.choice({
          label: 'If adjourned or vacated, who asked for it',
          name: 'who asked for it',
          options: ADJOURNMENT_REQUESTERS,
        }),
      ),
      reason: optional(field.textarea({ label: 'If adjourned or vacated, why', name: 'the reason', maxLength: 2000 })),
      notes: optional(field.textarea({ label: 'Notes (optional)', name: 'the notes', maxLength: 5000 })),
    },
    refine: (data) => {
      if (data.result !== 'adjourned' && data.result !== 'vacated') return null
      const problems: { path: string; message: string }[] = []
      if (data.requestedBy === undefined) problems.push({ path: 'requestedBy', message: 'Select who asked for it' })
      if (data.reason === undefined) problems.push({ path: 'reason', message: 'Enter why' })
      return problems
    },
    guard: (facts, _actor, data) => aListedHearing(facts, data),
    precondition: (facts) =>
      facts.hearings.some((h) => h.status === 'listed') ? null : 'No hearing on this case is waiting for its outcome',
    isvaVisible: true,
    summary: (data) =>
      ({ held: 'Hearing held', adjourned: 'Hearing adjourned', vacated: 'Hearing vacated' })[String(data.result)] ??
      'Hearing outcome recorded',
  }),
  define({
    type: 'record_directions',
    version: 1,
    title: 'Record the judge’s directions',
    description:
      'Directions the judge made at a hearing, each with who must comply and by when. Each has a clock to its due date; the prosecution’s are in the prosecutor’s tasks.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      hearingNumber: field.hearing({ label: 'Made at which hearing', name: 'the hearing' }),
      directions: field.list({
        label: 'Directions',
        name: 'the directions',
        itemLabel: 'Direction',
        min: 1,
        max: 30,
        slots: 3,
        item: {
          description: field.textarea({ label: 'Direction', name: 'the direction', maxLength: 2000 }),
          party: field.choice({ label: 'Who must comply', name: 'who must comply', options: DIRECTION_PARTIES }),
          dueOn: field.date({ label: 'Due by', name: 'the due date' }),
        },
      }),
    },
    precondition: (facts) =>
      facts.hearings.some((h) => h.status !== 'vacated' && h.on <= facts.today)
        ? null
        : 'No hearing on this case has taken place yet',
    guard: (facts, _actor, data) => aHearingThatTookPlace(facts, data),
    isvaVisible: false,
    summary: (data) => {
      const n = Array.isArray(data.directions) ? data.directions.length : 0
      return n === 0 ? 'Directions recorded' : `${n} ${n === 1 ? 'direction' : 'directions'} made by the judge`
    },
  }),
  define({
    type: 'record_direction_compliance',
    version: 1,
    title: 'Record compliance with a direction',
    description:
      'Whether a direction was complied with and when, or the new date the court set, or that it was not complied with by its due date and why.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      directionNumber: field.direction({ label: 'Direction', name: 'the direction' }),
      outcome: field.choice({ label: 'What happened', name: 'what happened', options: DIRECTION_OUTCOMES }),
      compliedOn: optional(
        field.date({ label: 'If complied with, on what date', name: 'the date it was complied with', notFuture: true }),
      ),
      newDueOn: optional(field.date({ label: 'If the court set a new date, the new date', name: 'the new date' })),
      reason: optional(
        field.textarea({ label: 'If a new date or not complied with, why', name: 'the reason', maxLength: 5000 }),
      ),
    },
    refine: (data) => {
      const problems: { path: string; message: string }[] = []
      if (data.outcome === 'complied' && data.compliedOn === undefined)
        problems.push({ path: 'compliedOn', message: 'Enter the date it was complied with' })
      if (data.outcome === 'varied' && data.newDueOn === undefined)
        problems.push({ path: 'newDueOn', message: 'Enter the new date' })
      if ((data.outcome === 'varied' || data.outcome === 'not_complied') && data.reason === undefined)
        problems.push({ path: 'reason', message: 'Enter why' })
      if (data.outcome !== 'complied' && data.compliedOn !== undefined)
        problems.push({ path: 'compliedOn', message: 'A compliance date goes with a direction complied with' })
      if (data.outcome !== 'varied' && data.newDueOn !== undefined)
        problems.push({ path: 'newDueOn', message: 'A new date goes with a direction the court varied' })
      return problems
    },
    precondition: (facts) =>
      facts.directions.some((d) => d.status !== 'complied') ? null : 'Every direction on this case is complied with',
    guard: (facts, _actor, data) => {
      const direction = facts.directions.find((d) => d.number === data.directionNumber)
      if (!direction) return 'Select a direction on this case'
      return direction.status === 'complied' ? 'This direction is already complied with' : null
    },
    isvaVisible: false,
    summary: (data) =>
      ({
        complied: 'A direction was complied with',
        varied: 'The court set a new date for a direction',
        not_complied: 'A direction was not complied with',
      })[String(data.outcome)] ?? 'Direction compliance recorded',
  }),
]

/** The court's work: complying with a judge's direction. */
export const COURT_TASK_KINDS: Readonly<Record<string, TaskKind>> = {
  court_direction: {
    label: 'Comply with a judge’s direction',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'court_direction_prosecution' },
    whileClocksRun: true,
  },
}
