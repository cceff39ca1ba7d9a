import type { TaskKind } from '../../core/tasks'
import type { ClockRule } from '../../core/clocks'
import { type CaseFacts } from '../../core/event-model'
import { type Fields, field, isRealDate, optional } from '../../core/fields'

/**
 * Requests for a complainant's or witness's digital material or third-party material (docs/sources.md, Product targets: module 7;
 * docs/sources.md section 9): the reasonable line of enquiry, necessity and proportionality, less intrusive options,
 * a staged scope widened or narrowed only by a new recorded decision, supervisor approval, prosecutor review where the
 * CPS is engaged, the written notice and the person's answer, the device's journey, and the prosecutor's fair-trial
 * consideration after a refusal. A refusal never blocks the rest of the case.
 */
export const DEVICE_MATERIAL = [
  { value: 'phone', text: 'Mobile phone' },
  { value: 'tablet', text: 'Tablet' },
  { value: 'computer', text: 'Computer or laptop' },
  { value: 'other_device', text: 'Another device (for example a smartwatch or a memory stick)' },
] as const
export const THIRD_PARTY_MATERIAL = [
  { value: 'medical', text: 'Medical records' },
  { value: 'counselling', text: 'Counselling or therapy notes' },
  { value: 'social_services', text: 'Social services records' },
  { value: 'education', text: 'School, college or university records' },
  { value: 'phone_records', text: 'Phone records from the network provider' },
  { value: 'other_records', text: 'Other records held by someone else' },
] as const
export const MATERIAL = [...DEVICE_MATERIAL, ...THIRD_PARTY_MATERIAL]
export type RequestKind = 'device' | 'third_party'
export const kindOf = (material: unknown): RequestKind =>
  DEVICE_MATERIAL.some((m) => m.value === material) ? 'device' : 'third_party'

export const ALTERNATIVES = [
  { value: 'screenshots', text: 'Screenshots or copies the person provides' },
  { value: 'suspect_device', text: 'The suspect’s device' },
  { value: 'other_source', text: 'Another source (for example the other person in a conversation, or a provider)' },
  { value: 'viewing', text: 'Looking at the material with the person, without taking it' },
  { value: 'none_available', text: 'No less intrusive option was available' },
] as const

export const DATA_CATEGORIES = [
  { value: 'messages', text: 'Messages and chats' },
  { value: 'calls', text: 'Call logs' },
  { value: 'contacts', text: 'Contacts' },
  { value: 'photos', text: 'Photos and videos' },
  { value: 'social', text: 'Social media' },
  { value: 'location', text: 'Location data' },
  { value: 'internet', text: 'Internet history' },
  { value: 'email', text: 'Email' },
  { value: 'notes', text: 'Notes and documents' },
] as const

/** What the written notice told the person: the first five are what the law requires (s.39 PCSC Act 2022). */
export const NOTICE_ITEMS = [
  { value: 'what', text: 'What information is sought' },
  { value: 'why', text: 'Why it is sought' },
  { value: 'handling', text: 'How it will be dealt with: kept, used and shared' },
  { value: 'need_not_agree', text: 'That they need not agree' },
  { value: 'refusal', text: 'That refusing does not on its own end the investigation' },
  { value: 'time_without', text: 'How long they may be without the device (for a device)' },
] as const
export const REQUIRED_NOTICE_ITEMS = NOTICE_ITEMS.slice(0, 5)

export const ANSWERED_BY = [
  { value: 'the_person', text: 'The person themselves' },
  { value: 'parent_guardian', text: 'Their parent or guardian' },
  { value: 'other_adult', text: 'Another responsible adult, or someone with legal authority to decide for them' },
] as const
export const WHY_SOMEONE_ELSE = [
  { value: 'child', text: 'They are a child' },
  { value: 'no_capacity', text: 'They are an adult without the capacity to decide' },
] as const

