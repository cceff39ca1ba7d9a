import { type CaseFacts, define, type EventDefinition } from './event-model'
import { field, optional } from './fields'

/**
 * The court stage, first part (product.md module 6): hearings listed, and what happened at each, including
 * adjournments with who asked and why. Each listing starts the witness care clock for telling each complainant the
 * date (victims-code.ts). Pleas, verdicts, sentence, discontinuance and directions follow.
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

const hearingNumber = field.hearing({ label: 'Hearing', name: 'the hearing' })

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
]
