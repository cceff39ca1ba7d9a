import type { TaskKind } from '../../core/tasks'
import type { ClockRule } from '../../core/clocks'
import { type CaseFacts, define, type EventDefinition, POLICE } from '../../core/event-model'
import { field, optional } from '../../core/fields'
import { WORKING_STAGES } from '../../core/stages'

/**
 * Disclosure (docs/sources.md, Product targets: module 7; docs/sources.md section 9, CPIA 1996 and the MG6 series): the schedules of
 * non-sensitive (MG6C) and sensitive (MG6D) unused material and the disclosure officer's report (MG6E), each recorded
 * in versions with items numbered consecutively and each version signed off; the prosecutor's decision on each item;
 * the Disclosure Management Document (CPS) and the investigation management document (police), in versions; what was
 * served and when; and the clocks after a plea of not guilty.
 */
export const SCHEDULES = [
  { value: 'mg6c', text: 'Non-sensitive unused material (MG6C)', letter: 'C' },
  { value: 'mg6d', text: 'Sensitive unused material (MG6D)', letter: 'D' },
  { value: 'mg6e', text: 'Disclosure officer’s report (MG6E)', letter: 'E' },
] as const
export type Schedule = (typeof SCHEDULES)[number]['value']
export const scheduleOf = (value: unknown) => SCHEDULES.find((s) => s.value === value)
/** An item is named by its schedule's letter and its number: C3 is item 3 of the non-sensitive schedule. */
export const itemRef = (schedule: Schedule, number: number) => `${scheduleOf(schedule)!.letter}${number}`
export function parseItemRef(ref: unknown): { schedule: Schedule; number: number } | null {
  const match = typeof ref === 'string' ? /^([CDE])([1-9]\d{0,3})$/.exec(ref) : null
  const schedule = match ? SCHEDULES.find((s) => s.letter === match[1]) : undefined
  return schedule ? { schedule: schedule.value, number: Number(match![2]) } : null
}

export const ITEM_DECISIONS = [
  { value: 'disclose', text: 'Meets the test for disclosure: disclose it to the defence' },
  { value: 'not_disclosable', text: 'Does not meet the test for disclosure' },
  {
    value: 'withhold_pii',
    text: 'Sensitive and meets the test: withhold, and apply to the court (public interest immunity)',
  },
  { value: 'more_information', text: 'More information is needed from the disclosure officer' },
] as const
export const SERVICE_STAGES = [
  { value: 'initial', text: 'Initial disclosure (with the non-sensitive schedule)' },
  { value: 'continuing', text: 'Continuing disclosure (after reviewing the defence statement)' },
] as const

declare module '../../core/event-model' {
  interface CaseFacts {
    /** Disclosure schedules' versions and items, and what has been served. */
    disclosure: DisclosureFacts
  }
}

export interface DisclosureFacts {
  versions: readonly { schedule: Schedule; version: number; preparedBy: string; signedOff: boolean }[]
  items: readonly {
    schedule: Schedule
    number: number
    /** The item is in a version that has been signed off, so the prosecutor may decide it. */
    signedOff: boolean
    decision: string | null
    served: boolean
  }[]
  served: readonly ('initial' | 'continuing')[]
  defenceStatement: boolean
}

type Problem = { path: string; message: string }

const scheduleField = field.choice({ label: 'Schedule', name: 'the schedule', options: SCHEDULES })
/** The latest version of a schedule on the case, if any. */
export const latestVersion = (facts: Pick<CaseFacts, 'disclosure'>, schedule: unknown) =>
  facts.disclosure.versions
    .filter((v) => v.schedule === schedule)
    .reduce<DisclosureFacts['versions'][number] | undefined>((a, b) => (!a || b.version > a.version ? b : a), undefined)

const itemsField = optional(
  field.list({
    label: 'New items',
    name: 'the items',
    itemLabel: 'Item',
    min: 0,
    max: 50,
    slots: 5,
    item: {
      description: field.textarea({
        label: 'Description',
        name: 'the description',
        hint: 'Enough for the prosecutor to decide on it without seeing it, for example “Notes of the first account to PC 1234”.',
        maxLength: 2000,
      }),
      reason: optional(
        field.textarea({
          label: 'Why it is sensitive, or why it might undermine the prosecution or assist the defence (MG6D and MG6E)',
          name: 'the reason',
          maxLength: 2000,
        }),
      ),
    },
  }),
)

