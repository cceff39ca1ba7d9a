import { type Actor, type CaseFacts, define, type EventDefinition } from '../../core/event-model'
import { type Fields, field, optional, ruleProblems, schemaOf } from '../../core/fields'
import type { Role } from '../../core/roles'
import { longDate } from '../victim-care/letters'
import { addMonths } from '../victim-care/vrr'

/**
 * The RASSO advocate panel (docs/sources.md, Product targets: module 6; seeds 000 and 002): in-house Crown Advocates and external counsel,
 * membership of the RASSO list with its accreditation date and the 12-month probation for new members, training with
 * expiry dates, times an advocate is not available, and conflicts with a case. Only an eligible advocate can be
 * instructed on a case; the instruction, a returned brief and the counsel report after trial are case events.
 */
export const ADVOCATE_KINDS = [
  { value: 'in_house', text: 'In-house (Crown Advocate)' },
  { value: 'external', text: 'External counsel' },
] as const

/** New members of the panel serve 12 months' probation before their specialist status is confirmed (seed 002, para 41). */
export const PROBATION_MONTHS = 12

/**
 * Training a RASSO advocate must hold in date to be instructed. The strategy (seed 000) makes RASSO training, including
 * trauma-informed advocacy and section 41, a requirement for the list; the course list is a Casebridge default.
 */
export const TRAINING_COURSES = [
  {
    value: 'rasso_core',
    text: 'RASSO advocacy: trauma-informed advocacy, myths and stereotypes, section 41',
    required: true,
  },
  { value: 'disclosure', text: 'Disclosure and proportionality in RASSO cases', required: false },
  {
    value: 'section_28',
    text: 'Pre-recorded cross-examination (section 28) and ground rules hearings',
    required: false,
  },
] as const
export const REQUIRED_TRAINING = TRAINING_COURSES.filter((c) => c.required).map((c) => c.value)

export const RETURNED_BRIEF_REASONS = [
  { value: 'diary_clash', text: 'Another trial overran or clashes in the advocate’s diary' },
  { value: 'hearing_moved', text: 'The court moved the hearing to a date the advocate cannot do' },
  { value: 'conflict', text: 'The advocate found a conflict of interest' },
  { value: 'illness', text: 'Illness or personal reasons' },
  { value: 'other', text: 'Another reason (explain below)' },
] as const

export const REPORT_RATINGS = [
  { value: 'exceeded', text: 'Exceeded the standard expected' },
  { value: 'met', text: 'Met the standard expected' },
  { value: 'below', text: 'Below the standard expected' },
] as const

type Problem = { path: string; message: string }

/** A form of the panel pages and API: its fields (which draw the page) and the schema that checks them. */
function form(fields: Fields, refine?: (data: Record<string, unknown>) => Problem[]) {
  const base = schemaOf(fields)
  const schema = refine
    ? base.superRefine(
        (data, ctx) => {
          for (const p of ruleProblems(fields, data, refine))
            ctx.addIssue({ code: 'custom', path: [p.path], message: p.message })
        },
        { when: () => true },
      )
    : base
  return { fields, schema }
}

const str = (v: unknown) => (typeof v === 'string' ? v : null)
const after = (later: string, earlier: string, message: string) => (data: Record<string, unknown>) => {
  const a = str(data[later])
  const b = str(data[earlier])
  return a !== null && b !== null && a < b ? [{ path: later, message }] : []
}

const membershipFields = {
  rassoPanel: field.boolean({ label: 'Is the advocate on the RASSO list?', name: 'the advocate is on the RASSO list' }),
  admittedOn: optional(
    field.date({
      label: 'Date they joined the RASSO list (accreditation date)',
      name: 'the accreditation date',
      hint: 'Their 12 months of probation run from this date',
    }),
  ),
  accreditationExpiresOn: optional(
    field.date({ label: 'Date their RASSO list membership must be renewed', name: 'the renewal date' }),
  ),
}
const membershipRules = (data: Record<string, unknown>) => [
  ...(data.rassoPanel === true && data.admittedOn === undefined
    ? [{ path: 'admittedOn', message: 'Enter the accreditation date' }]
    : []),
  ...after('accreditationExpiresOn', 'admittedOn', 'The renewal date must be after the accreditation date')(data),
]

