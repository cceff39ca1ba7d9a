import { daysBetween } from '../../core/calendar'
import { isDate } from '../../core/clocks'
import { CONVICTED, MAGISTRATES_HEARING_TYPES, OUTCOME_ORDER } from '../court/outcomes'
import { DATA_CATEGORIES, kindOf } from '../digital/rules'
import { NOT_RECORDED } from '../../domain/people'

/**
 * Joint performance measures, each defined once: what it counts, for which cohort, from which events. Every case
 * is turned into contributions (one per thing counted, each dated so it falls in one quarter); the database keeps
 * their sums per quarter, force, area, offence group and breakdown (the measure projection; read by performance/service.ts), so a measure is read from
 * those sums and never recomputed from the timeline on a request. Cohorts follow the case, so the stages of the
 * attrition funnel count the same reports (docs/sources.md section 6 warns that published stages do not).
 */

export { NOT_RECORDED }

/** What a measure needs of one case: its projected row, its people, its timeline and its clocks. */
export interface MeasureCase {
  reportedOn: string
  forceCode: string
  areaCode: string
  finalOutcome: string | null
  policeOutcomeCode: number | null
  finalisedOn: string | null
  rape: boolean
  adultRape: boolean
  complainant: { ageBand: string | null; sex: string | null; ethnicity: string | null; disability: string | null }
  relationship: string | null
  timeline: readonly { seq: number; type: string; occurredOn: string; data: Record<string, unknown> }[]
  clocks: readonly { ruleId: string; due: string | null; status: string; late: boolean; metOn: string | null }[]
}

/** One thing counted: the date that places it in a quarter, its category or its duration, and its two counts. */
export interface Contribution {
  on: string
  category?: string
  days?: number
  numerator: number
  denominator: number
}

export type MeasureKind = 'rate' | 'count' | 'duration' | 'share' | 'funnel'

export interface MeasureDefinition {
  id: string
  name: string
  theme: keyof typeof THEMES
  kind: MeasureKind
  /** In words, for the catalogue and the definition page. */
  definition: string
  numerator: string
  denominator: string | null
  cohort: string
  unit: 'percent' | 'cases' | 'days'
  /** The events (and clocks) it reads. */
  reads: readonly string[]
  categories?: readonly { value: string; text: string }[]
  contributions(c: MeasureCase, m: Milestones): Contribution[]
}

export const THEMES = {
  attrition: 'From report to court',
  outcomes: 'Outcomes and decisions',
  timeliness: 'Timeliness',
  victims: 'Victims',
  digital: 'Digital evidence',
  strategy: 'Strategy success measures',
  volumes: 'Rape Review headline volumes',
} as const

/** Final outcomes a court reached (a plea, a verdict, or charges dropped): the prosecution is completed. */
export const COURT_OUTCOMES: readonly string[] = OUTCOME_ORDER
/** Home Office outcomes 14 and 16: the victim does not support (or withdrew support for) further action. */
export const VICTIM_DOES_NOT_SUPPORT = [14, 16]

/** The dates and facts of one case that several measures share, worked out once from its timeline. */
export interface Milestones {
  referredOn: string | null
  cpsFirstOn: string | null
  decidedOn: string | null
  chargedOn: string | null
  firstListedOn: string | null
  firstHearingOn: string | null
  /**
   * When the case was sent to the Crown Court: the first appearance before the magistrates, or, where none was
   * recorded, the first Crown Court hearing (docs/sources.md section 16).
   */
  sentOn: string | null
  completedOn: string | null
  convicted: boolean
  /** When the investigation reached an outcome: charge, a police outcome, a CPS decision or admin finalisation. */
  investigationOutcomeOn: string | null
  /** When the CPS stage ended: charge, no further action, out of court disposal, or admin finalisation. */
  cpsConcludedOn: string | null
  hearings: { number: number; type: string; on: string; vacated: boolean }[]
}

