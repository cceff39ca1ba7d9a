import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseGovUkBankHolidays, WorkingDayCalendar } from '../../src/core/calendar'
import { type TimelineFact } from '../../src/core/clocks'
import { deriveClocks } from '../../src/modules/registry'
import { courtOutcome, firstCrownCourtHearing, hearingsReached } from '../../src/modules/court/outcomes'
import { type CaseFacts, stageAfter } from '../../src/core/event-model'
import { eventDefinition } from '../../src/modules/registry'
import { vrrIneligible } from '../../src/modules/victim-care/vrr'
import { CPS_VICTIM_CLOCK_IDS, WITNESS_CARE_CLOCK_IDS } from '../../src/modules/victim-care/victims-code'
import { caseFacts, COMPLAINANT, SUSPECT } from '../helpers/facts'

const shipped = parseGovUkBankHolidays(JSON.parse(fs.readFileSync('reference-data/bank-holidays.json', 'utf8')))
const calendar = new WorkingDayCalendar(shipped.holidays, shipped)
const SECOND = '55555555-5555-4555-8555-555555555555'
const prosecutor = { id: 'prosecutor-1', roles: ['prosecutor' as const], orgCode: 'cps-south-west' }
const fact = (seq: number, type: string, occurredOn: string, data: Record<string, unknown> = {}): TimelineFact => ({
  seq,
  type,
  occurredOn,
  data,
})

type Charge = CaseFacts['charges'][number]
const charge = (number: number, over: Partial<Charge> = {}): Charge => ({
  number,
  suspectId: SUSPECT,
  offenceCode: '19C',
  plea: null,
  result: null,
  ...over,
})

/** A charged case at court: hearing 1 held (PTPH), hearing 2 vacated, hearing 3 held, hearing 4 listed ahead. */
const atCourt = (over: Partial<CaseFacts> = {}) =>
  caseFacts({
    stage: 'charged',
    decisions: [{ suspectId: SUSPECT, outcome: 'charge' }],
    hearings: [
      { number: 1, type: 'ptph', on: '2026-09-01', status: 'held' },
      { number: 2, type: 'trial', on: '2026-10-01', status: 'vacated' },
      { number: 3, type: 'trial', on: '2026-11-02', status: 'adjourned' },
      { number: 4, type: 'trial', on: '2027-02-01', status: 'listed' },
    ],
    charges: [charge(1), charge(2)],
    ...over,
  })

describe('the final outcome at court, derived', () => {
  it('waits until every charge has a result and a convicted defendant is sentenced', () => {
    expect(courtOutcome(atCourt())).toBeNull()
    const pleaded = atCourt({ charges: [charge(1, { plea: 'guilty', result: 'convicted_plea' }), charge(2)] })
    expect(courtOutcome(pleaded)).toBeNull()
    const lieOnFile = { ...pleaded, charges: [pleaded.charges[0]!, charge(2, { result: 'left_on_file' })] }
    expect(courtOutcome(lieOnFile)).toBeNull()
    expect(courtOutcome({ ...lieOnFile, sentenced: [SUSPECT] })).toBe('convicted_plea')
  })

  it('takes a conviction before an acquittal, and a trial conviction before a plea, across defendants', () => {
    const two = (a: Charge['result'], b: Charge['result']) =>
      courtOutcome({
        people: [
          { id: SUSPECT, role: 'suspect', unknown: false },
          { id: SECOND, role: 'suspect', unknown: false },
        ],
        decisions: [
          { suspectId: SUSPECT, outcome: 'charge' },
          { suspectId: SECOND, outcome: 'charge' },
        ],
        charges: [charge(1, { result: a }), charge(2, { suspectId: SECOND, result: b })],
        sentenced: [SUSPECT, SECOND],
      })
    expect(two('acquitted', 'convicted_plea')).toBe('convicted_plea')
    expect(two('convicted_trial', 'convicted_plea')).toBe('convicted_trial')
    expect(two('acquitted', 'discontinued')).toBe('acquitted')
    expect(two('discontinued', 'no_evidence_offered')).toBe('no_evidence_offered')
    expect(two('left_on_file', 'discontinued')).toBe('discontinued')
    expect(two('acquitted', null)).toBeNull()
  })

  it('waits for a suspect still without a charging decision, and needs charges recorded', () => {
    const people = [
      { id: SUSPECT, role: 'suspect' as const, unknown: false },
      { id: SECOND, role: 'suspect' as const, unknown: false },
    ]
    expect(courtOutcome(atCourt({ people, charges: [charge(1, { result: 'acquitted' })] }))).toBeNull()
    expect(courtOutcome(atCourt({ charges: [] }))).toBeNull()
    // A suspect the CPS decided not to charge is resolved already.
    expect(
      courtOutcome(
        atCourt({
          people,
          decisions: [
            { suspectId: SUSPECT, outcome: 'charge' },
            { suspectId: SECOND, outcome: 'nfa_evidential' },
          ],
          charges: [charge(1, { result: 'acquitted' })],
        }),
      ),
    ).toBe('acquitted')
  })

  it('finalises the case with the last result, from the event that gives it', () => {
    const endCharge = eventDefinition('end_charge')!
    const oneLeft = atCourt({ charges: [charge(1, { result: 'acquitted' }), charge(2, { plea: 'not_guilty' })] })
    const data = { chargeNumber: 2, how: 'no_evidence_offered', hearingNumber: 3 }
    expect(stageAfter(endCharge, oneLeft, data)).toBe('finalised')
    expect(endCharge.project!(data, oneLeft, prosecutor)).toEqual({
      finalOutcome: 'acquitted',
      finalisedOn: oneLeft.today,
    })
    expect(stageAfter(endCharge, atCourt(), data)).toBe('charged')
    expect(endCharge.project!(data, atCourt(), prosecutor)).toEqual({})

    const verdict = eventDefinition('record_verdict')!
    const hung = { chargeNumber: 2, verdict: 'no_verdict', hearingNumber: 3 }
    expect(stageAfter(verdict, oneLeft, hung)).toBe('charged')
    const sentence = eventDefinition('record_sentence')!
    const convicted = atCourt({ charges: [charge(1, { plea: 'guilty', result: 'convicted_plea' })] })
    expect(stageAfter(sentence, convicted, { suspectId: SUSPECT })).toBe('finalised')
  })
})