export const ADVOCATE_FORMS = {
  advocate: form(
    {
      name: field.text({ label: 'Full name', name: 'the full name', maxLength: 200 }),
      kind: field.choice({
        label: 'In-house or external',
        name: 'whether in-house or external',
        options: ADVOCATE_KINDS,
      }),
      chambers: field.text({ label: 'Chambers or CPS unit', name: 'the chambers or CPS unit', maxLength: 200 }),
      ...membershipFields,
    },
    membershipRules,
  ),
  membership: form(
    {
      ...membershipFields,
      active: field.boolean({
        label: 'Is the advocate still on the panel?',
        name: 'the advocate is still on the panel',
      }),
      version: field.integer({ label: 'Version', name: 'the version you loaded', min: 1, max: 2_000_000_000 }),
    },
    membershipRules,
  ),
  training: form(
    {
      course: field.choice({ label: 'Course', name: 'the course', options: TRAINING_COURSES }),
      completedOn: field.date({ label: 'Date completed', name: 'the date completed', notFuture: true }),
      expiresOn: optional(field.date({ label: 'Date it expires, if it does', name: 'the expiry date' })),
    },
    after('expiresOn', 'completedOn', 'The expiry date must be after the date completed'),
  ),
  unavailability: form(
    {
      fromOn: field.date({ label: 'Not available from', name: 'the first day' }),
      toOn: field.date({ label: 'Not available until (inclusive)', name: 'the last day' }),
      reason: field.text({ label: 'Why (for example, another trial)', name: 'the reason', maxLength: 200 }),
    },
    after('toOn', 'fromOn', 'The last day must be on or after the first day'),
  ),
  conflict: form({
    urn: field.text({ label: 'URN of the case', name: 'the URN', maxLength: 20, width: 'short' }),
    reason: field.textarea({ label: 'The conflict', name: 'the conflict', maxLength: 2000 }),
  }),
}

export interface AdvocateForms {
  advocate: {
    name: string
    kind: 'in_house' | 'external'
    chambers: string
    rassoPanel: boolean
    admittedOn?: string
    accreditationExpiresOn?: string
  }
  membership: {
    rassoPanel: boolean
    admittedOn?: string
    accreditationExpiresOn?: string
    active: boolean
    version: number
  }
  training: { course: string; completedOn: string; expiresOn?: string }
  unavailability: { fromOn: string; toOn: string; reason: string }
  conflict: { urn: string; reason: string }
}
export type AdvocateForm<K extends keyof AdvocateForms> = AdvocateForms[K]

/** What the eligibility rules need to know about an advocate. */
export interface AdvocateRecord {
  id: string
  kind: string
  active: boolean
  rassoPanel: boolean
  admittedOn: string | null
  accreditationExpiresOn: string | null
  training: readonly { course: string; completedOn: string; expiresOn: string | null }[]
  unavailable: readonly { fromOn: string; toOn: string; reason: string }[]
  conflictCaseIds: readonly string[]
}