export const APPROVAL_DECISIONS = [
  { value: 'approve', text: 'Approve' },
  { value: 'approve_for_review', text: 'Approve, and ask the prosecutor to review it first' },
  { value: 'not_approve', text: 'Do not approve' },
] as const
export const REVIEW_VIEWS = [
  { value: 'proceed', text: 'A reasonable line of enquiry, necessary and proportionate: proceed' },
  { value: 'narrow', text: 'Proceed only with a narrower scope (a new scope is needed)' },
  { value: 'do_not_pursue', text: 'Not a reasonable line of enquiry: do not pursue it' },
] as const
export const FAIR_TRIAL_CONCLUSIONS = [
  { value: 'fair_trial_possible', text: 'A fair trial is possible without the material' },
  { value: 'defence_told', text: 'A fair trial is possible; the defence is to be told of the refusal' },
  { value: 'may_not_proceed', text: 'A fair trial may not be possible without it: the case may not be able to go on' },
] as const
export const EXTRACTION_METHODS = [
  { value: 'selective', text: 'Selective extraction of the approved categories only' },
  { value: 'kiosk', text: 'Extraction at a kiosk, filtered to the scope' },
  { value: 'full_filtered', text: 'Full extraction, with only the scope reviewed' },
  { value: 'manual', text: 'Manual examination and photographs of the screen' },
] as const
export const SCOPE_APPLIED = [
  { value: 'as_approved', text: 'Exactly the approved scope' },
  { value: 'narrower', text: 'Narrower than the approved scope' },
] as const
export const OUTSIDE_SCOPE = [
  { value: 'none', text: 'None was obtained' },
  { value: 'deleted', text: 'Deleted' },
  { value: 'sealed', text: 'Kept sealed and not reviewed' },
  { value: 'retained', text: 'Kept because it is relevant (explain why)' },
] as const
/** Material outside the scope was obtained (deleted, sealed or kept), so what was done with it is explained. */
export const keptOrDeleted = (value: unknown) => OUTSIDE_SCOPE.some((o) => o.value === value && o.value !== 'none')
/** What was done with material obtained outside the scope: one definition for devices and records. */
export const OUTSIDE_SCOPE_FIELDS: Fields = {
  outsideScope: field.choice({
    label: 'Material outside the scope',
    name: 'what was done with material outside the scope',
    options: OUTSIDE_SCOPE,
  }),
  outsideScopeNote: optional(
    field.textarea({
      label: 'What was done with it, and why (unless none was obtained)',
      name: 'what was done with it',
      maxLength: 5000,
    }),
  ),
}
export const outsideScopeProblem = (data: Record<string, unknown>): Problem | null =>
  keptOrDeleted(data.outsideScope) && data.outsideScopeNote === undefined
    ? { path: 'outsideScopeNote', message: 'Enter what was done with it, and why' }
    : null
export const HOLDER_RESPONSES = [
  { value: 'received', text: 'Received in full' },
  { value: 'part', text: 'Part received' },
  { value: 'declined', text: 'The holder declined' },
] as const

/** Where a request is: one state, changed only by the events below (`nextRequestState`). */
export const REQUEST_STATES = {
  awaiting_approval: 'Waiting for a supervisor’s decision',
  not_approved: 'Not approved by a supervisor',
  awaiting_review: 'Waiting for the prosecutor’s review',
  new_scope_needed: 'The prosecutor advised a narrower scope',
  not_pursued: 'Not pursued, on the prosecutor’s advice',
  approved: 'Approved: the person is to be given written notice',
  notice_given: 'Written notice given: waiting for their answer',
  agreed: 'Agreed',
  refused: 'Refused',
  withdrawn: 'Agreement withdrawn',
} as const
export type RequestState = keyof typeof REQUEST_STATES
/** A new scope may be recorded unless a decision on the current one is awaited or the person said no. */
export const RESCOPABLE: readonly RequestState[] = [
  'not_approved',
  'new_scope_needed',
  'not_pursued',
  'approved',
  'agreed',
]