export function milestonesOf(c: MeasureCase): Milestones {
  const timeline = [...c.timeline].sort((a, b) => a.seq - b.seq)
  const first = (type: string, when: (d: Record<string, unknown>) => boolean = () => true) =>
    timeline.find((e) => e.type === type && when(e.data))
  const referral = first('sign_off_charging_referral')
  const earlyAdvice = first('request_early_advice')
  const decision = first('record_charging_decision')
  const charge = first('record_charging_decision', (d) => d.outcome === 'charge')
  const listings = timeline.filter((e) => e.type === 'list_hearing')
  const vacated = new Set(
    timeline
      .filter((e) => e.type === 'record_hearing_outcome' && e.data.result === 'vacated')
      .map((e) => Number(e.data.hearingNumber)),
  )
  const hearings = listings.map((e, i) => ({
    number: i + 1,
    type: String(e.data.hearingType ?? ''),
    on: isDate(e.data.hearingOn) ? e.data.hearingOn : e.occurredOn,
    vacated: vacated.has(i + 1),
  }))
  const finalised = c.finalisedOn
  const completedOn = finalised && c.finalOutcome && COURT_OUTCOMES.includes(c.finalOutcome) ? finalised : null
  const closedWithout = finalised && c.finalOutcome && !COURT_OUTCOMES.includes(c.finalOutcome) ? finalised : null
  const cpsEnded = ['cps_no_further_action', 'out_of_court_disposal', 'administratively_finalised']
  return {
    referredOn: referral?.occurredOn ?? null,
    cpsFirstOn: [referral?.occurredOn, earlyAdvice?.occurredOn].filter(isDate).sort()[0] ?? null,
    decidedOn: decision?.occurredOn ?? null,
    chargedOn: charge?.occurredOn ?? null,
    firstListedOn: listings[0]?.occurredOn ?? null,
    firstHearingOn: hearings.find((h) => !h.vacated)?.on ?? null,
    sentOn:
      hearings.find((h) => !h.vacated && MAGISTRATES_HEARING_TYPES.has(h.type))?.on ??
      hearings.find((h) => !h.vacated)?.on ??
      null,
    completedOn,
    convicted: (CONVICTED as readonly string[]).includes(c.finalOutcome ?? ''),
    investigationOutcomeOn: charge?.occurredOn ?? closedWithout,
    cpsConcludedOn: referral
      ? (charge?.occurredOn ?? (closedWithout && cpsEnded.includes(c.finalOutcome ?? '') ? closedWithout : null))
      : null,
    hearings,
  }
}

export const one = (on: string | null, numerator = 1, extra: Partial<Contribution> = {}): Contribution[] =>
  on ? [{ on, numerator, denominator: 1, ...extra }] : []
export const duration = (from: string | null, to: string | null): Contribution[] =>
  from && to && to >= from ? [{ on: to, days: daysBetween(from, to), numerator: 1, denominator: 0 }] : []
/** Clocks that have come due or been met: met within the limit counts, met late or overdue does not. */
export const clocksOnTime = (c: MeasureCase, ids: (id: string) => boolean): Contribution[] =>
  c.clocks
    .filter((k) => ids(k.ruleId) && k.due && (k.status === 'met' || k.status === 'overdue'))
    .map((k) => ({ on: k.due!, numerator: k.status === 'met' && !k.late ? 1 : 0, denominator: 1 }))

export const FUNNEL = [
  { value: 'reported', text: 'Reported' },
  { value: 'referred', text: 'Referred to the CPS for a charging decision' },
  { value: 'charged', text: 'Charged' },
  { value: 'reached_court', text: 'Reached court (first hearing listed)' },
  { value: 'convicted', text: 'Convicted' },
] as const

export const VRR_RESULTS = [
  { value: 'overturned', text: 'Decision overturned' },
  { value: 'upheld', text: 'Decision upheld' },
  { value: 'resolved_locally', text: 'Resolved at local resolution' },
]

