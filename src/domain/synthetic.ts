import { addDays, daysBetween } from '../core/calendar'
import { DEFAULT_ADMIN_FINALISATION_MONTHS, finalisationAllowedFrom } from '../core/calendar'

/**
 * Synthetic national data: a deterministic plan of each case (its report and the events that follow, with their
 * dates and who records them), calibrated to the published volumes and rates in docs/sources.md sections 6 and 14.
 * Case i of seed S is the same whatever N is. The plan is applied through the real event definitions
 * (services/generator.ts); nothing here touches the database.
 */

/** The figures the plan is calibrated to, each with where it comes from (or marked illustrative where none is published). */
const PUBLISHED = {
  /** About 6,000-7,000 rape-flagged suspects referred a year against about 65,000 recorded rapes (section 14). */
  referredShare: 0.1,
  /** Early advice: a minority of referrals start with a request for it (Casebridge assumption, not published). */
  earlyAdviceShare: 0.3,
  /** CPS charge rate of about 73% of charging decisions (CPS Q1/Q2 2023/24, section 6). */
  chargeShare: 0.72,
  /**
   * Police outcomes of the cases not referred. About six in ten police rape investigations close with the victim
   * not supporting action (outcomes 14 and 16, section 14); 18 needs an unknown suspect.
   */
  policeOutcomes: [
    { code: 16, share: 0.47 },
    { code: 14, share: 0.13 },
    { code: 15, share: 0.22 },
    { code: 18, share: 0.1 },
    { code: 10, share: 0.03 },
    { code: 21, share: 0.02 },
    { code: 20, share: 0.03 },
  ],
  /** Report to police outcome: months (Casebridge assumption). */
  daysToPoliceOutcome: { median: 120, spread: 0.8 },
  /** Report to referral: report to charge is about a year for adult rape (section 14). */
  daysToReferral: { median: 170, spread: 0.6 },
  /** CPS receipt to charge: mean 50-170 days (section 6 sizing table). */
  daysReferralToDecision: { median: 80, spread: 0.7 },
  /** Charge to completion about 337 days in the Crown Court (section 6): first hearing, PTPH, then trial. */
  daysChargeToFirstHearing: { median: 21, spread: 0.3 },
  daysFirstHearingToPtph: { median: 28, spread: 0.2 },
  daysPtphToTrial: { median: 280, spread: 0.35 },
  /** Court results of charged cases (convictions about 62% of completed prosecutions, section 6). */
  guiltyPleaAtFirstHearing: 0.15,
  contested: { convicted: 0.53, acquitted: 0.37, dropped: 0.1 },
  /** Requests for a complainant's phone (Rape Review: limit to what is necessary; less time without it). */
  deviceRequestShare: 0.35,
  targetedShare: 0.75,
  refusalShare: 0.15,
  daysWithoutDevice: { median: 4, spread: 1 },
  /** Recorded rape and other sexual offences are of similar size (section 14). */
  rapeShare: 0.5,
  adultShareOfRape: 0.8,
  /** Reports by month, January first: more in the summer (illustrative seasonality, not a published figure). */
  monthWeights: [0.92, 0.88, 0.95, 0.97, 1.05, 1.08, 1.12, 1.08, 1.0, 1.0, 0.98, 0.97],
  /**
   * Victims' Code: the share of complainants told within the limit (report entitlements, decisions, hearing dates,
   * outcomes, charges dropped), and how late the rest are told. Illustrative: no published compliance rate was found
   * (docs/sources.md section 2 gives the limits only).
   */
  toldOnTimeShare: 0.8,
  daysToldLate: { median: 6, spread: 0.5 },
  /** Special measures applied for after charge, and when (illustrative; the time limit is 28 days, section 2). */
  specialMeasuresShare: 0.9,
  daysChargeToSpecialMeasures: { median: 18, spread: 0.4 },
  /**
   * Right to review of a CPS decision not to charge (section 3): the share of complainants who ask, the share of
   * requests resolved at local resolution, and the share of independent reviews that overturn the decision.
   * Illustrative: the CPS publishes VRR volumes, not these shares, and none are in docs/sources.md.
   */
  vrrRequestShare: 0.25,
  vrrResolvedLocally: 0.3,
  vrrOverturned: 0.15,
  /**
   * Action plans: the share of referrals sent back with further work before a decision, when, and how long the police
   * take to answer each item. Illustrative: no published share or deadline (docs/sources.md section 4, "Action
   * plans", UNVERIFIED).
   */
  actionPlanShare: 0.35,
  daysReferralToActionPlan: { median: 20, spread: 0.5 },
  daysToAnswerActionItem: { median: 25, spread: 0.6 },
  /**
   * The share of action plans the police never answer: the escalation ladder runs out and the case is administratively
   * finalised once the period has passed. Chosen so that about 14% of pre-charge outcomes are administrative
   * finalisations (0.35 x 0.4), within the published 12.8% to 16.1% (docs/sources.md section 5); the share itself is
   * not published.
   */
  actionPlanUnansweredShare: 0.4,
} as const
export const CALIBRATION = PUBLISHED