declare module '../../core/event-model' {
  interface CaseFacts {
    /** Requests for a complainant's or witness's device or records, by number. */
    materialRequests: readonly MaterialRequestFacts[]
  }
}

export interface MaterialRequestFacts {
  number: number
  personId: string
  kind: RequestKind
  state: RequestState
  scopeStage: number
  /** Who recorded the current scope: they may not approve it. */
  scopeBy: string
  /** The day the person agreed, if they did. */
  agreedOn: string | null
  /** Devices: whether the police hold it now, and since when. */
  held: boolean
  takenOn: string | null
  extracted: boolean
  /** Third-party material: the request sent to the holder, and their answer. */
  holder: 'sent' | 'received' | 'part' | 'declined' | null
  sentOn: string | null
  fairTrialConsidered: boolean
}

/** The state a request moves to when an event is applied to it (null: the event does not change it). */
export function nextRequestState(type: string, data: Record<string, unknown>): RequestState | null {
  switch (type) {
    case 'propose_material_request':
    case 'rescope_material_request':
      return 'awaiting_approval'
    case 'decide_material_request':
      return ({ approve: 'approved', approve_for_review: 'awaiting_review', not_approve: 'not_approved' } as const)[
        data.decision as 'approve'
      ]
    case 'review_material_request':
      return ({ proceed: 'approved', narrow: 'new_scope_needed', do_not_pursue: 'not_pursued' } as const)[
        data.view as 'proceed'
      ]
    case 'give_material_notice':
      return 'notice_given'
    case 'record_material_answer':
      return data.answer === 'agreed' ? 'agreed' : 'refused'
    case 'withdraw_material_agreement':
      return 'withdrawn'
    default:
      return null
  }
}

/**
 * Whether the CPS is engaged on the case, so a prosecutor reviews a request before the person is asked: early advice
 * requested, being given or given (and not declined), or the case is with the CPS for a decision or at court.
 */
export function prosecutorEngaged(facts: Pick<CaseFacts, 'earlyAdvice' | 'stage'>): boolean {
  if (facts.stage === 'awaiting_charging_decision' || facts.stage === 'charged') return true
  return ['requested', 'accepted', 'challenged', 'given'].includes(facts.earlyAdvice ?? '')
}

export const requestField = (states: readonly RequestState[], label = 'Request', kind?: RequestKind) =>
  field.materialRequest({ label, name: 'the request', states, kind })

export function requestOf(facts: CaseFacts, data: Record<string, unknown>) {
  return facts.materialRequests.find((r) => r.number === data.requestNumber)
}

/** The request named is on the case, in one of these states (and of this kind); otherwise why not. */
export function requestIn(
  facts: CaseFacts,
  data: Record<string, unknown>,
  states: readonly RequestState[],
  kind?: RequestKind,
): string | null {
  const request = requestOf(facts, data)
  if (!request) return 'Select a request on this case'
  if (kind && request.kind !== kind)
    return kind === 'device' ? 'That request is not for a device' : 'That request is not for third-party material'
  if (!states.includes(request.state))
    return `That request is not at the right point for this: it is “${REQUEST_STATES[request.state].toLowerCase()}”`
  return null
}

export const someRequest = (facts: CaseFacts, test: (r: MaterialRequestFacts) => boolean, none: string) =>
  facts.materialRequests.some(test) ? null : none

export type Problem = { path: string; message: string }
/** Both are real dates and the first is earlier (a date that is not real is reported on its own field). */
export const before = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && isRealDate(a) && isRealDate(b) && a < b