describe('court event rules', () => {
  it('a verdict needs a not guilty plea, and a plea a hearing that took place', () => {
    const verdict = eventDefinition('record_verdict')!
    const plea = eventDefinition('record_plea')!
    const f = atCourt({ charges: [charge(1), charge(2, { plea: 'not_guilty' }), charge(3, { result: 'acquitted' })] })
    expect(verdict.guard!(f, prosecutor, { chargeNumber: 1, hearingNumber: 3 })).toMatch(/plea on this charge first/)
    expect(verdict.guard!(f, prosecutor, { chargeNumber: 2, hearingNumber: 3 })).toBeNull()
    expect(verdict.guard!(f, prosecutor, { chargeNumber: 3, hearingNumber: 3 })).toMatch(/already has its result/)
    expect(verdict.guard!(f, prosecutor, { chargeNumber: 9, hearingNumber: 3 })).toMatch(/Select a charge/)
    expect(plea.guard!(f, prosecutor, { chargeNumber: 1, plea: 'guilty', hearingNumber: 2 })).toMatch(/vacated/)
    expect(plea.guard!(f, prosecutor, { chargeNumber: 1, plea: 'guilty', hearingNumber: 4 })).toMatch(/not taken place/)
    expect(plea.guard!(f, prosecutor, { chargeNumber: 1, plea: 'guilty', hearingNumber: 7 })).toMatch(
      /Select a hearing/,
    )
    expect(plea.guard!(f, prosecutor, { chargeNumber: 2, plea: 'not_guilty', hearingNumber: 3 })).toMatch(/already/)
    // A change of plea to guilty later is recorded the same way.
    expect(plea.guard!(f, prosecutor, { chargeNumber: 2, plea: 'guilty', hearingNumber: 3 })).toBeNull()
  })

  it('charges are recorded only for a suspect the CPS decided to charge', () => {
    const record = eventDefinition('record_charges')!
    expect(record.guard!(atCourt(), prosecutor, { suspectId: SUSPECT })).toBeNull()
    expect(
      record.guard!(atCourt({ decisions: [{ suspectId: SUSPECT, outcome: 'nfa_evidential' }] }), prosecutor, {
        suspectId: SUSPECT,
      }),
    ).toMatch(/decided to charge/)
  })

  it('a sentence is for a convicted defendant, once, with a length for custody', () => {
    const sentence = eventDefinition('record_sentence')!
    expect(sentence.precondition!(atCourt(), prosecutor)).toMatch(/waiting to be sentenced/)
    const convicted = atCourt({ charges: [charge(1, { result: 'convicted_trial' })] })
    expect(sentence.precondition!(convicted, prosecutor)).toBeNull()
    expect(sentence.guard!({ ...convicted, sentenced: [SUSPECT] }, prosecutor, { suspectId: SUSPECT })).toMatch(
      /already recorded/,
    )
    const parsed = sentence.schema.safeParse({
      suspectId: SUSPECT,
      sentence: 'immediate_custody',
      hearingNumber: 3,
      receivedOn: '2026-11-02',
    })
    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual(['custodyMonths'])
    const community = sentence.schema.safeParse({
      suspectId: SUSPECT,
      sentence: 'community',
      custodyMonths: 6,
      hearingNumber: 3,
      receivedOn: '2026-11-02',
    })
    expect(community.error?.issues[0]?.message).toMatch(/goes with custody/)
  })

  it('no evidence offered and left on file need the hearing; a discontinuance by notice does not', () => {
    const end = eventDefinition('end_charge')!
    const base = {
      chargeNumber: 1,
      reason: 'evidence_changed',
      reasonDetail: 'The forensic report no longer supports the account',
      decidedOn: '2026-11-02',
    }
    expect(end.schema.safeParse({ ...base, how: 'discontinued' }).success).toBe(true)
    for (const how of ['no_evidence_offered', 'left_on_file']) {
      const parsed = end.schema.safeParse({ ...base, how })
      expect(parsed.error?.issues[0]).toMatchObject({ path: ['hearingNumber'] })
    }
  })

  it('counts the first hearing and the hearings reached without vacated ones', () => {
    const hearings = atCourt().hearings
    expect(firstCrownCourtHearing(hearings)).toBe(1)
    expect(
      firstCrownCourtHearing([{ number: 1, type: 'ptph', on: '2026-01-01', status: 'vacated' }, ...hearings.slice(1)]),
    ).toBe(3)
    // The first appearance before the magistrates is not a Crown Court hearing (docs/sources.md section 16).
    expect(
      firstCrownCourtHearing([{ number: 1, type: 'first_appearance', on: '2026-08-01', status: 'held' }, ...hearings]),
    ).toBe(1)
    expect(
      firstCrownCourtHearing([
        { number: 1, type: 'first_appearance', on: '2026-08-01', status: 'held' },
        { number: 2, type: 'ptph', on: '2026-09-01', status: 'held' },
      ]),
    ).toBe(2)
    expect(hearingsReached(hearings, '2026-11-25', 3)).toBe(2)
    expect(hearingsReached(hearings, '2026-11-25')).toBe(2)
    expect(hearingsReached(hearings, '2027-03-01')).toBe(3)
  })

  it('takes no plea to rape at the first appearance before the magistrates, and takes one at the PTPH', () => {
    // A hand-worked case: charged with rape (19C) and sexual assault (20A); sent to the Crown Court at the first
    // appearance (hearing 1), pleas at the plea and trial preparation hearing (hearing 2).
    const sent = atCourt({
      hearings: [
        { number: 1, type: 'first_appearance', on: '2026-09-01', status: 'held' },
        { number: 2, type: 'ptph', on: '2026-09-29', status: 'held' },
      ],
      charges: [charge(1, { offenceCode: '19C' }), charge(2, { offenceCode: '20A' })],
    })
    const plea = eventDefinition('record_plea')!
    expect(plea.guard!(sent, prosecutor, { chargeNumber: 1, plea: 'guilty', hearingNumber: 1 })).toBe(
      'Rape is tried only in the Crown Court: the magistrates send the case there at the first appearance and take no plea. Record the plea at the plea and trial preparation hearing',
    )
    expect(plea.guard!(sent, prosecutor, { chargeNumber: 1, plea: 'guilty', hearingNumber: 2 })).toBeNull()
    // Sexual assault is triable either way: the magistrates may take a plea to it.
    expect(plea.guard!(sent, prosecutor, { chargeNumber: 2, plea: 'not_guilty', hearingNumber: 1 })).toBeNull()
  })

  it('the CPS review scheme covers a prosecution stopped at court, and a verdict cannot be reopened here', () => {
    const finalised = (finalOutcome: string) => atCourt({ stage: 'finalised', finalOutcome })
    expect(vrrIneligible(finalised('discontinued'), 'cps')).toBeNull()
    expect(vrrIneligible(finalised('no_evidence_offered'), 'cps')).toBeNull()
    expect(vrrIneligible(finalised('left_on_file'), 'cps')).toBeNull()
    expect(vrrIneligible(finalised('acquitted'), 'cps')).toMatch(/no decision|none on this case/)
    const reopen = eventDefinition('reopen')!
    expect(reopen.precondition!(finalised('convicted_trial'), prosecutor)).toMatch(/not reopened here/)
    expect(reopen.precondition!(finalised('acquitted'), prosecutor)).toMatch(/not reopened here/)
    expect(reopen.precondition!(finalised('discontinued'), prosecutor)).toBeNull()
  })
})