type Widen<T> = T extends number
  ? number
  : T extends readonly (infer U)[]
    ? readonly Widen<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Widen<T[K]> }
      : T
/** The shares and distributions a plan is drawn from. */
export type Calibration = Widen<typeof PUBLISHED>

export interface CasePlan {
  index: number
  forceCode: string
  report: {
    crimeReference: string
    reportedOn: string
    offences: { code: string; committedFrom: string }[]
    complainants: { name: string; sex: string; ageBand: string; ethnicity: string; disability: string }[]
    suspects: ({ unknown: true } | { name: string; relationship: string; sex: string; ageBand: string })[]
  }
  /** Each step: who records it, the event, its data ($suspect for the suspect's id) and its date. */
  steps: { role: string; type: string; data: Record<string, unknown>; on: string }[]
}

/** mulberry32: small, fast and deterministic. */
export function randomFor(seed: number, index: number) {
  let a = (seed * 0x9e3779b1 + index * 0x85ebca6b) | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pick<T>(random: () => number, items: readonly { share: number; value: T }[]): T {
  let r = random() * items.reduce((s, i) => s + i.share, 0)
  for (const item of items) {
    r -= item.share
    if (r < 0) return item.value
  }
  return items.at(-1)!.value
}
const shares = <T>(pairs: readonly (readonly [T, number])[]) => pairs.map(([value, share]) => ({ value, share }))

/** A whole number of days, log-normally spread about the median (Box-Muller), at least `min`. */
function days(random: () => number, { median, spread }: { median: number; spread: number }, min = 1) {
  const u = Math.max(random(), 1e-9)
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  return Math.max(min, Math.round(median * Math.exp(spread * z)))
}

const SEX = shares([
  ['female', 0.88],
  ['male', 0.1],
  ['not_recorded', 0.02],
])
const AGE = shares([
  ['under_13', 0.08],
  ['13_15', 0.1],
  ['16_17', 0.06],
  ['18_24', 0.27],
  ['25_34', 0.22],
  ['35_44', 0.12],
  ['45_54', 0.07],
  ['55_64', 0.03],
  ['65_plus', 0.01],
  ['not_recorded', 0.04],
])
const ETHNICITY = shares([
  ['white', 0.74],
  ['asian', 0.07],
  ['black', 0.05],
  ['mixed', 0.03],
  ['other', 0.02],
  ['not_stated', 0.04],
  ['not_recorded', 0.05],
])
const DISABILITY = shares([
  ['yes', 0.16],
  ['no', 0.58],
  ['not_stated', 0.1],
  ['not_recorded', 0.16],
])
const RELATIONSHIP = shares([
  ['partner_or_ex_partner', 0.35],
  ['acquaintance', 0.3],
  ['family_member', 0.12],
  ['stranger', 0.1],
  ['online_contact', 0.05],
  ['position_of_trust', 0.03],
  ['not_known', 0.05],
])
const OTHER_SEXUAL = shares([
  ['20A', 0.45],
  ['17A', 0.08],
  ['22A', 0.12],
  ['22B', 0.1],
  ['20B', 0.1],
  ['21', 0.1],
  ['23', 0.05],
])

/** Further work a prosecutor asks for before deciding (the kinds CPS Core Quality Standard 2 lists). */
const ACTION_ITEMS = [
  'Obtain the forensic results and a statement from the scientist',
  'Take a statement from the first person the complainant told',
  'Review the messages between the complainant and the suspect for the days around the offence',
]

const RATIONALE: Record<number, string> = {
  16: 'The complainant does not support further action; the reasons are recorded and support was offered',
  14: 'The complainant does not support action to identify the suspect',
  15: 'Evidential difficulties prevent further action although the complainant supports it',
  18: 'Investigation complete; no suspect identified after all reasonable lines of enquiry',
  10: 'Formal action against the suspect is not in the public interest (police decision)',
  21: 'Further investigation is not in the public interest (police decision)',
  20: 'Responsibility for the investigation passed to another body',
}

const FULL_CODE_CHARGE = {
  test: 'full_code',
  evidentialStage: 'met',
  evidentialReasoning: 'Consistent accounts supported by independent evidence',
  publicInterestSeriousness: 'Very serious offence',
  publicInterestCulpability: 'High culpability',
  publicInterestHarm: 'Significant harm to the complainant',
  publicInterestAge: 'Adult suspect',
  publicInterestCommunity: 'Local concern',
  publicInterestProportionate: 'Yes',
  publicInterestSources: 'No',
  publicInterest: 'prosecution_required',
  outcome: 'charge',
  charges: 'As set out in the charge sheet',
}
const NO_CHARGE = {
  test: 'full_code',
  evidentialStage: 'not_met',
  evidentialReasoning: 'No realistic prospect of conviction on the evidence',
  outcome: 'nfa_evidential',
}

/**
 * The plan of case `index` for a seed, over `years` years up to `until`: steps after `until` have not happened yet,
 * so recent cases are still open, as they would be.
 */
export function planCase(options: {
  seed: number
  index: number
  years: number
  until: string
  forces: readonly string[]
  /** Other shares than the published ones (tests use this to take every path in a few cases). */
  calibration?: Partial<Calibration>
  /** The configured months before an unanswered action plan may be finalised (ADMIN_FINALISATION_MONTHS). */
  adminFinalisationMonths?: number
}): CasePlan {
  const { seed, index, years, until, forces } = options
  const CALIBRATION: Calibration = { ...PUBLISHED, ...options.calibration }
  const random = randomFor(seed, index)
  const chance = (p: number) => random() < p
  // Steps added later (contacts, special measures, action plans, reviews) draw from a stream of their own, so adding
  // them left the draws of the earlier steps as they were.
  const randomCare = randomFor(seed ^ 0x5bd1e995, index)
  const chanceCare = (p: number) => randomCare() < p
  // And action plans left unanswered, from a third.
  const randomAdmin = randomFor(seed ^ 0x27d4eb2f, index)
  const span = Math.round(years * 365.25)
  // The report date: a day in the span, weighted by the month's seasonality (by rejection).
  let reportedOn = until
  for (let tries = 0; tries < 20; tries++) {
    reportedOn = addDays(until, -Math.floor(random() * span))
    if (random() * 1.12 <= CALIBRATION.monthWeights[Number(reportedOn.slice(5, 7)) - 1]!) break
  }
  const forceCode = forces[Math.floor(random() * forces.length)]!
  const rape = chance(CALIBRATION.rapeShare)
  const adult = chance(CALIBRATION.adultShareOfRape)
  const sex = pick(random, SEX)
  const ageBand =
    rape && adult
      ? pick(
          random,
          AGE.filter((a) => !['under_13', '13_15'].includes(a.value)),
        )
      : pick(random, AGE)
  const code = rape
    ? adult
      ? sex === 'male'
        ? '19F'
        : '19C'
      : ageBand === 'under_13'
        ? sex === 'male'
          ? '19H'
          : '19E'
        : sex === 'male'
          ? '19G'
          : '19D'
    : pick(random, OTHER_SEXUAL)
  const committedFrom = addDays(reportedOn, -Math.floor(random() * 30))
  const referred = chance(CALIBRATION.referredShare)
  const outcome = pick(
    random,
    CALIBRATION.policeOutcomes.map((o) => ({ value: o.code, share: o.share })),
  )
  const unknownSuspect = !referred && (outcome === 18 || outcome === 14)
  const report: CasePlan['report'] = {
    crimeReference: `SYN/${seed}/${index}`,
    reportedOn,
    offences: [{ code, committedFrom }],
    complainants: [
      {
        name: `Synthetic complainant ${index}`,
        sex,
        ageBand,
        ethnicity: pick(random, ETHNICITY),
        disability: pick(random, DISABILITY),
      },
    ],
    suspects: unknownSuspect
      ? [{ unknown: true }]
      : [
          {
            name: `Synthetic suspect ${index}`,
            relationship: pick(random, RELATIONSHIP),
            sex: chance(0.97) ? 'male' : 'female',
            ageBand: pick(
              random,
              AGE.filter((a) => !['under_13', '13_15', '16_17'].includes(a.value)),
            ),
          },
        ],
  }
  const steps: CasePlan['steps'] = []
  let on = addDays(reportedOn, Math.floor(random() * 3))
  const step = (role: string, type: string, data: Record<string, unknown> = {}) => steps.push({ role, type, data, on })
  // Contacts telling the complainant: most the same or the next day, the rest late. They go in date order among the
  // steps (after the steps of their day), as any stage allows them.
  const contacts: CasePlan['steps'] = []
  const tell = (role: string, entitlements: readonly string[], from: string) => {
    const contactedOn = addDays(
      from,
      chanceCare(CALIBRATION.toldOnTimeShare)
        ? Math.floor(randomCare() * 2)
        : days(randomCare, CALIBRATION.daysToldLate, 2),
    )
    contacts.push({
      role,
      type: 'record_victim_contact',
      on: contactedOn,
      data: {
        complainantId: '$complainant',
        contactedOn,
        channel: 'phone',
        direction: 'to_victim',
        summary: 'Told the complainant what has happened and what happens next',
        entitlements: [...entitlements],
      },
    })
    return contactedOn
  }
  // Steps after `until` have not happened yet (in date order, so what is left is a prefix).
  const done = (): CasePlan => {
    const ordered = [...steps.map((s, i) => ({ s, k: 0, i })), ...contacts.map((s, i) => ({ s, k: 1, i }))]
      .sort((a, b) => (a.s.on < b.s.on ? -1 : a.s.on > b.s.on ? 1 : a.k - b.k || a.i - b.i))
      .map((x) => x.s)
    return { index, forceCode, report, steps: ordered.filter((s) => s.on <= until) }
  }
  step('investigator', 'start_investigation')
  tell('investigator', ['vc_support_referral', 'vc_needs_assessment', 'vc_vps_offered'], reportedOn)

  if (!unknownSuspect && chance(CALIBRATION.deviceRequestShare)) {
    const targeted = chance(CALIBRATION.targetedShare)
    on = addDays(on, 1 + Math.floor(random() * 5))
    step('investigator', 'propose_material_request', {
      personId: '$complainant',
      material: 'phone',
      lineOfEnquiry: 'Messages with the suspect around the time of the offence may show what happened',
      alternatives: ['screenshots', 'suspect_device'],
      whyNotEnough: 'Screenshots would not show the dates and the suspect has not given his phone',
      necessity: 'Needed to test both accounts of what happened',
      dateFrom: addDays(committedFrom, -2),
      dateTo: addDays(committedFrom, 2),
      categories: targeted
        ? ['messages']
        : ['messages', 'calls', 'contacts', 'photos', 'social', 'location', 'internet', 'email', 'notes'],
      ...(targeted && { contacts: 'Messages between the complainant and the suspect' }),
    })
    step('police_supervisor', 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve',
      reasons: 'A reasonable line of enquiry, kept to what is needed',
    })
    step('investigator', 'give_material_notice', {
      requestNumber: 1,
      givenOn: on,
      givenTo: 'the_person',
      told: ['what', 'why', 'handling', 'need_not_agree', 'refusal', 'time_without'],
    })
    const refused = chance(CALIBRATION.refusalShare)
    step('investigator', 'record_material_answer', {
      requestNumber: 1,
      answer: refused ? 'refused' : 'agreed',
      answeredOn: on,
      answeredBy: 'the_person',
      ...(!refused && { inWriting: true }),
    })
    if (!refused) {
      step('investigator', 'record_device_taken', {
        requestNumber: 1,
        takenOn: on,
        device: 'Mobile phone',
        voluntary: true,
      })
      on = addDays(on, days(random, CALIBRATION.daysWithoutDevice, 0))
      step('investigator', 'record_device_returned', {
        requestNumber: 1,
        returnedOn: on,
        returnedTo: 'the_person',
      })
    }
  }

  if (!referred) {
    on = addDays(reportedOn, Math.max(days(random, CALIBRATION.daysToPoliceOutcome), daysBetween(reportedOn, on) + 1))
    step('investigator', 'propose_police_outcome', { outcomeCode: outcome, rationale: RATIONALE[outcome] })
    step('police_supervisor', 'sign_off_police_outcome')
    tell('investigator', ['vc_decision'], on)
    return done()
  }

  const referralOn = addDays(
    reportedOn,
    Math.max(days(random, CALIBRATION.daysToReferral), daysBetween(reportedOn, on) + 2),
  )
  if (chance(CALIBRATION.earlyAdviceShare)) {
    on = addDays(referralOn, -Math.max(10, Math.floor(days(random, { median: 40, spread: 0.4 }))))
    if (on <= steps.at(-1)!.on) on = steps.at(-1)!.on
    step('investigator', 'request_early_advice', {
      summary: 'Reported rape; suspect interviewed',
      linesCompleted: 'Account, first complaint, scene',
      linesOngoing: 'Forensic results',
      questions: 'Is a charge likely on the evidence so far?',
    })
    step('prosecutor', 'accept_early_advice')
    step('prosecutor', 'give_early_advice', { advice: 'Complete the forensic work and refer for a charging decision' })
  }
  on = referralOn
  const refer = () => {
    step('investigator', 'prepare_charging_referral', {
      category: 'green',
      linesCompleted: 'All reasonable lines of enquiry',
      linesNotPursued: 'None',
      victimEngagement: 'The complainant supports a prosecution',
    })
    step('police_supervisor', 'sign_off_charging_referral')
  }
  refer()
  const decisionAfter = days(random, CALIBRATION.daysReferralToDecision)
  if (chanceCare(CALIBRATION.actionPlanShare)) {
    // Not ready for a decision: the prosecutor sets further work, the police answer each item and refer again.
    on = addDays(referralOn, days(randomCare, CALIBRATION.daysReferralToActionPlan))
    const items = ACTION_ITEMS.slice(0, 1 + Math.floor(randomCare() * ACTION_ITEMS.length))
    step('prosecutor', 'set_action_plan', {
      items: items.map((description) => ({
        description,
        owner: 'investigator',
        dueWorkingDays: 20,
        proportionality: 'Needed to decide whether the evidence meets the test',
      })),
    })
    if (randomAdmin() < CALIBRATION.actionPlanUnansweredShare) {
      // Never answered: the scheduled job climbs the ladder and, once the period has passed, finalises the case. One
      // "tick" on that day (or on the last day generated) does what the daily ticks would have done by then.
      const allowedFrom = finalisationAllowedFrom(
        on,
        options.adminFinalisationMonths ?? DEFAULT_ADMIN_FINALISATION_MONTHS,
      )
      if (on <= until) {
        on = allowedFrom < until ? allowedFrom : until
        step('system', 'scheduled_tick')
      }
      return done()
    }
    items.forEach((_item, k) => {
      on = addDays(on, days(randomCare, CALIBRATION.daysToAnswerActionItem))
      step('investigator', 'answer_action_item', {
        itemNumber: k + 1,
        answer: 'done',
        details: 'Done; the result is attached to the file',
      })
    })
    refer()
  }
  on = addDays(on, Math.max(1, decisionAfter - daysBetween(referralOn, on)))
  if (!chance(CALIBRATION.chargeShare)) {
    step('prosecutor', 'record_charging_decision', { suspectId: '$suspect', ...NO_CHARGE })
    const toldOn = tell('investigator', ['vc_decision'], on)
    if (!chanceCare(CALIBRATION.vrrRequestShare)) return done()
    // The complainant asks for a review; a unit head who took no part in the decision resolves or reviews it.
    on = addDays(toldOn, 3 + Math.floor(randomCare() * 30))
    step('investigator', 'request_vrr', {
      complainantId: '$complainant',
      scheme: 'cps',
      toldOn,
      receivedOn: on,
      details: 'Asked for the decision not to charge to be looked at again',
    })
    on = addDays(on, 10 + Math.floor(randomCare() * 20))
    const resolved = chanceCare(CALIBRATION.vrrResolvedLocally)
    step('cps_unit_head', 'record_vrr_local_resolution', {
      complainantId: '$complainant',
      result: resolved ? 'resolved' : 'independent_review',
      explanation: 'The decision and the evidence it rested on were explained more fully',
    })
    if (resolved) return done()
    on = addDays(on, 20 + Math.floor(randomCare() * 30))
    const overturned = chanceCare(CALIBRATION.vrrOverturned)
    step('cps_unit_head', 'decide_vrr', {
      complainantId: '$complainant',
      outcome: overturned ? 'overturned' : 'upheld',
      ...(overturned && { reopenTo: 'awaiting_charging_decision' }),
      reasons: overturned
        ? 'The evidence meets the test: the case goes back for a fresh charging decision'
        : 'The decision was right on the evidence available',
    })
    // An overturned decision leaves the case back with the CPS for a fresh decision (not planned further).
    return done()
  }
  step('prosecutor', 'record_charging_decision', { suspectId: '$suspect', ...FULL_CODE_CHARGE })
  step('prosecutor', 'record_charges', {
    suspectId: '$suspect',
    charges: [{ offenceCode: code, description: 'The offence as reported, on the date in the charge sheet' }],
  })
  tell('investigator', ['vc_decision'], on)
  const chargedOn = on
  let hearing = 0
  const hold = (hearingType: string, hearingOn: string) => {
    hearing++
    step('witness_care', 'list_hearing', { hearingType, hearingOn, court: 'Crown Court', receivedOn: on })
    tell('witness_care', ['vc_hearing_date'], on)
    on = hearingOn
    step('witness_care', 'record_hearing_outcome', { hearingNumber: hearing, result: 'held' })
    return hearing
  }
  const sentence = (afterDays: number) => {
    const hearingNumber = hold('sentence', addDays(on, afterDays))
    step('prosecutor', 'record_sentence', {
      suspectId: '$suspect',
      sentence: 'immediate_custody',
      custodyMonths: 96,
      hearingNumber,
      receivedOn: on,
    })
    tell('witness_care', ['vc_outcome'], on)
  }
  hold('first_appearance', addDays(on, days(random, CALIBRATION.daysChargeToFirstHearing)))
  if (chanceCare(CALIBRATION.specialMeasuresShare)) {
    // Applied for while the case is before the court: by the first hearing at the latest in these plans.
    const appliedOn = [addDays(chargedOn, days(randomCare, CALIBRATION.daysChargeToSpecialMeasures)), on].sort()[0]!
    contacts.push({
      role: 'prosecutor',
      type: 'apply_special_measures',
      on: appliedOn,
      data: { complainantId: '$complainant', appliedOn, measures: ['s23', 's24', 's27'] },
    })
  }
  // The magistrates send the case to the Crown Court at the first appearance and take no plea to rape; the pleas
  // are taken at the plea and trial preparation hearing (docs/sources.md section 16).
  const pleadsGuilty = chance(CALIBRATION.guiltyPleaAtFirstHearing)
  const ptph = hold('ptph', addDays(on, days(random, CALIBRATION.daysFirstHearingToPtph)))
  if (pleadsGuilty) {
    step('prosecutor', 'record_plea', { chargeNumber: 1, plea: 'guilty', hearingNumber: ptph })
    sentence(28)
    return done()
  }
  step('prosecutor', 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: ptph })
  const result = pick(random, shares(Object.entries(CALIBRATION.contested)))
  const trialOn = addDays(on, days(random, CALIBRATION.daysPtphToTrial))
  if (result === 'dropped') {
    const further = hold('further', addDays(on, Math.floor(daysBetween(on, trialOn) / 2)))
    step('prosecutor', 'end_charge', {
      chargeNumber: 1,
      how: chance(0.5) ? 'discontinued' : 'no_evidence_offered',
      reason: 'complainant_withdrew',
      reasonDetail: 'The complainant no longer supports the prosecution',
      decidedOn: on,
      hearingNumber: further,
    })
    tell('prosecutor', ['vc_charge_dropped'], on)
    return done()
  }
  const trial = hold('trial', trialOn)
  step('prosecutor', 'record_verdict', {
    chargeNumber: 1,
    verdict: result === 'convicted' ? 'guilty' : 'not_guilty',
    hearingNumber: trial,
    receivedOn: on,
  })
  tell('witness_care', ['vc_outcome'], on)
  if (result === 'convicted') {
    sentence(35)
  }
  return done()
}