/** The staged scope: one definition for the first request and every new scope. */
export const SCOPE_FIELDS: Fields = {
  dateFrom: field.date({ label: 'Scope: from (date)', name: 'the start of the date range' }),
  dateTo: field.date({ label: 'Scope: to (date)', name: 'the end of the date range' }),
  categories: optional(
    field.choices({
      label: 'Scope: kinds of data (a device)',
      name: 'the kinds of data',
      options: DATA_CATEGORIES,
      hint: 'Only what the line of enquiry needs. There is no “everything”: a wider scope needs a new decision.',
    }),
  ),
  contacts: optional(
    field.textarea({
      label: 'Scope: contacts or conversations (optional)',
      name: 'the contacts or conversations',
      hint: 'For example, the messages between the complainant and the suspect. Do not include phone numbers.',
      maxLength: 2000,
    }),
  ),
  searchTerms: optional(
    field.textarea({ label: 'Scope: search terms (optional)', name: 'the search terms', maxLength: 2000 }),
  ),
}
export function scopeProblems(data: Record<string, unknown>): Problem[] {
  return before(data.dateTo, data.dateFrom)
    ? [{ path: 'dateTo', message: 'The end of the date range cannot be before its start' }]
    : []
}
export const necessity = field.textarea({
  label: 'Why it is necessary and proportionate',
  name: 'why it is necessary and proportionate',
  hint: 'Weigh the intrusion into the person’s private life against what the material may show.',
  maxLength: 5000,
})

export const answeredBy = (label: string, name: string) => field.choice({ label, name, options: ANSWERED_BY })

/** Someone answering for a child or an adult without capacity: why, and the person's own views, are recorded. */
export function someoneElseProblems(data: Record<string, unknown>): Problem[] {
  if (data.answeredBy === undefined || data.answeredBy === 'the_person') {
    return data.whySomeoneElse !== undefined
      ? [{ path: 'whySomeoneElse', message: 'Leave this empty when the person answered themselves' }]
      : []
  }
  const problems: Problem[] = []
  if (data.whySomeoneElse === undefined)
    problems.push({ path: 'whySomeoneElse', message: 'Select why someone else answered for them' })
  if (data.personViews === undefined)
    problems.push({ path: 'personViews', message: 'Enter the person’s own views, or why they could not give them' })
  return problems
}
export const someoneElseFields: Fields = {
  whySomeoneElse: optional(
    field.choice({
      label: 'If someone else answered, why',
      name: 'why someone else answered',
      options: WHY_SOMEONE_ELSE,
    }),
  ),
  personViews: optional(
    field.textarea({
      label: 'If someone else answered, the person’s own views',
      name: 'the person’s own views',
      maxLength: 5000,
    }),
  ),
}

/** A person under the age at which they agree alone (when their date of birth is known) cannot answer themselves. */
export function oldEnough(facts: CaseFacts, data: Record<string, unknown>, dateField: string): string | null {
  const request = requestOf(facts, data)
  const person = facts.people.find((p) => p.id === request?.personId)
  const on = data[dateField]
  if (data.answeredBy !== 'the_person' || !person?.agreesAloneFrom || typeof on !== 'string') return null
  return on < person.agreesAloneFrom
    ? 'They were too young to agree alone on that date: a parent or guardian answers, with the child’s views recorded'
    : null
}

export const clockSource =
  'Casebridge default: no national time limit was found; set locally by an administrator (Clock periods)'

