import { describe, expect, it } from 'vitest'
import { contributionsOf, MEASURES, milestonesOf, type MeasureCase } from '../../src/modules/performance/measures'
import {
  caseBreakdowns,
  dayBucket,
  nextQuarter,
  percentiles,
  quarterLabel,
  quarterOf,
} from '../../src/modules/performance/breakdowns'
import { cellDelta, cellsOfCase } from '../../src/services/measure-projection'

let seq = 0
const ev = (type: string, occurredOn: string, data: Record<string, unknown> = {}) => ({
  seq: ++seq,
  type,
  occurredOn,
  data,
})
const clock = (ruleId: string, due: string, status: string, late = false) => ({
  ruleId,
  due,
  status,
  late,
  metOn: status === 'met' ? due : null,
})
const base = (over: Partial<MeasureCase>): MeasureCase => ({
  reportedOn: '2025-04-01',
  forceCode: 'avon-and-somerset',
  areaCode: 'cps-south-west',
  finalOutcome: null,
  policeOutcomeCode: null,
  finalisedOn: null,
  rape: true,
  adultRape: true,
  complainant: { ageBand: '18_24', sex: 'female', ethnicity: 'white', disability: 'no' },
  relationship: 'acquaintance',
  timeline: [],
  clocks: [],
  ...over,
})

/**
 * The hand-worked fixture: five reports in April to June 2025. Every expected figure below was worked out by hand
 * from these timelines (the working is in the comments), not by running the code.
 */
const A = base({
  reportedOn: '2025-04-01',
  finalOutcome: 'convicted_plea',
  finalisedOn: '2025-06-30',
  timeline: [
    ev('record_report', '2025-04-01'),
    ev('request_early_advice', '2025-04-10'),
    ev('sign_off_charging_referral', '2025-05-01'),
    ev('record_charging_decision', '2025-05-21', { outcome: 'charge' }),
    // Sent to the Crown Court at the first appearance (no plea to rape there); a guilty plea at the PTPH.
    ev('list_hearing', '2025-05-22', { hearingType: 'first_appearance', hearingOn: '2025-05-23' }),
    ev('list_hearing', '2025-05-23', { hearingType: 'ptph', hearingOn: '2025-06-02' }),
    ev('record_plea', '2025-06-02', { chargeNumber: 1, plea: 'guilty', hearingNumber: 2 }),
  ],
  clocks: [clock('vc_decision', '2025-05-22', 'met'), clock('charging_decision_time', '2025-05-29', 'met')],
})
const B = base({
  reportedOn: '2025-04-15',
  finalOutcome: 'cps_no_further_action',
  finalisedOn: '2025-07-15',
  complainant: { ageBand: null, sex: 'male', ethnicity: null, disability: null },
  relationship: null,
  timeline: [
    ev('record_report', '2025-04-15'),
    ev('sign_off_charging_referral', '2025-06-01'),
    ev('record_charging_decision', '2025-07-15', { outcome: 'nfa_evidential' }),
    ev('request_vrr', '2025-07-20', { scheme: 'cps' }),
    ev('decide_vrr', '2025-08-01', { outcome: 'upheld' }),
  ],
  clocks: [
    clock('charging_decision_time', '2025-06-29', 'met', true),
    clock('vc_decision', '2025-07-16', 'overdue'),
    clock('vc_support_referral', '2025-04-17', 'running'),
  ],
})
const C = base({
  reportedOn: '2025-05-01',
  rape: false,
  adultRape: false,
  finalOutcome: 'police_outcome',
  policeOutcomeCode: 16,
  finalisedOn: '2025-06-10',
  timeline: [ev('record_report', '2025-05-01'), ev('sign_off_police_outcome', '2025-06-10')],
})
const D = base({
  reportedOn: '2025-05-10',
  finalOutcome: 'discontinued',
  finalisedOn: '2025-09-01',
  timeline: [
    ev('record_report', '2025-05-10'),
    ev('propose_material_request', '2025-05-12', { material: 'phone', categories: ['messages', 'photos'] }),
    ev('record_material_answer', '2025-05-13', { requestNumber: 1, answer: 'agreed', answeredOn: '2025-05-13' }),
    ev('record_device_taken', '2025-05-13', { requestNumber: 1, takenOn: '2025-05-13' }),
    ev('record_device_returned', '2025-05-16', { requestNumber: 1, returnedOn: '2025-05-16' }),
    ev('propose_material_request', '2025-05-18', { material: 'medical', holder: 'GP' }),
    ev('record_material_answer', '2025-05-20', { requestNumber: 2, answer: 'refused', answeredOn: '2025-05-20' }),
    ev('set_action_plan', '2025-05-20', { items: [{}, {}] }),
    ev('answer_action_item', '2025-05-30', { itemNumber: 1 }),
    ev('answer_action_item', '2025-06-19', { itemNumber: 2 }),
    ev('sign_off_charging_referral', '2025-06-20'),
    ev('record_charging_decision', '2025-07-01', { outcome: 'charge' }),
    ev('list_hearing', '2025-07-02', { hearingOn: '2025-07-10' }),
    ev('record_hearing_outcome', '2025-07-09', { hearingNumber: 1, result: 'vacated' }),
    ev('list_hearing', '2025-07-09', { hearingOn: '2025-07-20' }),
    ev('list_hearing', '2025-07-20', { hearingOn: '2025-08-10' }),
    ev('list_hearing', '2025-08-10', { hearingOn: '2025-09-01' }),
    ev('end_charge', '2025-09-01', { how: 'discontinued', hearingNumber: 4, decidedOn: '2025-09-01' }),
  ],
})
const E = base({ reportedOn: '2025-06-01', timeline: [ev('record_report', '2025-06-01')] })
const FIXTURE = [A, B, C, D, E]

