import type { TaskKind } from '../../core/tasks'
import type { ClockRule } from '../../core/clocks'
import { letterTemplate } from './letters'

/**
 * The Victims' Code 2020 (in force 1 April 2021) entitlements that run to a time limit, as clock rules
 * (docs/sources.md section 2), and the special measures application. Each starts one clock per complainant and is met
 * by a recorded contact or letter telling that complainant about it. Every complainant of a sexual offence has enhanced rights, so the shorter period applies.
 * After charge: hearing dates, verdict and sentence (witness care), and CPS decisions to drop or alter charges (the CPS).
 */
const RIGHT_6 = 'Victims’ Code 2020, Right 6 (Bedfordshire OPCC “Right 6 of 12”)'

/** Entitlements from the report, or from the day a complainant is added to the case later. */
const FROM_THE_REPORT = {
  startsOn: ['record_report', 'add_person'],
  startsWhen: (data: Record<string, unknown>) => data.role === undefined || data.role === 'complainant',
  fromField: 'reportedOn',
} as const

/** The dates on which a contact, referral, assessment or application happened (before it was recorded). */
const MET_ON = ['contactedOn', 'referredOn', 'assessedOn', 'appliedOn', 'sentOn']

/**
 * A Victims' Code entitlement is met by a contact or a letter that told the complainant about it (ticked among its
 * `entitlements`), or by the events that are themselves the entitlement (a referral, an assessment).
 */
function toldAbout(id: string, alsoMetBy: readonly string[] = []) {
  return {
    metBy: ['record_victim_contact', 'send_victim_letter', ...alsoMetBy],
    metWhen: {
      record_victim_contact: (data: Record<string, unknown>) =>
        Array.isArray(data.entitlements) && data.entitlements.includes(id),
      send_victim_letter: (data: Record<string, unknown>) => letterTemplate(data.template)?.tells.includes(id) ?? false,
    },
    metOnFields: MET_ON,
  }
}

export const VICTIM_CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'vc_support_referral',
    name: 'Victims’ Code: referral to support services, including an ISVA',
    source:
      'Victims’ Code 2020, Right 4: referral to a victim support service within 2 working days of reporting (Bedfordshire OPCC “Right 4 of 12”; gov.uk “After a crime: your rights”)',
    ...FROM_THE_REPORT,
    perComplainant: true,
    due: { unit: 'working', days: 2, configurable: false },
    ...toldAbout('vc_support_referral', ['refer_to_support']),
    cancelledBy: [],
  },
  {
    id: 'vc_needs_assessment',
    name: 'Victims’ Code: needs assessment',
    source:
      'Victims’ Code 2020: every victim is entitled to a needs assessment by the police (Nottinghamshire Police FAQ “What are Enhanced Rights”). No time limit was found: Casebridge default, set locally by an administrator',
    ...FROM_THE_REPORT,
    perComplainant: true,
    due: { unit: 'working', days: 2, configurable: true },
    ...toldAbout('vc_needs_assessment', ['record_needs_assessment']),
    cancelledBy: [],
  },
  {
    id: 'vc_vps_offered',
    name: 'Victims’ Code: victim personal statement offered',
    source:
      'Victims’ Code 2020, Right 7: a victim personal statement is offered when the witness statement is taken. No time limit was found: Casebridge default, set locally by an administrator',
    ...FROM_THE_REPORT,
    perComplainant: true,
    due: { unit: 'working', days: 10, configurable: true },
    ...toldAbout('vc_vps_offered'),
    cancelledBy: [],
  },
  {
    id: 'vc_suspect_update',
    name: 'Victims’ Code: told of an arrest, interview, bail or release',
    source: `${RIGHT_6}: within 5 working days of the suspect being arrested, interviewed under caution, released without charge, bailed or released under investigation; 1 working day with enhanced rights`,
    startsOn: ['record_arrest', 'record_interview', 'record_bail', 'record_released_under_investigation'],
    fromField: ['arrestedOn', 'interviewedOn', 'bailedOn', 'releasedOn'],
    perComplainant: true,
    due: { unit: 'working', days: 5, enhancedDays: 1, configurable: false },
    ...toldAbout('vc_suspect_update'),
    cancelledBy: [],
  },
  {
    id: 'vc_decision',
    name: 'Victims’ Code: told of a decision to charge, not to charge or an out-of-court disposal',
    source:
      'Victims’ Code 2020, Right 6 (Nottinghamshire Police FAQ; victimandwitnessinformation.org.uk): within 5 working days of the decision, 1 working day with enhanced rights; the police pass on CPS decisions',
    startsOn: ['record_charging_decision', 'sign_off_police_outcome'],
    perComplainant: true,
    due: { unit: 'working', days: 5, enhancedDays: 1, configurable: false },
    ...toldAbout('vc_decision'),
    cancelledBy: [],
  },
  {
    id: 'vc_hearing_date',
    name: 'Victims’ Code: told the date, time and place of a hearing',
    source:
      'Victims’ Code 2020, Right 8 (Bedfordshire OPCC “Right 8 of 12”): the Witness Care Unit tells every victim within 1 working day of receiving the listing from the court',
    startsOn: ['list_hearing'],
    fromField: 'receivedOn',
    perComplainant: true,
    due: { unit: 'working', days: 1, configurable: false },
    ...toldAbout('vc_hearing_date'),
    cancelledBy: [],
  },
  {
    id: 'vc_charge_dropped',
    name: 'Victims’ Code: told of a CPS decision to drop or substantially alter a charge',
    source:
      'Victims’ Code 2020, Right 6 (Nottinghamshire Police FAQ “What information will I receive after a person has been charged”): a CPS decision to discontinue or substantially alter a charge, discontinue all proceedings or offer no evidence, with the reasons and how to seek a review, within 5 working days; 1 working day with enhanced rights',
    startsOn: ['end_charge', 'amend_charge'],
    startsWhen: (data) => data.substantial !== false,
    fromField: 'decidedOn',
    perComplainant: true,
    due: { unit: 'working', days: 5, enhancedDays: 1, configurable: false },
    ...toldAbout('vc_charge_dropped'),
    cancelledBy: [],
  },
  {
    id: 'vc_outcome',
    name: 'Victims’ Code: told the verdict or the sentence',
    source:
      'Victims’ Code 2020, Right 9 (Bedfordshire OPCC “Right 9 of 12”): the Witness Care Unit tells every victim the outcome and any sentence, with an explanation, within 1 working day of receiving it from the court (which sends it within 5 working days)',
    startsOn: ['record_verdict', 'record_sentence'],
    fromField: 'receivedOn',
    perComplainant: true,
    due: { unit: 'working', days: 1, configurable: false },
    ...toldAbout('vc_outcome'),
    cancelledBy: [],
  },
  {
    id: 'vc_special_measures_application',
    name: 'Special measures application made',
    source:
      'Youth Justice and Criminal Evidence Act 1999, Part II; the period is the Criminal Procedure Rules Part 18 time limit as recalled (28 days, after a not guilty plea in the Crown Court), UNVERIFIED here. Counted from the charge until the court stage records pleas; set locally by an administrator',
    startsOn: ['record_charging_decision'],
    startsWhen: (data) => data.outcome === 'charge',
    perComplainant: true,
    due: { unit: 'calendar', days: 28, configurable: true },
    metBy: ['apply_special_measures'],
    metOnFields: ['appliedOn'],
    cancelledBy: [],
  },
]