describe('court clocks', () => {
  const victims = { complainants: [{ id: COMPLAINANT, since: 1 }], enhanced: true }

  it('times each direction to its date, the prosecution’s apart from the rest, re-dated when the court varies it', () => {
    const timeline = [
      fact(20, 'record_directions', '2026-11-02', {
        hearingNumber: 3,
        directions: [
          { description: 'Serve the expert report', party: 'prosecution', dueOn: '2026-11-20' },
          { description: 'Serve the defence statement', party: 'defence', dueOn: '2026-11-27' },
          { description: 'Agree facts', party: 'both', dueOn: '2026-12-04' },
        ],
      }),
      fact(21, 'record_direction_compliance', '2026-11-23', {
        directionNumber: 1,
        outcome: 'complied',
        compliedOn: '2026-11-23',
      }),
      fact(22, 'record_direction_compliance', '2026-11-24', {
        directionNumber: 3,
        outcome: 'varied',
        newDueOn: '2026-12-18',
        reason: 'The defence expert is unwell',
      }),
    ]
    const clocks = deriveClocks(timeline, calendar, '2026-11-30')
    const byKey = Object.fromEntries(clocks.map((c) => [c.key, c]))
    expect(byKey['1']).toMatchObject({ ruleId: 'court_direction_prosecution', status: 'met', late: true })
    expect(byKey['2']).toMatchObject({ ruleId: 'court_direction_other', due: '2026-11-27', status: 'overdue' })
    expect(byKey['3']).toMatchObject({ ruleId: 'court_direction_prosecution', due: '2026-12-18', status: 'running' })
    expect(byKey['3']!.explanation.at(-1)).toMatch(/Re-dated to 2026-12-18/)
  })

  it('a dropped or substantially altered charge: the complainant is told within 1 working day, by the CPS', () => {
    const clocks = deriveClocks(
      [
        fact(30, 'amend_charge', '2026-12-24', { chargeNumber: 1, substantial: false, decidedOn: '2026-12-23' }),
        fact(31, 'end_charge', '2026-12-24', { chargeNumber: 2, how: 'discontinued', decidedOn: '2026-12-24' }),
      ],
      calendar,
      '2026-12-24',
      {},
      undefined,
      victims,
    )
    expect(clocks).toHaveLength(1)
    // Christmas Eve: Christmas Day, Boxing Day (Saturday) and its substitute Monday 28 December are skipped.
    expect(clocks[0]).toMatchObject({ ruleId: 'vc_charge_dropped', key: COMPLAINANT, due: '2026-12-29' })
    expect(CPS_VICTIM_CLOCK_IDS).toContain('vc_charge_dropped')
    const notEnhanced = deriveClocks(
      [fact(31, 'end_charge', '2026-12-24', { decidedOn: '2026-12-24' })],
      calendar,
      '2026-12-24',
      {},
      undefined,
      { ...victims, enhanced: false },
    )
    expect(notEnhanced[0]!.due).toBe('2027-01-05')
  })

  it('a verdict and a sentence: witness care tells the complainant within 1 working day of receiving them', () => {
    const clocks = deriveClocks(
      [
        fact(40, 'record_verdict', '2027-04-01', { verdict: 'guilty', receivedOn: '2027-03-26' }),
        fact(41, 'record_victim_contact', '2027-04-01', {
          complainantId: COMPLAINANT,
          contactedOn: '2027-03-29',
          entitlements: ['vc_outcome'],
        }),
        fact(42, 'record_sentence', '2027-04-01', { suspectId: SUSPECT, receivedOn: '2027-04-01' }),
      ],
      calendar,
      '2027-04-06',
      {},
      undefined,
      victims,
    )
    expect(clocks.map((c) => [c.ruleId, c.due, c.status, c.late])).toEqual([
      // Received on Good Friday (26 March 2027); Easter Monday (29 March) is not a working day either.
      ['vc_outcome', '2027-03-30', 'met', false],
      ['vc_outcome', '2027-04-02', 'overdue', false],
    ])
    expect(WITNESS_CARE_CLOCK_IDS).toContain('vc_outcome')
  })
})