export const DIGITAL_CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'material_request_approval',
    name: 'Supervisor’s decision on a request for material',
    source: clockSource,
    startsOn: ['propose_material_request', 'rescope_material_request'],
    keyField: 'requestNumber',
    numberedBy: 'propose_material_request',
    due: { unit: 'working', days: 2, configurable: true },
    metBy: ['decide_material_request'],
    cancelledBy: [],
  },
  {
    id: 'material_request_review',
    name: 'Prosecutor’s review of a request for material',
    source: clockSource,
    startsOn: ['decide_material_request'],
    startsWhen: (data) => data.decision === 'approve_for_review',
    keyField: 'requestNumber',
    due: { unit: 'working', days: 5, configurable: true },
    metBy: ['review_material_request'],
    cancelledBy: [],
  },
  {
    id: 'fair_trial_consideration',
    name: 'Prosecutor considers a fair trial after a refusal (Bater-James)',
    source: clockSource,
    startsOn: ['record_material_answer', 'withdraw_material_agreement'],
    startsWhen: (data) => data.answer !== 'agreed',
    keyField: 'requestNumber',
    due: { unit: 'working', days: 10, configurable: true },
    metBy: ['record_fair_trial_consideration'],
    cancelledBy: [],
  },
  {
    id: 'device_return',
    name: 'Days without the device: returned to its owner',
    source:
      'Casebridge default: the End-to-End Rape Review aims for less time without a phone; no national number was verified, so set the local target here',
    startsOn: ['record_device_taken'],
    fromField: 'takenOn',
    keyField: 'requestNumber',
    due: { unit: 'calendar', days: 1, configurable: true },
    metBy: ['record_device_returned'],
    metOnFields: ['returnedOn'],
    cancelledBy: [],
  },
]
/** Clocks about one request: a complainant is told of them only when the request is theirs. */
export const REQUEST_CLOCK_IDS: readonly string[] = DIGITAL_CLOCK_RULES.map((r) => r.id)

/** Days a device has been (or was) without its owner, over every time it was taken. */
export function daysWithoutDevice(spells: readonly { takenOn: string; returnedOn: string | null }[], today: string) {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000
  return spells.reduce((sum, s) => sum + Math.max(0, day(s.returnedOn ?? today) - day(s.takenOn)), 0)
}

/**
 * What the person whose material it is may be told of a request, in plain words: nothing until they were given
 * notice (they have not been asked), and never the scope, the line of enquiry or anyone's reasoning. An ISVA sees the
 * same, for the complainant they support.
 */
export function victimViewOf(request: {
  material: string
  kind: RequestKind
  state: RequestState
  held: boolean
  everTaken: boolean
  holder: MaterialRequestFacts['holder']
}): { what: string; status: string } | null {
  const hidden: readonly RequestState[] = [
    'awaiting_approval',
    'not_approved',
    'awaiting_review',
    'new_scope_needed',
    'not_pursued',
    'approved',
  ]
  if (hidden.includes(request.state) && !request.everTaken) return null
  const what =
    request.kind === 'device'
      ? `Your ${(DEVICE_MATERIAL.find((m) => m.value === request.material)?.text ?? 'device').toLowerCase()}`
      : `Your ${(THIRD_PARTY_MATERIAL.find((m) => m.value === request.material)?.text ?? 'records').toLowerCase()}`
  const status = (() => {
    if (request.held) return 'The police have it. They will give it back as soon as they can.'
    if (request.kind === 'device' && request.everTaken) return 'The police gave it back.'
    switch (request.state) {
      case 'notice_given':
        return 'The police asked if you agree. You do not have to agree.'
      case 'agreed':
        if (request.holder === 'sent') return 'You agreed. The police asked for the records.'
        if (request.holder !== null) return 'You agreed. The police have the records they asked for.'
        return 'You agreed.'
      case 'refused':
        return 'You did not agree. The case carries on, and the prosecutor will think about what this means for it.'
      case 'withdrawn':
        return 'You took back your agreement. The case carries on.'
      default:
        return 'The police are thinking about whether they still need it. They will ask you again before they look.'
    }
  })()
  return { what, status }
}

/** Requests for a person's device or records: decisions, reviews, a fair trial, giving a device back. */
export const DIGITAL_TASK_KINDS: Readonly<Record<string, TaskKind>> = {
  material_request_decision: {
    label: 'Decide a request for a person’s device or records',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'material_request_approval' },
    whileClocksRun: true,
  },
  material_request_review: {
    label: 'Review a request for a person’s device or records',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'material_request_review' },
    whileClocksRun: true,
  },
  fair_trial_consideration: {
    label: 'Consider a fair trial after a refused request for material',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'fair_trial_consideration' },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  return_device: {
    label: 'Give a device back to its owner',
    role: 'investigator',
    decision: false,
    due: { clock: 'device_return' },
    whileClocksRun: true,
    afterFinalisation: true,
  },
}