/** Adds up contributions the simple way: numerators, denominators, categories and days, per measure. */
function totals(id: string, cases = FIXTURE, quarter?: string) {
  const all = cases
    .flatMap(contributionsOf)
    .filter((c) => c.measureId === id && (!quarter || quarterOf(c.contribution.on) === quarter))
    .map((c) => c.contribution)
  const n = all.reduce((s, c) => s + c.numerator, 0)
  const d = all.reduce((s, c) => s + c.denominator, 0)
  const byCategory: Record<string, [number, number]> = {}
  for (const c of all) {
    if (c.category === undefined) continue
    const [cn, cd] = byCategory[c.category] ?? [0, 0]
    byCategory[c.category] = [cn + c.numerator, cd + c.denominator]
  }
  const days = all.filter((c) => c.days !== undefined).map((c) => c.days!)
  const stats = percentiles(days.map((x) => ({ days: x, count: 1 })))
  return { n, d, byCategory, days: days.sort((a, b) => a - b), median: stats.median, p90: stats.p90 }
}

describe('joint performance measures against a hand-worked fixture', () => {
  it('every measure has an id, words for its definition, numerator, cohort and the events it reads', () => {
    expect(new Set(MEASURES.map((m) => m.id)).size).toBe(MEASURES.length)
    for (const m of MEASURES) {
      expect(m.definition.length, m.id).toBeGreaterThan(40)
      expect(m.numerator.length, m.id).toBeGreaterThan(5)
      expect(m.cohort.length, m.id).toBeGreaterThan(5)
      expect(m.reads.length, m.id).toBeGreaterThan(0)
      expect(m.denominator === null, m.id).toBe(m.kind === 'count' || m.kind === 'duration')
    }
  })

  it('the attrition funnel follows one cohort of reports: 5 reported, 3 referred, 2 charged, 2 at court, 1 convicted', () => {
    expect(totals('attrition_funnel').byCategory).toEqual({
      reported: [5, 5],
      referred: [3, 5], // A, B, D
      charged: [2, 5], // A, D
      reached_court: [2, 5], // A, D listed
      convicted: [1, 5], // A
    })
  })

  it('charge rate: 2 of 3 first decisions charged; by quarter 1 of 1 (Apr-Jun) and 1 of 2 (Jul-Sep)', () => {
    expect(totals('charge_rate')).toMatchObject({ n: 2, d: 3 })
    expect(totals('charge_rate', FIXTURE, '2025-04-01')).toMatchObject({ n: 1, d: 1 })
    expect(totals('charge_rate', FIXTURE, '2025-07-01')).toMatchObject({ n: 1, d: 2 })
  })

  it('police outcomes by code, withdrawal rate and the administratively finalised rate', () => {
    expect(totals('police_outcomes').byCategory).toEqual({ '16': [1, 1] })
    // Investigations with an outcome: A charged, B no further action, C outcome 16, D charged; E still open.
    expect(totals('victim_withdrawal_rate')).toMatchObject({ n: 1, d: 4 })
    // Referred cases whose time with the CPS ended: A and D charged, B no further action; none finalised.
    expect(totals('admin_finalised_rate')).toMatchObject({ n: 0, d: 3 })
  })

  it('timeliness medians and 90th percentiles (nearest rank)', () => {
    // Report to referral: A 30 (1 Apr-1 May), B 47 (15 Apr-1 Jun), D 41 (10 May-20 Jun).
    expect(totals('days_report_to_referral')).toMatchObject({ days: [30, 41, 47], median: 41, p90: 47 })
    // Referral to decision: A 20, B 44, D 11.
    expect(totals('days_referral_to_decision')).toMatchObject({ days: [11, 20, 44], median: 20, p90: 44 })
    // Report to charge: A 50, D 52. Charge to completion: A 40 (21 May-30 Jun), D 62 (1 Jul-1 Sep).
    expect(totals('days_report_to_charge')).toMatchObject({ days: [50, 52], median: 50, p90: 52 })
    expect(totals('days_charge_to_completion')).toMatchObject({ days: [40, 62], median: 40, p90: 62 })
    // D's two action plan items, set 20 May, answered 30 May and 19 June.
    expect(totals('days_to_answer_action_item')).toMatchObject({ days: [10, 30], median: 10, p90: 30 })
  })

  it("victims: Victims' Code on time, right to review outcomes", () => {
    // A's decision entitlement met on time, B's overdue; B's running support referral is not yet counted.
    expect(totals('victims_code_on_time')).toMatchObject({ n: 1, d: 2 })
    expect(totals('vrr_outcomes').byCategory).toEqual({ upheld: [1, 1] })
  })

  it('digital evidence: targeted device scopes, days without the device, refusals', () => {
    expect(totals('device_requests_targeted')).toMatchObject({ n: 1, d: 1 }) // messages and photos only
    expect(totals('days_without_device')).toMatchObject({ days: [3], median: 3 })
    expect(totals('material_request_refusals')).toMatchObject({ n: 1, d: 2 })
    const whole = base({
      timeline: [ev('propose_material_request', '2025-05-01', { material: 'phone', categories: [] })],
    })
    expect(totals('device_requests_targeted', [whole])).toMatchObject({ n: 0, d: 1 })
  })

  it("the strategy's success measures", () => {
    expect(totals('charging_decisions_on_time')).toMatchObject({ n: 1, d: 2 }) // A on time, B late
    // D was discontinued at its 4th listed hearing, the 3rd not vacated; A ended with a plea.
    expect(totals('dropped_at_third_hearing')).toMatchObject({ n: 1, d: 2 })
    expect(totals('guilty_plea_first_hearing')).toMatchObject({ n: 1, d: 2 }) // A only
    expect(totals('decision_letters_on_time')).toMatchObject({ n: 1, d: 2 })
  })

  it('Rape Review headline volumes count adult rape only, in the quarter of each step', () => {
    expect(totals('adult_rape_referrals', FIXTURE, '2025-04-01')).toMatchObject({ n: 3 }) // A (advice), B, D
    expect(totals('adult_rape_charges', FIXTURE, '2025-04-01')).toMatchObject({ n: 1 }) // A
    expect(totals('adult_rape_charges', FIXTURE, '2025-07-01')).toMatchObject({ n: 1 }) // D
    expect(totals('adult_rape_crown_court_receipts')).toMatchObject({ n: 2 })
    expect(totals('adult_rape_referrals', [C])).toMatchObject({ n: 0 }) // other sexual offence
  })

  it('an administratively finalised referral, and the other review results, each counted once', () => {
    const F = base({
      reportedOn: '2025-04-02',
      finalOutcome: 'administratively_finalised',
      finalisedOn: '2025-09-10',
      timeline: [
        ev('record_report', '2025-04-02'),
        ev('sign_off_charging_referral', '2025-05-01'),
        ev('set_action_plan', '2025-05-20', { items: [{}] }),
        ev('administratively_finalise', '2025-09-10'),
        ev('request_vrr', '2025-09-12', { scheme: 'cps' }),
        ev('record_vrr_local_resolution', '2025-09-20', { result: 'resolved' }),
      ],
    })
    const G = base({
      timeline: [
        ev('record_vrr_local_resolution', '2025-06-01', { result: 'independent_review' }),
        ev('decide_vrr', '2025-07-01', { outcome: 'overturned' }),
      ],
    })
    expect(totals('admin_finalised_rate', [F])).toMatchObject({ n: 1, d: 1 })
    expect(totals('admin_finalised_rate', [...FIXTURE, F])).toMatchObject({ n: 1, d: 4 })
    expect(totals('victim_withdrawal_rate', [F])).toMatchObject({ n: 0, d: 1 }) // an outcome, not a withdrawal
    expect(totals('vrr_outcomes', [F, G]).byCategory).toEqual({ resolved_locally: [1, 1], overturned: [1, 1] })
  })

  it('milestones: the first hearing not vacated, hearings numbered in order of listing', () => {
    const m = milestonesOf(D)
    expect(m.hearings.map((h) => [h.number, h.vacated])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
    ])
    expect(m.firstHearingOn).toBe('2025-07-20')
  })

  it('breakdowns show "not recorded" rather than dropping a case', () => {
    expect(caseBreakdowns(B)).toEqual({
      offence_group: 'rape',
      relationship: 'not_recorded',
      age_band: 'not_recorded',
      sex: 'male',
      ethnicity: 'not_recorded',
      disability: 'not_recorded',
    })
    expect(
      caseBreakdowns(base({ complainant: { ageBand: 'invented', sex: null, ethnicity: null, disability: null } }))
        .age_band,
    ).toBe('not_recorded')
  })

  it('days are kept exactly to a month, then by week, by 30 days and by 90 days', () => {
    expect([0, 31, 32, 38, 39, 182, 183, 212, 213, 730, 731, 5000].map(dayBucket)).toEqual([
      0, 31, 32, 32, 39, 179, 183, 183, 213, 723, 731, 3611,
    ])
    expect(
      percentiles([
        { days: 3, count: 5 },
        { days: 10, count: 4 },
        { days: 40, count: 1 },
      ]),
    ).toEqual({
      count: 10,
      median: 3,
      p90: 10,
    })
  })

  it('financial quarters', () => {
    expect(quarterOf('2025-03-31')).toBe('2025-01-01')
    expect(quarterOf('2025-04-01')).toBe('2025-04-01')
    expect(quarterOf('2025-12-31')).toBe('2025-10-01')
    expect(quarterLabel('2025-04-01')).toBe('2025-26 Q1 (Apr to Jun 2025)')
    expect(quarterLabel('2026-01-01')).toBe('2025-26 Q4 (Jan to Mar 2026)')
    expect(nextQuarter('2025-10-01')).toBe('2026-01-01')
  })

  it("a case's cells: once for all complainants and once per breakdown; an event's difference is only what changed", () => {
    const before = cellsOfCase(E)
    const funnelReported = [...before].filter(([k]) => k.includes('"attrition_funnel"') && k.includes('"reported"'))
    expect(funnelReported).toHaveLength(12) // 'all' and five personal breakdowns, for the force and nationally
    const after = cellsOfCase({ ...E, timeline: [...E.timeline, ev('sign_off_charging_referral', '2025-06-10')] })
    const delta = cellDelta(before, after)
    // Twelve cells in each of the three measures a referral counts in, and nothing else.
    expect(delta).toHaveLength(36)
    expect([...new Set(delta.map((d) => d.key[0]))]).toEqual([
      'adult_rape_referrals',
      'attrition_funnel',
      'days_report_to_referral',
    ])
    // The referred stage moves from 0 to 1 in each of the twelve cells; nothing else about the funnel changes.
    const funnel = delta.filter((d) => d.key[0] === 'attrition_funnel')
    expect(funnel.map((d) => [d.key[1], d.key[7], d.numerator, d.denominator])).toEqual(
      ['age_band', 'all', 'disability', 'ethnicity', 'relationship', 'sex'].flatMap((breakdown) => [
        [breakdown, 'referred', 1, 0],
        [breakdown, 'referred', 1, 0],
      ]),
    )
    expect(funnel).toHaveLength(12)
    expect(cellDelta(after, after)).toEqual([])
  })
})