/** What each schedule asks of its items: a sensitive item says why; a report item says how it might undermine. */
function itemProblems(data: Record<string, unknown>): Problem[] {
  const items = Array.isArray(data.items) ? (data.items as Record<string, unknown>[]) : []
  const problems: Problem[] = []
  if (data.nil === true && items.length > 0)
    problems.push({ path: 'nil', message: 'A schedule endorsed nil has no items: remove them or answer no' })
  const amendments = Array.isArray(data.amendments) ? (data.amendments as Record<string, unknown>[]) : []
  if (data.nil === true && amendments.length > 0)
    problems.push({ path: 'nil', message: 'A schedule endorsed nil has no items to amend: answer no' })
  if (data.nil !== true && items.length === 0 && amendments.length === 0 && data.schedule !== undefined)
    problems.push({ path: 'items', message: 'Add at least one item or amendment, or endorse the schedule nil' })
  // An amendment to a sensitive item or a report item keeps its reason.
  amendments.forEach((a, i) => {
    const ref = parseItemRef(a.itemRef)
    if (ref && ref.schedule !== 'mg6c' && a.reason === undefined)
      problems.push({ path: `amendments.${i}.reason`, message: 'Enter the reason' })
  })
  if (data.schedule === 'mg6d' || data.schedule === 'mg6e')
    items.forEach((item, i) => {
      if (item.reason === undefined)
        problems.push({
          path: `items.${i}.reason`,
          message:
            data.schedule === 'mg6d'
              ? 'Enter why the item is sensitive'
              : 'Enter why it might undermine the prosecution or assist the defence',
        })
    })
  return problems
}

const clockSource = 'Casebridge default: no national period was found in the sources; set locally (Clock periods)'

export const DISCLOSURE_CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'schedule_sign_off',
    name: 'Sign-off of a disclosure schedule version',
    source: clockSource,
    startsOn: ['record_schedule_version'],
    keyField: 'schedule',
    due: { unit: 'working', days: 5, configurable: true },
    metBy: ['sign_off_schedule'],
    cancelledBy: [],
  },
  {
    id: 'disclosure_initial',
    name: 'Initial disclosure after a not guilty plea',
    source:
      'Casebridge default: the court usually sets the date at the plea and trial preparation hearing (record it as a judge’s direction too); 28 days from the first not guilty plea unless set locally',
    startsOn: ['record_plea'],
    startsWhen: (data) => data.plea === 'not_guilty',
    firstOnly: true,
    due: { unit: 'calendar', days: 28, configurable: true },
    metBy: ['record_disclosure_served'],
    metWhen: { record_disclosure_served: (data) => data.stage === 'initial' },
    metOnFields: ['servedOn'],
    cancelledBy: [],
  },
  {
    id: 'defence_statement',
    name: 'Defence statement after initial disclosure',
    source:
      'Casebridge default: 28 days from initial disclosure (the time limit recalled from the CPIA regulations; not verified in the sources, so set locally)',
    startsOn: ['record_disclosure_served'],
    startsWhen: (data) => data.stage === 'initial',
    fromField: 'servedOn',
    firstOnly: true,
    due: { unit: 'calendar', days: 28, configurable: true },
    metBy: ['record_defence_statement'],
    metOnFields: ['receivedOn'],
    cancelledBy: [],
  },
  {
    id: 'continuing_disclosure',
    name: 'Continuing disclosure after the defence statement',
    source: clockSource,
    startsOn: ['record_defence_statement'],
    fromField: 'receivedOn',
    due: { unit: 'calendar', days: 14, configurable: true },
    metBy: ['record_disclosure_served'],
    metWhen: { record_disclosure_served: (data) => data.stage === 'continuing' },
    metOnFields: ['servedOn'],
    cancelledBy: [],
  },
]

const documentFields = {
  linesOfEnquiry: field.textarea({
    label: 'Reasonable lines of enquiry',
    name: 'the lines of enquiry',
    hint: 'Those pursued, towards or away from the suspect, and those not pursued and why.',
    maxLength: 10000,
  }),
  digitalStrategy: field.textarea({
    label: 'Digital material: how it was identified, scoped and reviewed',
    name: 'the digital strategy',
    maxLength: 10000,
  }),
  thirdParty: field.textarea({
    label: 'Third-party material: what was sought and why',
    name: 'the approach to third-party material',
    maxLength: 10000,
  }),
  changes: optional(
    field.textarea({ label: 'What changed in this version (optional)', name: 'what changed', maxLength: 2000 }),
  ),
}