/**
 * The entitlements a complainant is told about, and by whom: witness care tells them of hearings, verdicts and
 * sentences; the CPS, of its decisions to drop or alter charges; the officer in the case, of the rest.
 */
const TOLD_IDS = VICTIM_CLOCK_RULES.filter((r) => r.metBy.includes('record_victim_contact')).map((r) => r.id)
export const WITNESS_CARE_CLOCK_IDS = ['vc_hearing_date', 'vc_outcome']
export const CPS_VICTIM_CLOCK_IDS = ['vc_charge_dropped']
export const VICTIM_CLOCK_IDS = TOLD_IDS.filter(
  (id) => !WITNESS_CARE_CLOCK_IDS.includes(id) && !CPS_VICTIM_CLOCK_IDS.includes(id),
)
export const TOLD_ABOUT_OPTIONS = VICTIM_CLOCK_RULES.filter((r) => TOLD_IDS.includes(r.id)).map((r) => ({
  value: r.id,
  text: r.name.replace('Victims’ Code: ', '').replace(/^./, (c) => c.toUpperCase()),
}))

/**
 * Enhanced rights (Victims' Code 2020): victims of the most serious crime, which includes every sexual offence,
 * persistently targeted victims, and vulnerable or intimidated victims (under-18s automatically).
 */
export function hasEnhancedRights(c: { sexualOffence: boolean; vulnerable: boolean; childAtTime: boolean }): boolean {
  return c.sexualOffence || c.vulnerable || c.childAtTime
}

/** Telling complainants what the Victims' Code entitles them to, and applying for special measures. */
export const VICTIM_TASK_KINDS: Readonly<Record<string, TaskKind>> = {
  victim_update: {
    label: 'Tell the complainant (Victims’ Code)',
    role: 'investigator',
    decision: false,
    due: { clock: VICTIM_CLOCK_IDS },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  victim_cps_decision: {
    label: 'Tell the complainant of a decision to drop or alter a charge (Victims’ Code)',
    role: 'prosecutor',
    decision: false,
    due: { clock: CPS_VICTIM_CLOCK_IDS },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  victim_hearing_update: {
    label: 'Tell the complainant of a hearing, verdict or sentence (Victims’ Code)',
    role: 'witness_care',
    decision: false,
    due: { clock: WITNESS_CARE_CLOCK_IDS },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  special_measures_application: {
    label: 'Apply for special measures',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'vc_special_measures_application' },
    whileClocksRun: true,
  },
}