describe('the Crown Court and the first hearing (docs/sources.md section 16)', () => {
  // A hand-worked case recorded before pleas at the first appearance were refused: a guilty plea recorded at the
  // magistrates' first appearance, listed again twice in the Crown Court.
  const early = base({
    finalOutcome: 'convicted_plea',
    finalisedOn: '2025-08-01',
    timeline: [
      ev('report', '2025-04-01'),
      ev('record_charging_decision', '2025-05-01', { outcome: 'charge' }),
      ev('list_hearing', '2025-05-02', { hearingType: 'first_appearance', hearingOn: '2025-05-03' }),
      ev('record_plea', '2025-05-03', { chargeNumber: 1, plea: 'guilty', hearingNumber: 1 }),
      ev('list_hearing', '2025-05-03', { hearingType: 'ptph', hearingOn: '2025-07-10' }),
      ev('list_hearing', '2025-07-10', { hearingType: 'sentence', hearingOn: '2025-08-01' }),
    ],
  })
  const of = (id: string) => contributionsOf(early).filter((c) => c.measureId === id)

  it('counts a guilty plea only at the first hearing in the Crown Court, not at the first appearance', () => {
    expect(of('guilty_plea_first_hearing').map((c) => c.contribution)).toEqual([
      expect.objectContaining({ on: '2025-08-01', numerator: 0, denominator: 1 }),
    ])
  })

  it('counts a case once as a Crown Court receipt, on the day it was sent (the first appearance)', () => {
    expect(milestonesOf(early).sentOn).toBe('2025-05-03')
    expect(of('adult_rape_crown_court_receipts').map((c) => c.contribution)).toEqual([
      expect.objectContaining({ on: '2025-05-03', numerator: 1 }),
    ])
  })
})