export const DISCLOSURE_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'record_schedule_version',
    version: 1,
    title: 'Record a new version of a disclosure schedule',
    description:
      'The disclosure officer lists relevant unused material: items described and numbered consecutively, the sensitive schedule saying why each item is sensitive, and the report (MG6E) naming material that might undermine the prosecution or assist the defence. Each version is signed off by a supervisor before the prosecutor reviews it. Endorse a schedule nil if there is nothing to list.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      schedule: scheduleField,
      nil: optional(
        field.boolean({ label: 'Endorse the schedule nil (nothing to list)?', name: 'the schedule is nil' }),
      ),
      items: itemsField,
      amendments: optional(
        field.list({
          label: 'Amendments to items already listed',
          name: 'the amendments',
          itemLabel: 'Amendment',
          min: 0,
          max: 20,
          slots: 2,
          item: {
            itemRef: field.disclosureItem({ label: 'Item', name: 'the item' }),
            description: field.textarea({ label: 'New description', name: 'the new description', maxLength: 2000 }),
            reason: optional(
              field.textarea({
                label: 'New reason (MG6D and MG6E)',
                name: 'the new reason',
                maxLength: 2000,
              }),
            ),
            why: field.textarea({ label: 'Why it is amended', name: 'why it is amended', maxLength: 2000 }),
          },
        }),
      ),
    },
    refine: itemProblems,
    guard: (facts, _actor, data) => {
      const latest = latestVersion(facts, data.schedule)
      if (data.nil === true && facts.disclosure.items.some((i) => i.schedule === data.schedule))
        return 'This schedule already lists items: it cannot be endorsed nil'
      for (const a of (data.amendments ?? []) as Record<string, unknown>[]) {
        const ref = parseItemRef(a.itemRef)
        if (
          !ref ||
          ref.schedule !== data.schedule ||
          !facts.disclosure.items.some((i) => i.schedule === ref.schedule && i.number === ref.number)
        )
          return `Item ${String(a.itemRef)} is not on this schedule`
      }
      return latest && !latest.signedOff
        ? `Version ${latest.version} of this schedule is waiting for sign-off: sign it off before recording another`
        : null
    },
    isvaVisible: false,
    summary: (data) => {
      const n = Array.isArray(data.items) ? data.items.length : 0
      const a = Array.isArray(data.amendments) ? data.amendments.length : 0
      const name = scheduleOf(data.schedule)?.text ?? 'Disclosure schedule'
      if (data.nil === true) return `${name}: endorsed nil`
      return `${name}: new version, ${n} new ${n === 1 ? 'item' : 'items'}${a ? `, ${a} amended` : ''}`
    },
  }),
  define({
    type: 'sign_off_schedule',
    version: 1,
    title: 'Sign off a disclosure schedule version',
    description:
      'A supervisor who did not prepare the version checks that the schedule is complete, each item is described well enough for the prosecutor to decide on it, and sensitive material is on the right schedule.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['police_supervisor'],
    fields: {
      schedule: scheduleField,
      note: optional(field.textarea({ label: 'Note (optional)', name: 'the note', maxLength: 2000 })),
    },
    precondition: (facts) =>
      facts.disclosure.versions.some((v) => !v.signedOff) ? null : 'No schedule version is waiting for sign-off',
    guard: (facts, actor, data) => {
      const latest = latestVersion(facts, data.schedule)
      if (!latest || latest.signedOff) return 'That schedule has no version waiting for sign-off'
      return latest.preparedBy === actor.id ? 'You prepared this version: another supervisor must sign it off' : null
    },
    isvaVisible: false,
    summary: (data) => `${scheduleOf(data.schedule)?.text ?? 'Disclosure schedule'}: version signed off`,
  }),
  define({
    type: 'review_disclosure_items',
    version: 1,
    title: 'Decide on disclosure schedule items',
    description:
      'The prosecutor’s decision on each item of a signed-off schedule: whether it meets the test for disclosure (it might reasonably be considered capable of undermining the prosecution case or assisting the defence), with the reason.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      decisions: field.list({
        label: 'Decisions',
        name: 'the decisions',
        itemLabel: 'Decision',
        min: 1,
        max: 50,
        slots: 5,
        item: {
          itemRef: field.disclosureItem({ label: 'Item', name: 'the item' }),
          decision: field.choice({ label: 'Decision', name: 'the decision', options: ITEM_DECISIONS }),
          reason: field.textarea({ label: 'Reason', name: 'the reason', maxLength: 2000 }),
        },
      }),
    },
    refine: (data) => {
      if (!Array.isArray(data.decisions)) return null
      const seen = new Set<unknown>()
      const problems: Problem[] = []
      ;(data.decisions as Record<string, unknown>[]).forEach((d, i) => {
        if (seen.has(d.itemRef)) problems.push({ path: `decisions.${i}.itemRef`, message: 'Decide each item once' })
        seen.add(d.itemRef)
      })
      return problems
    },
    precondition: (facts) =>
      facts.disclosure.items.some((i) => i.signedOff) ? null : 'No signed-off schedule on this case lists an item yet',
    guard: (facts, _actor, data) => {
      for (const d of data.decisions as Record<string, unknown>[]) {
        const ref = parseItemRef(d.itemRef)
        const item = ref && facts.disclosure.items.find((i) => i.schedule === ref.schedule && i.number === ref.number)
        if (!item) return `Item ${String(d.itemRef)} is not on this case’s schedules`
        if (!item.signedOff) return `Item ${String(d.itemRef)} is in a version not yet signed off`
        if (d.decision === 'withhold_pii' && ref.schedule === 'mg6c')
          return `Item ${String(d.itemRef)} is on the non-sensitive schedule: it cannot be withheld as sensitive`
      }
      return null
    },
    isvaVisible: false,
    summary: (data) => {
      const n = Array.isArray(data.decisions) ? data.decisions.length : 0
      return `Prosecutor decided on ${n} disclosure ${n === 1 ? 'item' : 'items'}`
    },
  }),
  define({
    type: 'record_imd',
    version: 1,
    title: 'Record the investigation management document',
    description:
      'The police’s record of the investigation strategy, the reasonable lines of enquiry and the digital strategy, supporting the Disclosure Management Document. Each record is a new version.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: documentFields,
    isvaVisible: false,
    summary: () => 'Investigation management document recorded',
  }),
  define({
    type: 'record_dmd',
    version: 1,
    title: 'Record the Disclosure Management Document',
    description:
      'The prosecution’s approach to disclosure for the defence and the court, used in every RASSO case: the lines of enquiry, how digital material was handled, and third-party material. Each record is a new version.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['prosecutor'],
    fields: documentFields,
    isvaVisible: false,
    summary: () => 'Disclosure Management Document recorded',
  }),
  define({
    type: 'record_disclosure_served',
    version: 1,
    title: 'Record disclosure served on the defence',
    description:
      'Serving initial disclosure (the signed-off non-sensitive schedule and the items that meet the test) or continuing disclosure after the defence statement. Every item decided as disclosable and not yet served is served with it.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      stage: field.choice({ label: 'Stage', name: 'the stage', options: SERVICE_STAGES }),
      servedOn: field.date({ label: 'Date served', name: 'the date served', notFuture: true }),
      note: optional(field.textarea({ label: 'Note (optional)', name: 'the note', maxLength: 2000 })),
    },
    precondition: (facts) =>
      facts.disclosure.versions.some((v) => v.schedule === 'mg6c' && v.signedOff)
        ? null
        : 'The non-sensitive schedule has no signed-off version to serve yet',
    guard: (facts, _actor, data) => {
      if (data.stage === 'initial' && facts.disclosure.served.includes('initial'))
        return 'Initial disclosure has already been served: record continuing disclosure'
      if (data.stage === 'continuing' && !facts.disclosure.served.includes('initial'))
        return 'Serve initial disclosure first'
      return null
    },
    isvaVisible: false,
    summary: (data) => (data.stage === 'continuing' ? 'Continuing disclosure served' : 'Initial disclosure served'),
  }),
  define({
    type: 'record_defence_statement',
    version: 1,
    title: 'Record the defence statement received',
    description:
      'The defence statement starts the prosecutor’s review for continuing disclosure: anything it makes disclosable is served.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      receivedOn: field.date({ label: 'Date received', name: 'the date received', notFuture: true }),
      issues: optional(
        field.textarea({ label: 'Issues it raises for disclosure (optional)', name: 'the issues', maxLength: 5000 }),
      ),
    },
    precondition: (facts) =>
      !facts.disclosure.served.includes('initial')
        ? 'Initial disclosure has not been served yet'
        : facts.disclosure.defenceStatement
          ? 'The defence statement is already recorded'
          : null,
    isvaVisible: false,
    summary: () => 'Defence statement received',
  }),
]

export const DISCLOSURE_EVENT_TYPES: ReadonlySet<string> = new Set(DISCLOSURE_EVENTS.map((d) => d.type))

/** Disclosure: signing off schedules, serving initial and continuing disclosure. */
export const DISCLOSURE_TASK_KINDS: Readonly<Record<string, TaskKind>> = {
  schedule_sign_off: {
    label: 'Sign off a disclosure schedule',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'schedule_sign_off' },
    whileClocksRun: true,
  },
  initial_disclosure: {
    label: 'Serve initial disclosure',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'disclosure_initial' },
    whileClocksRun: true,
  },
  continuing_disclosure: {
    label: 'Review the defence statement and serve continuing disclosure',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'continuing_disclosure' },
    whileClocksRun: true,
  },
}