export const MEASURES: readonly MeasureDefinition[] = [
  {
    id: 'attrition_funnel',
    name: 'Attrition funnel',
    theme: 'attrition',
    kind: 'funnel',
    definition:
      'Of the cases reported in the period, how many have so far been referred to the CPS for a charging decision, ' +
      'charged, reached court (a first hearing listed), and ended in a conviction. Every stage counts the same reports, so the ' +
      'percentages can be compared; recent cohorts are still moving through.',
    numerator: 'Cases of the cohort that have reached the stage',
    denominator: 'Cases reported in the period',
    cohort: 'Reports, by the date of report',
    unit: 'percent',
    reads: ['record_report', 'sign_off_charging_referral', 'record_charging_decision', 'list_hearing', 'final outcome'],
    categories: FUNNEL,
    contributions: (c, m) => {
      const reached = {
        reported: true,
        referred: Boolean(m.referredOn),
        charged: Boolean(m.chargedOn),
        reached_court: Boolean(m.firstListedOn),
        convicted: m.convicted,
      }
      return FUNNEL.map((s) => ({
        on: c.reportedOn,
        category: s.value,
        numerator: reached[s.value] ? 1 : 0,
        denominator: 1,
      }))
    },
  },
  {
    id: 'charge_rate',
    name: 'Charge rate',
    theme: 'outcomes',
    kind: 'rate',
    definition: 'Of the cases given a first charging decision in the period, the share in which a suspect was charged.',
    numerator: 'Cases with a suspect charged',
    denominator: 'Cases given a first charging decision in the period',
    cohort: 'Cases, by the date of the first charging decision',
    unit: 'percent',
    reads: ['record_charging_decision'],
    contributions: (_c, m) => one(m.decidedOn, m.chargedOn ? 1 : 0),
  },
  {
    id: 'police_outcomes',
    name: 'Police outcomes by Home Office outcome code',
    theme: 'outcomes',
    kind: 'share',
    definition:
      'Investigations the police closed in the period (the supervisor signed off the outcome), by the Home Office ' +
      'outcome type assigned.',
    numerator: 'Investigations closed with the outcome code',
    denominator: 'Investigations closed by the police in the period',
    cohort: 'Cases, by the date the police outcome was signed off',
    unit: 'percent',
    reads: ['sign_off_police_outcome'],
    contributions: (c) =>
      c.finalOutcome === 'police_outcome' && c.policeOutcomeCode !== null
        ? one(c.finalisedOn, 1, { category: String(c.policeOutcomeCode) })
        : [],
  },
  {
    id: 'victim_withdrawal_rate',
    name: 'Investigations closed because the victim does not support action',
    theme: 'victims',
    kind: 'rate',
    definition:
      'Of the investigations that reached an outcome in the period (a charge, a police outcome, a CPS decision or ' +
      'administrative finalisation), the share closed with outcome 14 or 16: the victim does not support, or ' +
      'withdrew support for, further action.',
    numerator: 'Investigations closed with outcome 14 or 16',
    denominator: 'Investigations that reached an outcome in the period',
    cohort: 'Cases, by the date the investigation reached its outcome',
    unit: 'percent',
    reads: ['sign_off_police_outcome', 'record_charging_decision', 'administratively_finalise'],
    contributions: (c, m) =>
      one(m.investigationOutcomeOn, VICTIM_DOES_NOT_SUPPORT.includes(c.policeOutcomeCode ?? -1) ? 1 : 0),
  },
  {
    id: 'admin_finalised_rate',
    name: 'Administratively finalised rate',
    theme: 'outcomes',
    kind: 'rate',
    definition:
      'Of the cases referred to the CPS whose time with the CPS ended in the period (charged, no further action, ' +
      'out of court disposal or administratively finalised), the share administratively finalised after an action ' +
      'plan went unanswered.',
    numerator: 'Cases administratively finalised',
    denominator: 'Referred cases whose time with the CPS ended in the period',
    cohort: 'Referred cases, by the date their time with the CPS ended',
    unit: 'percent',
    reads: ['sign_off_charging_referral', 'record_charging_decision', 'administratively_finalise'],
    contributions: (c, m) => one(m.cpsConcludedOn, c.finalOutcome === 'administratively_finalised' ? 1 : 0),
  },
  {
    id: 'days_report_to_referral',
    name: 'Days from report to referral',
    theme: 'timeliness',
    kind: 'duration',
    definition: 'Calendar days from the report to the first charging referral the police sent to the CPS.',
    numerator: 'Cases referred in the period',
    denominator: null,
    cohort: 'Cases, by the date of the first referral',
    unit: 'days',
    reads: ['record_report', 'sign_off_charging_referral'],
    contributions: (c, m) => duration(c.reportedOn, m.referredOn),
  },
  {
    id: 'days_referral_to_decision',
    name: 'Days from referral to charging decision',
    theme: 'timeliness',
    kind: 'duration',
    definition: 'Calendar days from the first charging referral to the first charging decision.',
    numerator: 'Cases given a first charging decision in the period',
    denominator: null,
    cohort: 'Cases, by the date of the first charging decision',
    unit: 'days',
    reads: ['sign_off_charging_referral', 'record_charging_decision'],
    contributions: (_c, m) => duration(m.referredOn, m.decidedOn),
  },
  {
    id: 'days_report_to_charge',
    name: 'Days from report to charge',
    theme: 'timeliness',
    kind: 'duration',
    definition: 'Calendar days from the report to the first decision to charge.',
    numerator: 'Cases charged in the period',
    denominator: null,
    cohort: 'Cases, by the date of charge',
    unit: 'days',
    reads: ['record_report', 'record_charging_decision'],
    contributions: (c, m) => duration(c.reportedOn, m.chargedOn),
  },
  {
    id: 'days_charge_to_completion',
    name: 'Days from charge to completion',
    theme: 'timeliness',
    kind: 'duration',
    definition:
      'Calendar days from the decision to charge to the end of the prosecution (conviction and sentence, acquittal, ' +
      'or the charges dropped).',
    numerator: 'Prosecutions completed in the period',
    denominator: null,
    cohort: 'Cases, by the date the prosecution was completed',
    unit: 'days',
    reads: ['record_charging_decision', 'record_plea', 'record_verdict', 'record_sentence', 'end_charge'],
    contributions: (_c, m) => duration(m.chargedOn, m.completedOn),
  },
  {
    id: 'days_to_answer_action_item',
    name: 'Days to answer an action plan item',
    theme: 'timeliness',
    kind: 'duration',
    definition: "Calendar days from a prosecutor's action plan (or early advice) setting an item to the police answer.",
    numerator: 'Action plan items answered in the period',
    denominator: null,
    cohort: 'Action plan items, by the date answered',
    unit: 'days',
    reads: ['set_action_plan', 'give_early_advice', 'answer_action_item'],
    contributions: (c) => {
      const setOn: string[] = []
      const out: Contribution[] = []
      for (const e of [...c.timeline].sort((a, b) => a.seq - b.seq)) {
        if ((e.type === 'set_action_plan' || e.type === 'give_early_advice') && Array.isArray(e.data.items)) {
          for (const _item of e.data.items) setOn.push(e.occurredOn)
        }
        if (e.type === 'answer_action_item') {
          out.push(...duration(setOn[Number(e.data.itemNumber) - 1] ?? null, e.occurredOn))
        }
      }
      return out
    },
  },
  {
    id: 'victims_code_on_time',
    name: "Victims' Code entitlements met on time",
    theme: 'victims',
    kind: 'rate',
    definition:
      "Of the Victims' Code entitlements that fell due in the period (or were met), the share met within the time " +
      'limit (enhanced rights: most within 1 working day). An entitlement met late or still unmet after its date ' +
      'counts as not on time.',
    numerator: 'Entitlements met within the limit',
    denominator: 'Entitlements due in the period',
    cohort: "Each complainant's entitlements, by the date due",
    unit: 'percent',
    reads: ["Victims' Code clocks", 'record_victim_contact', 'send_victim_letter'],
    contributions: (c) => clocksOnTime(c, (id) => id.startsWith('vc_')),
  },
  {
    id: 'vrr_outcomes',
    name: "Victims' Right to Review outcomes",
    theme: 'victims',
    kind: 'share',
    definition:
      'Reviews concluded in the period, by result: the decision overturned, upheld, or the request resolved at the ' +
      'local resolution stage.',
    numerator: 'Reviews with the result',
    denominator: 'Reviews concluded in the period',
    cohort: 'Review requests, by the date concluded',
    unit: 'percent',
    reads: ['decide_vrr', 'record_vrr_local_resolution'],
    categories: VRR_RESULTS,
    contributions: (c) =>
      c.timeline.flatMap((e) => {
        if (e.type === 'decide_vrr') return one(e.occurredOn, 1, { category: String(e.data.outcome) })
        if (e.type === 'record_vrr_local_resolution' && e.data.result === 'resolved') {
          return one(e.occurredOn, 1, { category: 'resolved_locally' })
        }
        return []
      }),
  },
  {
    id: 'device_requests_targeted',
    name: 'Device requests targeted rather than whole-device',
    theme: 'digital',
    kind: 'rate',
    definition:
      'Of the requests for a device proposed or re-scoped in the period, the share whose scope is targeted: it ' +
      'names some but not all kinds of data, or limits the search to contacts or search terms, as well as dates.',
    numerator: 'Device scopes that are targeted',
    denominator: 'Device scopes recorded in the period',
    cohort: 'Each scope recorded (proposal or re-scope), by the date recorded',
    unit: 'percent',
    reads: ['propose_material_request', 'rescope_material_request'],
    contributions: (c) => {
      const kinds: string[] = []
      const out: Contribution[] = []
      for (const e of [...c.timeline].sort((a, b) => a.seq - b.seq)) {
        if (e.type === 'propose_material_request') kinds.push(kindOf(e.data.material))
        const isScope = e.type === 'propose_material_request' || e.type === 'rescope_material_request'
        const kind = e.type === 'rescope_material_request' ? kinds[Number(e.data.requestNumber) - 1] : kinds.at(-1)
        if (!isScope || kind !== 'device') continue
        const categories = Array.isArray(e.data.categories) ? e.data.categories.length : 0
        const targeted =
          (categories > 0 && categories < DATA_CATEGORIES.length) || Boolean(e.data.contacts || e.data.searchTerms)
        out.push(...one(e.occurredOn, targeted ? 1 : 0))
      }
      return out
    },
  },
  {
    id: 'days_without_device',
    name: 'Days without their device',
    theme: 'digital',
    kind: 'duration',
    definition: 'Calendar days from a device being taken to its return to the person, for devices returned.',
    numerator: 'Devices returned in the period',
    denominator: null,
    cohort: 'Devices, by the date returned',
    unit: 'days',
    reads: ['record_device_taken', 'record_device_returned'],
    contributions: (c) => {
      const taken = new Map<number, string>()
      return [...c.timeline]
        .sort((a, b) => a.seq - b.seq)
        .flatMap((e) => {
          const request = Number(e.data.requestNumber)
          if (e.type === 'record_device_taken' && isDate(e.data.takenOn)) taken.set(request, e.data.takenOn)
          if (e.type !== 'record_device_returned' || !isDate(e.data.returnedOn)) return []
          return duration(taken.get(request) ?? null, e.data.returnedOn)
        })
    },
  },
  {
    id: 'material_request_refusals',
    name: 'Requests for material refused',
    theme: 'digital',
    kind: 'rate',
    definition:
      'Of the answers given in the period to requests for a device or records, the share that refused (a later ' +
      'withdrawal of agreement is not counted here).',
    numerator: 'Answers that refused',
    denominator: 'Answers given in the period',
    cohort: 'Answers, by the date answered',
    unit: 'percent',
    reads: ['record_material_answer'],
    contributions: (c) =>
      c.timeline
        .filter((e) => e.type === 'record_material_answer')
        .flatMap((e) =>
          one(isDate(e.data.answeredOn) ? e.data.answeredOn : e.occurredOn, e.data.answer === 'refused' ? 1 : 0),
        ),
  },
  {
    id: 'charging_decisions_on_time',
    name: 'Timeliness of charging decisions: within 28 days of referral (a Casebridge default, not a CPS target)',
    theme: 'strategy',
    kind: 'rate',
    definition:
      'The strategy measures the timeliness of charging decisions and sets no number of days. Of the charging ' +
      'decisions that fell due in the period (28 calendar days from the referral: a Casebridge default, set on the ' +
      'clock periods page), the share made by then.',
    numerator: 'Decisions made within the period allowed',
    denominator: 'Decisions due in the period',
    cohort: 'Referrals, by the date the decision was due',
    unit: 'percent',
    reads: ['charging_decision_time clock', 'sign_off_charging_referral', 'record_charging_decision'],
    contributions: (c) => clocksOnTime(c, (id) => id === 'charging_decision_time'),
  },
  {
    id: 'dropped_at_third_hearing',
    name: 'Prosecutions dropped at the third or a later hearing',
    theme: 'strategy',
    kind: 'rate',
    definition:
      'Of the prosecutions completed in the period, the share that ended with the charges discontinued or no ' +
      'evidence offered once the case had reached its third hearing or later (vacated hearings not counted).',
    numerator: 'Prosecutions dropped at the third or a later hearing',
    denominator: 'Prosecutions completed in the period',
    cohort: 'Cases, by the date the prosecution was completed',
    unit: 'percent',
    reads: ['list_hearing', 'record_hearing_outcome', 'end_charge'],
    contributions: (c, m) => {
      const dropped = ['discontinued', 'no_evidence_offered'].includes(c.finalOutcome ?? '')
      const ended = c.timeline.filter(
        (e) => e.type === 'end_charge' && ['discontinued', 'no_evidence_offered'].includes(String(e.data.how)),
      )
      const reached = Math.max(
        0,
        ...ended.map((e) => {
          const named = Number(e.data.hearingNumber)
          const by = isDate(e.data.decidedOn) ? e.data.decidedOn : e.occurredOn
          return m.hearings.filter((h) => !h.vacated && (named ? h.number <= named : h.on <= by)).length
        }),
      )
      return one(m.completedOn, dropped && reached >= 3 ? 1 : 0)
    },
  },
  {
    id: 'guilty_plea_first_hearing',
    name: 'Guilty pleas at the first hearing in the Crown Court',
    theme: 'strategy',
    kind: 'rate',
    definition:
      'Of the prosecutions completed in the period, the share in which a defendant pleaded guilty at the first ' +
      'hearing in the Crown Court (the earliest hearing not vacated after the first appearance before the ' +
      'magistrates, normally the plea and trial preparation hearing): rape is sent to the Crown Court without a ' +
      'plea, so the strategy counts pleas there.',
    numerator: 'Prosecutions with a guilty plea at the first Crown Court hearing',
    denominator: 'Prosecutions completed in the period',
    cohort: 'Cases, by the date the prosecution was completed',
    unit: 'percent',
    reads: ['list_hearing', 'record_hearing_outcome', 'record_plea'],
    contributions: (c, m) => {
      const firstNumber = m.hearings.find((h) => !h.vacated && !MAGISTRATES_HEARING_TYPES.has(h.type))?.number
      const pleaded = c.timeline.some(
        (e) => e.type === 'record_plea' && e.data.plea === 'guilty' && Number(e.data.hearingNumber) === firstNumber,
      )
      return one(m.completedOn, pleaded ? 1 : 0)
    },
  },
  {
    id: 'decision_letters_on_time',
    name: 'Complainants told of decisions within 1 working day',
    theme: 'victims',
    kind: 'rate',
    definition:
      'Of the complainants due to be told of a charging or police decision in the period, the share told (by ' +
      'letter or contact) within the enhanced-rights limit of 1 working day. This is timeliness only, not one of ' +
      "the strategy's success measures: the strategy measures the quality of the letters sent to victims.",
    numerator: 'Complainants told within the limit',
    denominator: 'Complainants due to be told in the period',
    cohort: "Each complainant's decision entitlement, by the date due",
    unit: 'percent',
    reads: ['vc_decision clock', 'send_victim_letter', 'record_victim_contact'],
    contributions: (c) => clocksOnTime(c, (id) => id === 'vc_decision'),
  },
  {
    id: 'adult_rape_referrals',
    name: 'Adult rape referrals to the CPS',
    theme: 'volumes',
    kind: 'count',
    definition:
      'Adult rape cases (offence 19C or 19F) first referred by the police to the CPS in the period, for early advice ' +
      'or a charging decision (the Rape Review headline measure; its 2019 quarterly average was 461).',
    numerator: 'Adult rape cases referred',
    denominator: null,
    cohort: 'Cases, by the date of the first referral or early advice request',
    unit: 'cases',
    reads: ['request_early_advice', 'sign_off_charging_referral'],
    contributions: (c, m) => (c.adultRape ? one(m.cpsFirstOn) : []),
  },
  {
    id: 'adult_rape_charges',
    name: 'Adult rape cases charged',
    theme: 'volumes',
    kind: 'count',
    definition: 'Adult rape cases with a suspect charged in the period (2019 quarterly average: 244).',
    numerator: 'Adult rape cases charged',
    denominator: null,
    cohort: 'Cases, by the date of charge',
    unit: 'cases',
    reads: ['record_charging_decision'],
    contributions: (c, m) => (c.adultRape ? one(m.chargedOn) : []),
  },
  {
    id: 'adult_rape_crown_court_receipts',
    name: 'Adult rape cases received by the Crown Court',
    theme: 'volumes',
    kind: 'count',
    definition:
      'Adult rape cases sent to the Crown Court in the period: rape is triable only on indictment, so the ' +
      'magistrates send it at the first appearance (or, where no first appearance was recorded, by the first ' +
      'Crown Court hearing). Each case counts once, however many times it is listed (2019 quarterly average: 231).',
    numerator: 'Adult rape cases received',
    denominator: null,
    cohort: 'Cases, by the date they were sent to the Crown Court',
    unit: 'cases',
    reads: ['list_hearing'],
    contributions: (c, m) => (c.adultRape ? one(m.sentOn) : []),
  },
]

export const measureById = (id: string) => MEASURES.find((m) => m.id === id)

/** Every contribution of one case, measure by measure. */
export function contributionsOf(c: MeasureCase): { measureId: string; contribution: Contribution }[] {
  const m = milestonesOf(c)
  return MEASURES.flatMap((measure) =>
    measure.contributions(c, m).map((contribution) => ({ measureId: measure.id, contribution })),
  )
}

// Breakdowns -----------------------------------------------------------------------------------------------------

export const withNotRecorded = (list: readonly { value: string; text: string }[]) =>
  list.some((o) => o.value === NOT_RECORDED) ? list : [...list, { value: NOT_RECORDED, text: 'Not recorded' }]