export interface Eligibility {
  eligible: boolean
  /** Why the advocate cannot be instructed. */
  reasons: string[]
  /** What the instructing prosecutor should know: expiring accreditation or training, probation, availability. */
  warnings: string[]
  probationEndsOn: string | null
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * Whether an advocate can be instructed on a case today: active, on the RASSO list with accreditation in date, the
 * required training in date, and no conflict with the case. Warnings for what expires within `warnDays`, for
 * probation, and for listed hearings the advocate is not available for.
 */
export function advocateEligibility(
  advocate: AdvocateRecord,
  today: string,
  options: { caseId?: string; hearingDates?: readonly string[]; warnDays: number },
): Eligibility {
  const reasons: string[] = []
  const warnings: string[] = []
  const soon = addDays(today, options.warnDays)
  if (!advocate.active) reasons.push('No longer on the panel')
  if (!advocate.rassoPanel || advocate.admittedOn === null) reasons.push('Not on the RASSO list')
  else if (advocate.admittedOn > today) reasons.push(`Joins the RASSO list on ${longDate(advocate.admittedOn)}`)
  if (advocate.accreditationExpiresOn !== null) {
    if (advocate.accreditationExpiresOn < today)
      reasons.push(`RASSO accreditation expired on ${longDate(advocate.accreditationExpiresOn)}`)
    else if (advocate.accreditationExpiresOn <= soon)
      warnings.push(`RASSO accreditation expires on ${longDate(advocate.accreditationExpiresOn)}`)
  }
  for (const course of REQUIRED_TRAINING) {
    const name = TRAINING_COURSES.find((c) => c.value === course)!.text
    const held = advocate.training
      .filter((t) => t.course === course && t.completedOn <= today)
      .sort((a, b) => (b.expiresOn ?? '9999').localeCompare(a.expiresOn ?? '9999'))[0]
    if (!held) reasons.push(`Required training not completed: ${name}`)
    else if (held.expiresOn !== null && held.expiresOn < today)
      reasons.push(`Required training expired on ${longDate(held.expiresOn)}: ${name}`)
    else if (held.expiresOn !== null && held.expiresOn <= soon)
      warnings.push(`Required training expires on ${longDate(held.expiresOn)}: ${name}`)
  }
  if (options.caseId && advocate.conflictCaseIds.includes(options.caseId))
    reasons.push('Has declared a conflict of interest with this case')
  const probationEndsOn = advocate.admittedOn ? addMonths(advocate.admittedOn, PROBATION_MONTHS) : null
  if (probationEndsOn && advocate.admittedOn! <= today && today < probationEndsOn)
    warnings.push(`On probation until ${longDate(probationEndsOn)}: a counsel report after trial is expected`)
  for (const date of options.hearingDates ?? []) {
    if (date >= today && advocate.unavailable.some((u) => u.fromOn <= date && date <= u.toOn))
      warnings.push(`Not available on ${longDate(date)}, when a hearing is listed`)
  }
  return { eligible: reasons.length === 0, reasons, warnings, probationEndsOn }
}

/**
 * Continuity of counsel (seed 002, para 43): the advocate who appeared at the plea and trial preparation hearing is the
 * one who appeared at the trial. Null until both have been held with an advocate instructed.
 */
export function continuityOfCounsel(hearings: readonly { type: string; status: string; advocateId: string | null }[]): {
  ptph: string | null
  trial: string | null
  continuous: boolean | null
} {
  const held = hearings.filter((h) => h.status === 'held' && h.advocateId !== null)
  const ptph = held.filter((h) => h.type === 'ptph').at(-1)?.advocateId ?? null
  const trial = held.find((h) => h.type === 'trial')?.advocateId ?? null
  return { ptph, trial, continuous: ptph && trial ? ptph === trial : null }
}

const PROSECUTORS: readonly Role[] = ['prosecutor', 'cps_unit_head']
const advocateField = field.advocate({ label: 'Advocate', name: 'the advocate' })

function theCurrentAdvocate(facts: CaseFacts): string | null {
  return facts.advocate.current
}

export const ADVOCATE_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'instruct_advocate',
    version: 1,
    title: 'Instruct an advocate',
    description:
      'Instruct a RASSO-panel advocate to prosecute the case. Only advocates who are eligible today are offered; the page warns of accreditation or training about to expire. Instructing a new advocate replaces the one instructed now, with the reason.',
    from: ['charged'],
    to: 'same',
    roles: PROSECUTORS,
    fields: {
      advocateId: advocateField,
      replacementReason: optional(
        field.textarea({
          label: 'If this replaces the advocate instructed now, why',
          name: 'why the advocate is replaced',
          maxLength: 2000,
        }),
      ),
    },
    guard: (facts: CaseFacts, _actor: Actor, data) => {
      const current = theCurrentAdvocate(facts)
      if (current === data.advocateId) return 'This advocate is already instructed on the case'
      if (current && data.replacementReason === undefined)
        return 'Another advocate is instructed: say why they are replaced'
      if (!current && data.replacementReason !== undefined)
        return 'No advocate is instructed now, so there is nobody to replace'
      return null
    },
    isvaVisible: false,
    summary: (data) => (data.replacementReason === undefined ? 'Advocate instructed' : 'Advocate replaced'),
  }),
  define({
    type: 'record_returned_brief',
    version: 1,
    title: 'Record a returned brief',
    description:
      'The instructed advocate returned the brief and can no longer prosecute the case. Record why, then instruct another advocate.',
    from: ['charged'],
    to: 'same',
    roles: PROSECUTORS,
    fields: {
      reason: field.choice({
        label: 'Why it was returned',
        name: 'why it was returned',
        options: RETURNED_BRIEF_REASONS,
      }),
      details: field.textarea({ label: 'Details', name: 'the details', maxLength: 2000 }),
      returnedOn: field.date({ label: 'Date it was returned', name: 'the date it was returned', notFuture: true }),
    },
    precondition: (facts) => (theCurrentAdvocate(facts) ? null : 'No advocate is instructed on this case'),
    isvaVisible: false,
    summary: () => 'Brief returned by the advocate',
  }),
  define({
    type: 'record_counsel_report',
    version: 1,
    title: 'Record a counsel report',
    description:
      'The standard report on the advocate’s work after a trial, used to monitor effectiveness, and to confirm specialist status at the end of probation.',
    from: ['charged', 'finalised'],
    to: 'same',
    roles: PROSECUTORS,
    fields: {
      advocateId: field.advocate({ label: 'Advocate', name: 'the advocate', instructed: true }),
      hearingNumber: field.hearing({ label: 'The trial', name: 'the trial' }),
      preparation: field.choice({
        label: 'Preparation and case analysis',
        name: 'the rating for preparation',
        options: REPORT_RATINGS,
      }),
      complainantCare: field.choice({
        label:
          'Care of the complainant: special measures used, trauma-informed questioning, myths and stereotypes challenged',
        name: 'the rating for care of the complainant',
        options: REPORT_RATINGS,
      }),
      section41: field.choice({
        label: 'Handling of any application about sexual history (section 41)',
        name: 'the rating for section 41',
        options: [...REPORT_RATINGS, { value: 'none', text: 'There was no such application' }],
      }),
      advocacy: field.choice({ label: 'Advocacy in court', name: 'the rating for advocacy', options: REPORT_RATINGS }),
      comments: field.textarea({ label: 'Comments and learning', name: 'the comments', maxLength: 5000 }),
    },
    precondition: (facts) =>
      facts.advocate.instructed.length === 0
        ? 'No advocate has been instructed on this case'
        : facts.hearings.some((h) => h.status === 'held' && h.type === 'trial')
          ? null
          : 'A counsel report follows a trial; no trial on this case has been held',
    guard: (facts, _actor, data) => {
      if (!facts.advocate.instructed.includes(String(data.advocateId)))
        return 'Select an advocate instructed on this case'
      const hearing = facts.hearings.find((h) => h.number === data.hearingNumber)
      return hearing?.type === 'trial' && hearing.status === 'held' ? null : 'Select a trial that was held'
    },
    isvaVisible: false,
    summary: () => 'Counsel report recorded',
  }),
]
