import { type Actor, type CaseFacts, define, type EventDefinition, type VictimFacts } from '../../core/event-model'
import { field, optional } from '../../core/fields'
import type { Role } from '../../core/roles'
import { OPEN_STAGES, STAGES } from '../../core/stages'
import { LETTER_TEMPLATES, letterTemplate } from './letters'
import { TOLD_ABOUT_OPTIONS } from './victims-code'

/**
 * Victim care (docs/sources.md, Product targets: module 5): contact with each complainant, their preferences and needs, referral to an
 * ISVA, special measures and withdrawal of support. Every event names one complainant; the Victims' Code clocks in
 * victims-code.ts are met by these events. Nothing here records a contact detail: safe contact details are kept
 * apart from the timeline, on the restricted page of the victim care module.
 */

/** Victim care goes on through every stage, including after the case is finalised (a review, an update). */
const ANY_STAGE = STAGES

/** Who keeps in touch with a complainant: the officer and their supervisor before charge, witness care after. */
export const CONTACT_ROLES: readonly Role[] = ['investigator', 'police_supervisor', 'witness_care']
const CASE_AND_CARE: readonly Role[] = [...CONTACT_ROLES, 'prosecutor', 'cps_unit_head']

export const CONTACT_CHANNELS = [
  { value: 'phone', text: 'Phone' },
  { value: 'in_person', text: 'In person' },
  { value: 'video', text: 'Video call' },
  { value: 'email', text: 'Email' },
  { value: 'letter', text: 'Letter' },
  { value: 'text_message', text: 'Text message' },
  { value: 'via_isva', text: 'Through their ISVA' },
] as const

const complainant = field.person({ label: 'Complainant', name: 'the complainant', role: 'complainant' })

/** The complainant named must be a complainant on this case. */
export function aComplainant(facts: CaseFacts, _actor: Actor, data: Record<string, unknown>): string | null {
  const person = facts.people.find((p) => p.id === data.complainantId)
  return person?.role === 'complainant' ? null : 'Select a complainant on this case'
}

const text = (label: string, name: string, hint?: string, maxLength = 5000) =>
  optional(field.textarea({ label: `${label} (optional)`, name, hint, maxLength }))

export const LETTER_CHANNELS = [
  { value: 'email', text: 'By email, to their safe email address' },
  { value: 'post', text: 'Printed and posted to their safe address' },
] as const

export const SUPPORT_SERVICES = [
  { value: 'isva', text: 'Independent sexual violence adviser (ISVA) service' },
  { value: 'sarc', text: 'Sexual assault referral centre (SARC)' },
  { value: 'victim_support', text: 'Local victim support service' },
  { value: 'other', text: 'Another specialist service' },
] as const

export const NEEDS = [
  { value: 'interpreter', text: 'An interpreter' },
  { value: 'intermediary', text: 'A registered intermediary' },
  { value: 'disability', text: 'Adjustments for a disability' },
  { value: 'mental_health', text: 'Mental health support' },
  { value: 'safeguarding', text: 'Safeguarding or safety planning' },
  { value: 'caring', text: 'Childcare or caring responsibilities' },
  { value: 'travel', text: 'Help to travel to interviews or court' },
  { value: 'none', text: 'No additional needs identified' },
] as const

export const SPECIAL_MEASURES = [
  { value: 's23', text: 'Screens (section 23)' },
  { value: 's24', text: 'Live link (section 24)' },
  { value: 's25', text: 'Evidence in private, clearing the public gallery (section 25(4)(a))' },
  { value: 's26', text: 'Removal of wigs and gowns (section 26)' },
  { value: 's27', text: 'Video-recorded evidence in chief (section 27)' },
  { value: 's28', text: 'Pre-recorded cross-examination (section 28)' },
  { value: 's29', text: 'Examination through an intermediary (section 29)' },
  { value: 's30', text: 'Aids to communication (section 30)' },
] as const

/** Measures open only to section 16 (vulnerable) witnesses, not to those eligible as intimidated only. */
const VULNERABLE_ONLY = ['s29', 's30']

export const WITHDRAWAL_REASONS = [
  { value: 'process', text: 'The investigation or court process is too much' },
  { value: 'delay', text: 'Delay' },
  { value: 'fear', text: 'Fear of the suspect or of reprisals' },
  { value: 'digital', text: 'Requests for their phone or other records' },
  { value: 'not_believed', text: 'Feeling disbelieved or not kept informed' },
  { value: 'relationship', text: 'Relationship with the suspect' },
  { value: 'moved_on', text: 'Wants to move on' },
  { value: 'health', text: 'Health or wellbeing' },
  { value: 'other', text: 'Another reason' },
] as const

