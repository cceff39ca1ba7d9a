import type { TaskKind } from '../core/tasks'
import type { ClockRule } from '../core/clocks'
import { type CaseFacts, define, type EventDefinition, POLICE } from '../core/event-model'
import { type Fields, field, isRealDate, optional } from '../core/fields'
import { WORKING_STAGES } from '../core/stages'

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
const REQUIRED_NOTICE_ITEMS = NOTICE_ITEMS.slice(0, 5)

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
const keptOrDeleted = (value: unknown) => OUTSIDE_SCOPE.some((o) => o.value === value && o.value !== 'none')
/** What was done with material obtained outside the scope: one definition for devices and records. */
const OUTSIDE_SCOPE_FIELDS: Fields = {
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
const outsideScopeProblem = (data: Record<string, unknown>): Problem | null =>
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
const RESCOPABLE: readonly RequestState[] = ['not_approved', 'new_scope_needed', 'not_pursued', 'approved', 'agreed']

declare module '../core/event-model' {
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

const requestField = (states: readonly RequestState[], label = 'Request', kind?: RequestKind) =>
  field.materialRequest({ label, name: 'the request', states, kind })

function requestOf(facts: CaseFacts, data: Record<string, unknown>) {
  return facts.materialRequests.find((r) => r.number === data.requestNumber)
}

/** The request named is on the case, in one of these states (and of this kind); otherwise why not. */
function requestIn(
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

const someRequest = (facts: CaseFacts, test: (r: MaterialRequestFacts) => boolean, none: string) =>
  facts.materialRequests.some(test) ? null : none

type Problem = { path: string; message: string }
/** Both are real dates and the first is earlier (a date that is not real is reported on its own field). */
const before = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && isRealDate(a) && isRealDate(b) && a < b

/** The staged scope: one definition for the first request and every new scope. */
const SCOPE_FIELDS: Fields = {
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
function scopeProblems(data: Record<string, unknown>): Problem[] {
  return before(data.dateTo, data.dateFrom)
    ? [{ path: 'dateTo', message: 'The end of the date range cannot be before its start' }]
    : []
}
const necessity = field.textarea({
  label: 'Why it is necessary and proportionate',
  name: 'why it is necessary and proportionate',
  hint: 'Weigh the intrusion into the person’s private life against what the material may show.',
  maxLength: 5000,
})

const answeredBy = (label: string, name: string) => field.choice({ label, name, options: ANSWERED_BY })

/** Someone answering for a child or an adult without capacity: why, and the person's own views, are recorded. */
function someoneElseProblems(data: Record<string, unknown>): Problem[] {
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
const someoneElseFields: Fields = {
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
function oldEnough(facts: CaseFacts, data: Record<string, unknown>, dateField: string): string | null {
  const request = requestOf(facts, data)
  const person = facts.people.find((p) => p.id === request?.personId)
  const on = data[dateField]
  if (data.answeredBy !== 'the_person' || !person?.agreesAloneFrom || typeof on !== 'string') return null
  return on < person.agreesAloneFrom
    ? 'They were too young to agree alone on that date: a parent or guardian answers, with the child’s views recorded'
    : null
}

const clockSource =
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

export const DIGITAL_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'propose_material_request',
    version: 1,
    title: 'Propose a request for a person’s device or records',
    description:
      'Ask for a complainant’s or witness’s device, or for records held by someone else, only as a reasonable line of enquiry (R v Bater-James, 2020): why it is relevant, why less intrusive ways are not enough, and a targeted scope. A supervisor decides; the person is asked only after that.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      personId: field.person({ label: 'Whose material', name: 'whose material', role: 'complainant_or_witness' }),
      material: field.choice({ label: 'What material', name: 'the material', options: MATERIAL }),
      holder: optional(
        field.text({
          label: 'Who holds the records (third-party material)',
          name: 'who holds the records',
          hint: 'For example, the GP surgery or the counselling service.',
          maxLength: 200,
        }),
      ),
      lineOfEnquiry: field.textarea({
        label: 'The reasonable line of enquiry',
        name: 'the line of enquiry',
        hint: 'What you reasonably believe the material may show, and why. Speculation is not enough.',
        maxLength: 5000,
      }),
      alternatives: field.choices({
        label: 'Less intrusive options considered',
        name: 'the less intrusive options considered',
        options: ALTERNATIVES,
      }),
      whyNotEnough: field.textarea({
        label: 'Why those options are not enough',
        name: 'why those options are not enough',
        maxLength: 5000,
      }),
      necessity,
      ...SCOPE_FIELDS,
    },
    refine: (data) => {
      const problems = scopeProblems(data)
      const device = kindOf(data.material) === 'device'
      if (data.material !== undefined && !device && data.holder === undefined)
        problems.push({ path: 'holder', message: 'Enter who holds the records' })
      if (device && data.categories === undefined)
        problems.push({ path: 'categories', message: 'Select the kinds of data in scope' })
      if (device && data.holder !== undefined)
        problems.push({ path: 'holder', message: 'Leave this empty for a device: the person holds it' })
      return problems
    },
    guard: (facts, _actor, data) => {
      const person = facts.people.find((p) => p.id === data.personId)
      if (!person) return 'Select a person on this case'
      return person.role === 'suspect'
        ? 'A suspect’s devices are seized, not asked for: this request is for a complainant’s or a witness’s material'
        : null
    },
    isvaVisible: false,
    summary: (data) =>
      `Request proposed: ${(MATERIAL.find((m) => m.value === data.material)?.text ?? 'material').toLowerCase()}`,
  }),
  define({
    type: 'decide_material_request',
    version: 1,
    title: 'Decide a request for a person’s device or records',
    description:
      'A supervisor who did not propose the scope decides whether the request is a reasonable line of enquiry, necessary and proportionate. Where the CPS is engaged (early advice, or the case is with the CPS), the prosecutor reviews it before the person is asked.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['police_supervisor'],
    fields: {
      requestNumber: requestField(['awaiting_approval']),
      decision: field.choice({ label: 'Decision', name: 'the decision', options: APPROVAL_DECISIONS }),
      reasons: field.textarea({ label: 'Reasons', name: 'the reasons', maxLength: 5000 }),
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'awaiting_approval', 'No request on this case is waiting for a decision'),
    guard: (facts, actor, data) => {
      const wrong = requestIn(facts, data, ['awaiting_approval'])
      if (wrong) return wrong
      if (requestOf(facts, data)!.scopeBy === actor.id)
        return 'You recorded this scope: another supervisor must decide it'
      return data.decision === 'approve' && prosecutorEngaged(facts)
        ? 'The CPS is engaged on this case: approve it for the prosecutor’s review first'
        : null
    },
    isvaVisible: false,
    summary: (data) =>
      ({
        approve: 'Request approved by a supervisor',
        approve_for_review: 'Request approved by a supervisor, for the prosecutor’s review',
        not_approve: 'Request not approved by a supervisor',
      })[String(data.decision)] ?? 'Request decided',
  }),
  define({
    type: 'review_material_request',
    version: 1,
    title: 'Review a request for a person’s device or records',
    description:
      'The prosecutor’s view of a request approved by the police: whether it is a reasonable line of enquiry, necessary and proportionate, and whether the scope should be narrower.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      requestNumber: requestField(['awaiting_review']),
      view: field.choice({ label: 'Your view', name: 'your view', options: REVIEW_VIEWS }),
      advice: field.textarea({ label: 'Advice to the police', name: 'the advice', maxLength: 5000 }),
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'awaiting_review', 'No request on this case is waiting for a review'),
    guard: (facts, _actor, data) => requestIn(facts, data, ['awaiting_review']),
    isvaVisible: false,
    summary: (data) =>
      ({
        proceed: 'Prosecutor reviewed a request: proceed',
        narrow: 'Prosecutor reviewed a request: a narrower scope is needed',
        do_not_pursue: 'Prosecutor reviewed a request: do not pursue it',
      })[String(data.view)] ?? 'Prosecutor reviewed a request',
  }),
  define({
    type: 'rescope_material_request',
    version: 1,
    title: 'Record a new scope for a request (wider or narrower)',
    description:
      'The scope changes only by a new recorded decision: what the earlier stage found, or the advice given, that makes this scope a reasonable line of enquiry. The new scope needs a supervisor’s decision, and new notice and agreement, before it is used.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(RESCOPABLE),
      whyNewScope: field.textarea({
        label: 'Why a new scope',
        name: 'why a new scope',
        hint: 'What the earlier stage found, or the advice given, that makes this a reasonable line of enquiry.',
        maxLength: 5000,
      }),
      necessity,
      ...SCOPE_FIELDS,
    },
    refine: scopeProblems,
    precondition: (facts) =>
      someRequest(facts, (r) => RESCOPABLE.includes(r.state), 'No request on this case can have a new scope now'),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, RESCOPABLE)
      if (wrong) return wrong
      return requestOf(facts, data)!.kind === 'device' && data.categories === undefined
        ? 'A request for a device must say which kinds of data are in scope'
        : null
    },
    isvaVisible: false,
    summary: () => 'New scope recorded for a request',
  }),
  define({
    type: 'give_material_notice',
    version: 1,
    title: 'Record the written notice given about a request',
    description:
      'Before a person agrees, they are given written notice of what is sought, why, how it will be dealt with, that they need not agree, and that refusing does not on its own end the investigation (Police, Crime, Sentencing and Courts Act 2022, s.39). For a device, tell them how long they may be without it. For a complainant, the notice can be written as a letter from the request (victim care, letters).',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['approved']),
      givenOn: field.date({
        label: 'Date the notice was given',
        name: 'the date the notice was given',
        notFuture: true,
      }),
      givenTo: answeredBy('Given to', 'who it was given to'),
      told: field.choices({ label: 'The notice told them', name: 'what the notice told them', options: NOTICE_ITEMS }),
    },
    refine: (data) => {
      if (!Array.isArray(data.told)) return null
      const missing = REQUIRED_NOTICE_ITEMS.filter((i) => !(data.told as unknown[]).includes(i.value))
      return missing.length
        ? {
            path: 'told',
            message: `The notice must tell them ${missing.map((m) => m.text.charAt(0).toLowerCase() + m.text.slice(1)).join('; ')}`,
          }
        : null
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'approved', 'No approved request on this case is waiting for its notice'),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['approved'])
      if (wrong) return wrong
      return requestOf(facts, data)!.kind === 'device' &&
        Array.isArray(data.told) &&
        !data.told.includes('time_without')
        ? 'For a device, the notice must tell them how long they may be without it'
        : null
    },
    isvaVisible: false,
    summary: () => 'Written notice given about a request',
  }),
  define({
    type: 'record_material_answer',
    version: 1,
    title: 'Record the answer to a request: agreed or refused',
    description:
      'The person’s answer after written notice, given freely. For a child, or an adult without the capacity to decide, the right person answers and the person’s own views are recorded. A refusal does not stop the rest of the case: the prosecutor considers whether a fair trial is still possible.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['notice_given']),
      answer: field.choice({
        label: 'Answer',
        name: 'the answer',
        options: [
          { value: 'agreed', text: 'Agreed' },
          { value: 'refused', text: 'Refused' },
        ],
      }),
      answeredOn: field.date({ label: 'Date of the answer', name: 'the date of the answer', notFuture: true }),
      answeredBy: answeredBy('Who answered', 'who answered'),
      ...someoneElseFields,
      inWriting: optional(
        field.boolean({
          label: 'If agreed, was the agreement confirmed in writing?',
          name: 'the agreement was confirmed in writing',
        }),
      ),
    },
    refine: (data) => {
      const problems = someoneElseProblems(data)
      if (data.answer === 'agreed' && data.inWriting === undefined)
        problems.push({ path: 'inWriting', message: 'Select whether the agreement was confirmed in writing' })
      if (data.answer === 'refused' && data.inWriting !== undefined)
        problems.push({ path: 'inWriting', message: 'Leave this empty when the request was refused' })
      return problems
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'notice_given', 'No request on this case is waiting for an answer'),
    guard: (facts, _actor, data) => requestIn(facts, data, ['notice_given']) ?? oldEnough(facts, data, 'answeredOn'),
    isvaVisible: false,
    summary: (data) => (data.answer === 'agreed' ? 'Request agreed' : 'Request refused'),
  }),
  define({
    type: 'withdraw_material_agreement',
    version: 1,
    title: 'Record that agreement to a request was withdrawn',
    description:
      'A person may withdraw their agreement at any time. Record what happens to material already obtained; the prosecutor considers whether a fair trial is still possible.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed']),
      withdrawnOn: field.date({ label: 'Date withdrawn', name: 'the date it was withdrawn', notFuture: true }),
      answeredBy: answeredBy('Who withdrew it', 'who withdrew it'),
      ...someoneElseFields,
      materialObtained: field.textarea({
        label: 'What happens to material already obtained',
        name: 'what happens to material already obtained',
        maxLength: 5000,
      }),
    },
    refine: someoneElseProblems,
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'agreed', 'No request on this case has an agreement to withdraw'),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'])
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      return before(data.withdrawnOn, request.agreedOn) ? 'It cannot be withdrawn before it was given' : null
    },
    isvaVisible: false,
    summary: () => 'Agreement to a request withdrawn',
  }),
  define({
    type: 'record_fair_trial_consideration',
    version: 1,
    title: 'Consider a fair trial after a refused or withdrawn request',
    description:
      'After a refusal or a withdrawal, the prosecutor considers whether a fair trial is possible without the material and whether the defence must be told (R v Bater-James, 2020). The rest of the case carries on meanwhile.',
    from: [...WORKING_STAGES, 'finalised'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      requestNumber: requestField(['refused', 'withdrawn']),
      conclusion: field.choice({ label: 'Conclusion', name: 'the conclusion', options: FAIR_TRIAL_CONCLUSIONS }),
      reasons: field.textarea({ label: 'Reasons', name: 'the reasons', maxLength: 5000 }),
    },
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => ['refused', 'withdrawn'].includes(r.state) && !r.fairTrialConsidered,
        'No refused or withdrawn request on this case is waiting for the prosecutor',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['refused', 'withdrawn'])
      if (wrong) return wrong
      return requestOf(facts, data)!.fairTrialConsidered ? 'This refusal has already been considered' : null
    },
    isvaVisible: false,
    summary: () => 'Prosecutor considered a fair trial after a refusal',
  }),
  define({
    type: 'record_device_taken',
    version: 1,
    title: 'Record a device taken',
    description:
      'A device is taken only when its user provides it voluntarily and has agreed after written notice. The clock of days without it starts on the day it is taken.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed'], 'Request', 'device'),
      takenOn: field.date({ label: 'Date taken', name: 'the date it was taken', notFuture: true }),
      device: field.text({
        label: 'The device',
        name: 'the device',
        hint: 'Make, model and colour, for example “black smartphone”. Not its number or passcode.',
        maxLength: 200,
      }),
      voluntary: field.boolean({
        label: 'Did its user provide it voluntarily?',
        name: 'its user provided it voluntarily',
      }),
    },
    refine: (data) =>
      data.voluntary === false
        ? {
            path: 'voluntary',
            message: 'A device can be taken for extraction only when its user provides it voluntarily',
          }
        : null,
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => r.kind === 'device' && r.state === 'agreed' && !r.held,
        'No agreed request for a device is waiting for the device',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'], 'device')
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      if (request.held) return 'The police already hold this device'
      return before(data.takenOn, request.agreedOn) ? 'A device cannot be taken before the person agreed' : null
    },
    isvaVisible: false,
    summary: () => 'Device taken',
  }),
  define({
    type: 'record_extraction',
    version: 1,
    title: 'Record an extraction from a device',
    description:
      'How the data was extracted and the scope actually applied, which may be narrower than approved but never wider, and what was done with anything outside the scope.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed'], 'Request', 'device'),
      extractedOn: field.date({ label: 'Date extracted', name: 'the date it was extracted', notFuture: true }),
      method: field.choice({ label: 'Method', name: 'the method', options: EXTRACTION_METHODS }),
      scopeApplied: field.choice({ label: 'Scope applied', name: 'the scope applied', options: SCOPE_APPLIED }),
      scopeNote: optional(
        field.textarea({ label: 'If narrower, how', name: 'how the scope was narrower', maxLength: 5000 }),
      ),
      ...OUTSIDE_SCOPE_FIELDS,
    },
    refine: (data) => {
      const problems: Problem[] = []
      if (data.scopeApplied === 'narrower' && data.scopeNote === undefined)
        problems.push({ path: 'scopeNote', message: 'Enter how the scope was narrower' })
      return [...problems, outsideScopeProblem(data)].filter((p): p is Problem => p !== null)
    },
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => r.kind === 'device' && r.held && r.state === 'agreed',
        'The police hold no device on this case under an agreed scope',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'], 'device')
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      if (!request.held) return 'The police do not hold this device'
      return before(data.extractedOn, request.takenOn) ? 'It cannot be extracted before it was taken' : null
    },
    isvaVisible: false,
    summary: () => 'Data extracted from a device',
  }),
  define({
    type: 'record_device_returned',
    version: 1,
    title: 'Record a device returned',
    description:
      'The day the device went back to its owner. It stops the clock of days without the device; after a withdrawal or the end of the case it must still be returned.',
    from: [...WORKING_STAGES, 'finalised'],
    to: 'same',
    roles: POLICE,
    fields: {
      // Any request whose device the police hold, whatever its state (a new scope may be waiting for a decision).
      requestNumber: requestField(Object.keys(REQUEST_STATES) as RequestState[], 'Request', 'device'),
      returnedOn: field.date({ label: 'Date returned', name: 'the date it was returned', notFuture: true }),
      returnedTo: answeredBy('Returned to', 'who it was returned to'),
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.kind === 'device' && r.held, 'The police hold no device on this case'),
    guard: (facts, _actor, data) => {
      const request = requestOf(facts, data)
      if (!request) return 'Select a request on this case'
      if (!request.held) return 'The police do not hold a device for this request'
      return before(data.returnedOn, request.takenOn) ? 'It cannot be returned before it was taken' : null
    },
    isvaVisible: false,
    summary: () => 'Device returned',
  }),
  define({
    type: 'record_material_request_sent',
    version: 1,
    title: 'Record a request sent to the holder of records',
    description: 'The day the agreed request for third-party material was sent to whoever holds it.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed'], 'Request', 'third_party'),
      sentOn: field.date({ label: 'Date sent', name: 'the date it was sent', notFuture: true }),
    },
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => r.kind === 'third_party' && r.state === 'agreed' && r.holder === null,
        'No agreed request for records is waiting to be sent',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'], 'third_party')
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      if (request.holder !== null) return 'This request has already been sent'
      return before(data.sentOn, request.agreedOn) ? 'It cannot be sent before the person agreed' : null
    },
    isvaVisible: false,
    summary: () => 'Request for records sent to the holder',
  }),
  define({
    type: 'record_holder_response',
    version: 1,
    title: 'Record the holder’s response to a request for records',
    description: 'What the holder sent, and what was done with anything outside the scope.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed', 'withdrawn'], 'Request', 'third_party'),
      response: field.choice({ label: 'Response', name: 'the response', options: HOLDER_RESPONSES }),
      respondedOn: field.date({ label: 'Date of the response', name: 'the date of the response', notFuture: true }),
      ...OUTSIDE_SCOPE_FIELDS,
    },
    refine: outsideScopeProblem,
    precondition: (facts) =>
      someRequest(facts, (r) => r.holder === 'sent', 'No request for records is waiting for the holder’s response'),
    guard: (facts, _actor, data) => {
      const request = requestOf(facts, data)
      if (!request) return 'Select a request on this case'
      if (request.holder !== 'sent') return 'That request is not waiting for the holder’s response'
      return before(data.respondedOn, request.sentOn) ? 'The response cannot be before the request was sent' : null
    },
    isvaVisible: false,
    summary: (data) =>
      ({
        received: 'Records received from the holder',
        part: 'Part of the records received from the holder',
        declined: 'The holder declined to provide the records',
      })[String(data.response)] ?? 'Holder responded',
  }),
]

export const DIGITAL_EVENT_TYPES: ReadonlySet<string> = new Set(DIGITAL_EVENTS.map((d) => d.type))

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