const choiceText = (options: readonly { value: string; text: string }[], value: unknown) =>
  optionText(options, value) || 'not recorded'

export const VICTIM_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'record_victim_contact',
    version: 1,
    title: 'Record contact with a complainant',
    description:
      'Record a contact with a complainant: how, when and what was said. Tick what the contact told them about; each ticked entitlement is met for them.',
    from: ANY_STAGE,
    to: 'same',
    // The CPS tells a complainant itself of a decision to drop or alter a charge (Victims' Code, Right 6).
    roles: [...CONTACT_ROLES, 'prosecutor'],
    fields: {
      complainantId: complainant,
      contactedOn: field.date({ label: 'Date of the contact', name: 'the date of the contact', notFuture: true }),
      channel: field.choice({ label: 'How', name: 'how the contact was made', options: CONTACT_CHANNELS }),
      direction: field.choice({
        label: 'Who made contact',
        name: 'who made contact',
        options: [
          { value: 'to_victim', text: 'We contacted them' },
          { value: 'from_victim', text: 'They contacted us' },
        ],
      }),
      summary: field.textarea({
        label: 'Summary',
        name: 'the summary',
        hint: 'What was said and agreed. Do not record the complainant’s contact details here.',
        maxLength: 5000,
      }),
      entitlements: optional(
        field.choices({
          label: 'What the complainant was told about (optional)',
          name: 'what the complainant was told about',
          options: TOLD_ABOUT_OPTIONS,
        }),
      ),
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: (data) => `Contact with a complainant (${choiceText(CONTACT_CHANNELS, data.channel).toLowerCase()})`,
  }),
  define({
    type: 'set_contact_preferences',
    version: 1,
    title: 'Record contact preferences',
    description:
      'How and when the complainant wants to hear from us, agreed with them. The latest record replaces the one before. Their safe contact details are kept on the restricted contact details page, not here.',
    from: ANY_STAGE,
    to: 'same',
    roles: CONTACT_ROLES,
    fields: {
      complainantId: complainant,
      channels: field.choices({
        label: 'How they want to be contacted',
        name: 'how they want to be contacted',
        options: CONTACT_CHANNELS,
      }),
      avoid: optional(
        field.choices({
          label: 'Ways never to contact them (optional)',
          name: 'the ways never to contact them',
          hint: 'For example, no letters to a shared address',
          options: CONTACT_CHANNELS,
        }),
      ),
      times: optional(
        field.text({
          label: 'Best times (optional)',
          name: 'the best times',
          hint: 'For example, weekdays after 6pm',
          maxLength: 200,
        }),
      ),
      frequency: field.choice({
        label: 'How often they want an update',
        name: 'how often they want an update',
        options: [
          { value: 'weekly', text: 'Every week' },
          { value: 'fortnightly', text: 'Every 2 weeks' },
          { value: 'monthly', text: 'Every month' },
          { value: 'key_stages', text: 'Only when something happens' },
        ],
      }),
      language: optional(
        field.text({ label: 'Preferred language (optional)', name: 'the preferred language', maxLength: 100 }),
      ),
      interpreter: field.boolean({ label: 'Do they need an interpreter?', name: 'they need an interpreter' }),
      intermediary: field.boolean({
        label: 'Do they need a registered intermediary?',
        name: 'they need a registered intermediary',
      }),
      interviewerGender: field.choice({
        label: 'Gender of the officer who interviews them',
        name: 'the gender of the interviewing officer',
        hint: 'Victims of sexual offences can ask for an interviewer of the gender they choose (Victims’ Code, Right 2)',
        options: [
          { value: 'no_preference', text: 'No preference' },
          { value: 'female', text: 'Female' },
          { value: 'male', text: 'Male' },
        ],
      }),
      notes: text('Anything else', 'the notes'),
    },
    refine: (data) => {
      const both = [data.channels ?? []].flat().filter((c) => [data.avoid ?? []].flat().includes(c))
      return both.length > 0
        ? { path: 'avoid', message: 'A way to contact them cannot also be a way never to contact them' }
        : null
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: () => 'Contact preferences recorded',
  }),
  define({
    type: 'record_needs_assessment',
    version: 1,
    title: 'Record a needs assessment',
    description:
      'Every victim is entitled to a needs assessment, reassessed when their needs change (Victims’ Code). Enhanced rights apply to every complainant of a sexual offence.',
    from: ANY_STAGE,
    to: 'same',
    roles: CONTACT_ROLES,
    fields: {
      complainantId: complainant,
      assessedOn: field.date({ label: 'Date of the assessment', name: 'the date of the assessment', notFuture: true }),
      needs: field.choices({ label: 'Needs identified', name: 'the needs identified', options: NEEDS }),
      details: text('How each need will be met', 'how each need will be met'),
    },
    refine: (data) =>
      Array.isArray(data.needs) && data.needs.includes('none') && data.needs.length > 1
        ? { path: 'needs', message: 'Select “No additional needs identified” on its own, or the needs identified' }
        : null,
    guard: aComplainant,
    isvaVisible: true,
    summary: () => 'Needs assessed',
  }),
  define({
    type: 'refer_to_support',
    version: 1,
    title: 'Refer to a support service',
    description:
      'Refer the complainant to a support service, such as an ISVA, within 2 working days of the report (Victims’ Code, Right 4). A referral needs their consent; if they decline, record the contact instead.',
    from: ANY_STAGE,
    to: 'same',
    roles: CONTACT_ROLES,
    fields: {
      complainantId: complainant,
      service: field.choice({ label: 'Service', name: 'the service', options: SUPPORT_SERVICES }),
      referredOn: field.date({ label: 'Date of the referral', name: 'the date of the referral', notFuture: true }),
      consent: field.boolean({
        label: 'Has the complainant agreed to the referral?',
        name: 'the complainant agreed to the referral',
      }),
      details: text('Anything the service should know', 'what the service should know'),
    },
    refine: (data) =>
      data.consent === false
        ? {
            path: 'consent',
            message:
              'A referral needs the complainant’s agreement. If they declined, record a contact saying so instead',
          }
        : null,
    guard: aComplainant,
    isvaVisible: true,
    summary: (data) => `Referred to ${choiceText(SUPPORT_SERVICES, data.service).replace(/ \(ISVA\) service$/, '')}`,
  }),
  define({
    type: 'assign_isva',
    version: 1,
    title: 'Assign an ISVA',
    description:
      'Give the complainant’s ISVA access to this case. They see the victim care side only: the stage, what comes next, dates, special measures and contacts, never evidence or the suspect’s details.',
    from: ANY_STAGE,
    to: 'same',
    roles: CONTACT_ROLES,
    fields: {
      complainantId: complainant,
      isvaId: field.user({ label: 'ISVA', name: 'the ISVA', role: 'isva' }),
    },
    guard: (facts, actor, data) => {
      const problem = aComplainant(facts, actor, data)
      if (problem) return problem
      return facts.victims.isvaReferrals.includes(String(data.complainantId))
        ? null
        : 'Refer the complainant to an ISVA service, with their agreement, before assigning an ISVA'
    },
    isvaVisible: true,
    summary: () => 'ISVA assigned',
  }),
  define({
    type: 'end_isva_assignment',
    version: 1,
    title: 'End an ISVA’s access',
    description: 'The ISVA no longer supports the complainant on this case and loses access to it.',
    from: ANY_STAGE,
    to: 'same',
    roles: CONTACT_ROLES,
    fields: {
      isvaId: field.user({ label: 'ISVA', name: 'the ISVA', role: 'isva', assigned: true }),
      reason: field.textarea({ label: 'Reason', name: 'the reason', maxLength: 1000 }),
    },
    guard: (facts, _actor, data) =>
      facts.victims.isvas.some((i) => i.userId === data.isvaId) ? null : 'Select an ISVA assigned to this case',
    precondition: (facts) => (facts.victims.isvas.length > 0 ? null : 'No ISVA is assigned to this case'),
    isvaVisible: true,
    summary: () => 'ISVA’s access ended',
  }),
  define({
    type: 'record_isva_note',
    version: 1,
    title: 'Record a liaison note or concern',
    description:
      'A note from the ISVA that the police and CPS see on the case: what the complainant has asked or raised, or a concern about how the case is being handled.',
    from: ANY_STAGE,
    to: 'same',
    roles: ['isva'],
    isvaMayRecord: true,
    fields: {
      complainantId: complainant,
      kind: field.choice({
        label: 'Type of note',
        name: 'the type of note',
        options: [
          { value: 'liaison', text: 'Liaison note' },
          { value: 'concern', text: 'Concern for the case team to answer' },
        ],
      }),
      note: field.textarea({ label: 'Note', name: 'the note', maxLength: 5000 }),
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: (data) => (data.kind === 'concern' ? 'ISVA raised a concern' : 'ISVA liaison note'),
  }),
  define({
    type: 'record_special_measures',
    version: 1,
    title: 'Record special measures eligibility and wishes',
    description:
      'A complainant of a sexual offence is eligible for special measures automatically (section 17(4)) unless they tell the court they do not want to be. Discuss each measure with them.',
    from: ANY_STAGE,
    to: 'same',
    roles: CASE_AND_CARE,
    fields: {
      complainantId: complainant,
      eligibility: field.choices({
        label: 'Eligible because',
        name: 'why they are eligible',
        options: [
          { value: 's17_4', text: 'Complainant of a sexual offence (section 17(4), automatic)' },
          { value: 's16', text: 'Vulnerable: under 18, or their evidence may be affected by a disorder (section 16)' },
          { value: 's17', text: 'Intimidated: fear or distress about giving evidence (section 17)' },
        ],
      }),
      optedOut: field.boolean({
        label: 'Have they said they do not want to be eligible?',
        name: 'they opted out',
      }),
      measures: optional(
        field.choices({
          label: 'Measures they want (optional)',
          name: 'the measures they want',
          hint: 'Ask about pre-recorded cross-examination (section 28), and about clearing the public gallery while they give evidence (section 25(4)(a)): it is available in every sexual offence case and under-used',
          options: SPECIAL_MEASURES,
        }),
      ),
      notes: text('Notes', 'the notes'),
    },
    refine: (data) => {
      const measures = [data.measures ?? []].flat()
      const eligibility = [data.eligibility ?? []].flat()
      if (data.optedOut === true && measures.length > 0)
        return { path: 'measures', message: 'Leave the measures empty when they have opted out' }
      if (measures.some((m) => VULNERABLE_ONLY.includes(String(m))) && !eligibility.includes('s16'))
        return {
          path: 'measures',
          message: 'An intermediary and aids to communication are for vulnerable witnesses (section 16) only',
        }
      return null
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: (data) => (data.optedOut ? 'Special measures: opted out' : 'Special measures eligibility recorded'),
  }),
  define({
    type: 'apply_special_measures',
    version: 1,
    title: 'Record a special measures application',
    description: 'The application to the court for special measures for a complainant.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      complainantId: complainant,
      appliedOn: field.date({ label: 'Date of the application', name: 'the date of the application', notFuture: true }),
      measures: field.choices({
        label: 'Measures applied for',
        name: 'the measures applied for',
        options: SPECIAL_MEASURES,
      }),
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: () => 'Special measures applied for',
  }),
  define({
    type: 'record_special_measures_ruling',
    version: 1,
    title: 'Record the court’s special measures ruling',
    description: 'What the court granted and refused. The complainant is told of the outcome (Victims’ Code, Right 8).',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor', 'witness_care'],
    fields: {
      complainantId: complainant,
      decidedOn: field.date({ label: 'Date of the ruling', name: 'the date of the ruling', notFuture: true }),
      granted: optional(
        field.choices({ label: 'Granted (optional)', name: 'the measures granted', options: SPECIAL_MEASURES }),
      ),
      refused: optional(
        field.choices({ label: 'Refused (optional)', name: 'the measures refused', options: SPECIAL_MEASURES }),
      ),
    },
    refine: (data) => {
      const granted = [data.granted ?? []].flat()
      const refused = [data.refused ?? []].flat()
      if (granted.length + refused.length === 0)
        return { path: 'granted', message: 'Select the measures granted or the measures refused' }
      return granted.some((m) => refused.includes(m))
        ? { path: 'refused', message: 'A measure cannot be both granted and refused' }
        : null
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: () => 'Special measures ruling recorded',
  }),
  define({
    type: 'record_special_measures_meeting',
    version: 1,
    title: 'Record a special measures meeting',
    description:
      'The meeting between the complainant and the prosecutor about special measures and what to expect at court: offered, held or declined.',
    from: ['awaiting_charging_decision', 'action_plan', 'charged'],
    to: 'same',
    roles: ['prosecutor', 'witness_care'],
    fields: {
      complainantId: complainant,
      status: field.choice({
        label: 'What happened',
        name: 'what happened',
        options: [
          { value: 'offered', text: 'Offered' },
          { value: 'held', text: 'Held' },
          { value: 'declined', text: 'Declined by the complainant' },
        ],
      }),
      on: field.date({ label: 'Date', name: 'the date', notFuture: true }),
      notes: text('Notes', 'the notes'),
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: (data) =>
      `Special measures meeting ${data.status === 'held' ? 'held' : data.status === 'declined' ? 'declined' : 'offered'}`,
  }),
  define({
    type: 'send_victim_letter',
    version: 1,
    title: 'Send a letter',
    description:
      'A letter to a complainant from a template, edited and checked for plain English, sent by email to their safe address or printed and posted. The letter is kept exactly as sent.',
    from: ANY_STAGE,
    to: 'same',
    roles: CONTACT_ROLES,
    serviceOnly: 'Write letters on the victim care page, or send them with POST /api/v1/cases/{id}/letters',
    fields: {
      complainantId: complainant,
      template: field.choice({
        label: 'Letter',
        name: 'the letter',
        options: LETTER_TEMPLATES.map((t) => ({ value: t.id, text: t.title })),
      }),
      channel: field.choice({
        label: 'How to send it',
        name: 'how to send it',
        options: LETTER_CHANNELS,
      }),
      subject: field.text({ label: 'Subject', name: 'the subject', maxLength: 200 }),
      body: field.textarea({ label: 'Letter', name: 'the letter', maxLength: 10000 }),
    },
    guard: (facts, actor, data) =>
      aComplainant(facts, actor, data) ??
      letterTemplate(data.template)?.unavailable(facts, String(data.complainantId)) ??
      null,
    isvaVisible: true,
    summary: (data) => `Letter sent: ${letterTemplate(data.template)?.title ?? 'letter'}`,
  }),
  define({
    type: 'record_withdrawal_of_support',
    version: 1,
    title: 'Record that a complainant no longer supports the case',
    description:
      'Record why, in their words where they are willing, and whether they agree to the case going on without them. This does not close the case: decide the outcome separately.',
    from: OPEN_STAGES,
    to: 'same',
    roles: ['investigator', 'police_supervisor', 'witness_care'],
    fields: {
      complainantId: complainant,
      withdrawnOn: field.date({ label: 'Date they told us', name: 'the date they told us', notFuture: true }),
      reasons: field.choices({
        label: 'Reasons they gave',
        name: 'the reasons they gave',
        options: WITHDRAWAL_REASONS,
      }),
      details: field.textarea({ label: 'In their words', name: 'the details', maxLength: 5000 }),
      continueWithout: field.choice({
        label: 'Do they agree to the case going on without their support?',
        name: 'whether they agree to the case going on',
        options: [
          { value: 'yes', text: 'Yes' },
          { value: 'no', text: 'No' },
          { value: 'undecided', text: 'Not yet decided' },
        ],
      }),
    },
    guard: aComplainant,
    isvaVisible: true,
    summary: () => 'Complainant no longer supports the case',
  }),
]

/** The words for stored values, for pages and letters: one list per field. */
export function optionText(options: readonly { value: string; text: string }[], value: unknown): string {
  return [value ?? []]
    .flat()
    .map((v) => options.find((o) => o.value === v)?.text ?? String(v))
    .join('; ')
}

/** The events `victimFacts` reads. */
export const VICTIM_FACT_EVENTS = [
  'refer_to_support',
  'record_interview',
  'record_charging_decision',
  'propose_police_outcome',
  'sign_off_police_outcome',
  'request_vrr',
  'acknowledge_vrr',
  'record_vrr_local_resolution',
  'decide_vrr',
] as const

/** What the victim care rules need to know, from the case's events of those types in timeline order. */
export function victimFacts(
  events: readonly { type: string; data: Record<string, unknown>; actorId?: string }[],
): VictimFacts {
  const isvaReferrals = new Set<string>()
  const decidedBy = new Set<string>()
  const vrr = new Map<string, VictimFacts['vrr'][number]>()
  let suspectInterviewed = false
  for (const { type, data, actorId } of events) {
    // Who took part in a decision not to prosecute: a review must be done by someone else.
    if (['record_charging_decision', 'propose_police_outcome', 'sign_off_police_outcome'].includes(type) && actorId)
      decidedBy.add(actorId)
    const who = String(data.complainantId ?? '')
    const open = vrr.get(who)
    if (type === 'refer_to_support' && data.service === 'isva' && data.consent === true) isvaReferrals.add(who)
    else if (type === 'record_interview') suspectInterviewed = true
    else if (type === 'request_vrr')
      vrr.set(who, { complainantId: who, scheme: data.scheme === 'cps' ? 'cps' : 'police', stage: 'requested' })
    else if (type === 'acknowledge_vrr' && open) vrr.set(who, { ...open, stage: 'acknowledged' })
    else if (type === 'record_vrr_local_resolution' && open) {
      if (data.result === 'resolved') vrr.delete(who)
      else vrr.set(who, { ...open, stage: 'independent_review' })
    } else if (type === 'decide_vrr') vrr.delete(who)
  }
  return { isvaReferrals: [...isvaReferrals], suspectInterviewed, vrr: [...vrr.values()], decidedBy: [...decidedBy] }
}
