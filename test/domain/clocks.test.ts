import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseGovUkBankHolidays, WorkingDayCalendar } from '../../src/core/calendar'
import { type TimelineFact } from '../../src/core/clocks'
import { CLOCK_RULES, deriveClocks } from '../../src/modules/registry'
import { EVENT_DEFINITIONS } from '../../src/modules/registry'
import { REPORT_EVENT } from '../../src/core/event-model'

const shipped = parseGovUkBankHolidays(JSON.parse(fs.readFileSync('reference-data/bank-holidays.json', 'utf8')))
const calendar = new WorkingDayCalendar(shipped.holidays, shipped)
const S1 = 'suspect-1'
const S2 = 'suspect-2'
const fact = (seq: number, type: string, occurredOn: string, data: Record<string, unknown> = {}): TimelineFact => ({
  seq,
  type,
  occurredOn,
  data,
})

describe('clock rules', () => {
  it('name only events that exist', () => {
    const types = new Set([...EVENT_DEFINITIONS.map((d) => d.type), REPORT_EVENT.type])
    for (const rule of CLOCK_RULES) {
      for (const type of [...rule.startsOn, ...rule.metBy, ...rule.cancelledBy])
        expect(types, `${rule.id}: ${type}`).toContain(type)
      expect(rule.source.length).toBeGreaterThan(10)
    }
  })
})

describe('deriving clocks from the timeline', () => {
  it('times a proposed outcome in working days and stops it at sign-off', () => {
    const running = deriveClocks(
      [fact(2, 'propose_police_outcome', '2026-12-23', { outcomeCode: 16 })],
      calendar,
      '2026-12-24',
    )
    expect(running).toHaveLength(1)
    expect(running[0]).toMatchObject({
      ruleId: 'police_outcome_sign_off',
      from: '2026-12-23',
      due: '2027-01-04',
      status: 'running',
    })
    expect(running[0]!.explanation.at(-1)).toContain('Due by the end of 2027-01-04')
    const overdue = deriveClocks([fact(2, 'propose_police_outcome', '2026-12-23')], calendar, '2027-01-05')
    expect(overdue[0]!.status).toBe('overdue')
    const met = deriveClocks(
      [fact(2, 'propose_police_outcome', '2026-12-23'), fact(3, 'sign_off_police_outcome', '2027-01-05')],
      calendar,
      '2027-01-06',
    )
    expect(met[0]).toMatchObject({ status: 'met', late: true, stoppedBy: { seq: 3, reason: 'met' } })
  })

  it('uses an administrator’s period for a configurable rule', () => {
    const clocks = deriveClocks([fact(2, 'propose_police_outcome', '2026-01-05')], calendar, '2026-01-05', {
      police_outcome_sign_off: 2,
    })
    expect(clocks[0]!.due).toBe('2026-01-07')
  })

  it('keeps one bail clock per suspect; new bail supersedes, release under investigation cancels', () => {
    const clocks = deriveClocks(
      [
        fact(3, 'record_bail', '2026-01-10', { suspectId: S1, returnOn: '2026-02-10' }),
        fact(4, 'record_bail', '2026-01-11', { suspectId: S2, returnOn: '2026-02-11' }),
        fact(5, 'record_bail', '2026-02-09', { suspectId: S1, returnOn: '2026-03-09' }),
        fact(6, 'record_released_under_investigation', '2026-02-10', { suspectId: S2 }),
      ],
      calendar,
      '2026-03-10',
    )
    expect(clocks.map((c) => [c.key, c.due, c.status, c.stoppedBy?.reason ?? null])).toEqual([
      [S1, '2026-02-10', 'cancelled', 'superseded'],
      [S2, '2026-02-11', 'cancelled', 'cancelled'],
      [S1, '2026-03-09', 'overdue', null],
    ])
  })

  it('re-dates when an event is corrected (the clock is derived, never stored)', () => {
    const before = deriveClocks([fact(2, 'propose_police_outcome', '2026-04-01')], calendar, '2026-04-01')
    const after = deriveClocks([fact(2, 'propose_police_outcome', '2026-04-02')], calendar, '2026-04-01')
    expect([before[0]!.due, after[0]!.due]).toEqual(['2026-04-10', '2026-04-13'])
  })

  it('reports a date past the known calendar as a problem, not a guess', () => {
    const clocks = deriveClocks([fact(2, 'propose_police_outcome', '2027-12-30')], calendar, '2027-12-30')
    expect(clocks[0]).toMatchObject({ due: null, status: 'running' })
    expect(clocks[0]!.problem).toMatch(/known only until 31 December 2027/)
  })
})

describe('pre-charge clocks', () => {
  it('time early advice in working days and the CPS decision in calendar days', () => {
    const clocks = deriveClocks(
      [
        fact(2, 'request_early_advice', '2026-03-30'),
        fact(3, 'give_early_advice', '2026-04-09'),
        fact(4, 'sign_off_charging_referral', '2026-04-10'),
      ],
      calendar,
      '2026-04-20',
    )
    expect(clocks.map((c) => [c.ruleId, c.due, c.status])).toEqual([
      ['early_advice_response', '2026-04-15', 'met'],
      ['charging_decision_time', '2026-05-08', 'running'],
    ])
  })

  it('start a Full Code Test review clock only for a Threshold Test charge, met by the next decision', () => {
    const clocks = deriveClocks(
      [
        fact(5, 'record_charging_decision', '2026-05-01', {
          suspectId: S1,
          test: 'threshold',
          fullCodeReviewBy: '2026-06-01',
          outcome: 'charge',
        }),
        fact(6, 'record_charging_decision', '2026-05-01', {
          suspectId: S2,
          test: 'full_code',
          outcome: 'nfa_evidential',
        }),
        fact(7, 'record_charging_decision', '2026-05-20', { suspectId: S1, test: 'full_code', outcome: 'charge' }),
      ],
      calendar,
      '2026-06-10',
    )
    expect(clocks.map((c) => [c.ruleId, c.key, c.due, c.status])).toEqual([
      ['threshold_full_code_review', S1, '2026-06-01', 'met'],
    ])
  })
})

describe('action plan clocks', () => {
  it('start one clock per item, numbered across the case, each met by its answer', () => {
    const clocks = deriveClocks(
      [
        fact(5, 'set_action_plan', '2026-12-23', {
          items: [
            { description: 'a', owner: 'investigator', dueWorkingDays: 5, proportionality: 'p' },
            { description: 'b', owner: 'investigator', dueOn: '2027-02-01', proportionality: 'p' },
          ],
        }),
        fact(6, 'answer_action_item', '2027-01-05', { itemNumber: 1, answer: 'done' }),
        fact(7, 'set_action_plan', '2027-02-02', {
          items: [{ description: 'c', owner: 'investigator', dueWorkingDays: 1, proportionality: 'p' }],
        }),
      ],
      calendar,
      '2027-02-05',
    )
    expect(clocks.map((c) => [c.key, c.due, c.status, c.late])).toEqual([
      ['1', '2027-01-04', 'met', true],
      ['2', '2027-02-01', 'overdue', false],
      ['3', '2027-02-03', 'overdue', false],
    ])
  })
})

describe('more time on an action plan item', () => {
  it('re-dates the running clock only when the prosecutor accepts', () => {
    const plan = fact(5, 'set_action_plan', '2026-03-02', {
      items: [{ description: 'a', owner: 'investigator', dueOn: '2026-03-10', proportionality: 'p' }],
    })
    const ask = fact(6, 'request_more_time', '2026-03-05', { itemNumber: 1, proposedDueOn: '2026-03-20' })
    const accepted = deriveClocks(
      [plan, ask, fact(7, 'decide_more_time', '2026-03-06', { itemNumber: 1, decision: 'accept' })],
      calendar,
      '2026-03-15',
    )
    expect(accepted[0]).toMatchObject({ due: '2026-03-20', status: 'running' })
    expect(accepted[0]!.explanation.at(-1)).toBe('Re-dated to 2026-03-20 when more time was agreed on 2026-03-06')
    const rejected = deriveClocks(
      [plan, ask, fact(7, 'decide_more_time', '2026-03-06', { itemNumber: 1, decision: 'reject' })],
      calendar,
      '2026-03-15',
    )
    expect(rejected[0]).toMatchObject({ due: '2026-03-10', status: 'overdue' })
  })
})

describe('Victims’ Code entitlements', () => {
  const A = 'complainant-a'
  const B = 'complainant-b'
  const report = (on: string, reportedOn = on): TimelineFact => ({
    seq: 1,
    type: 'record_report',
    occurredOn: on,
    data: { reportedOn },
  })
  const victims = (enhanced: boolean, later: { id: string; since: number }[] = []) => ({
    complainants: [{ id: A, since: 1 }, { id: B, since: 1 }, ...later],
    enhanced,
  })
  const contact = (seq: number, on: string, complainantId: string, entitlements: string[], recordedOn = on) => ({
    seq,
    type: 'record_victim_contact',
    occurredOn: recordedOn,
    data: { complainantId, contactedOn: on, entitlements },
  })
  const derive = (facts: TimelineFact[], enhanced = true, today = '2027-01-20') =>
    deriveClocks(facts, calendar, today, {}, CLOCK_RULES, victims(enhanced))

  it('gives each complainant their own clocks, dated around Christmas and New Year 2026-27', () => {
    // Reported Thursday 24 December 2026: 2 working days skip 25 and 28 December (bank holidays) and the weekend.
    const clocks = derive([report('2026-12-24')])
    const referral = clocks.filter((c) => c.ruleId === 'vc_support_referral')
    expect(referral.map((c) => [c.key, c.due])).toEqual([
      [A, '2026-12-30'],
      [B, '2026-12-30'],
    ])
    expect(referral[0]!.explanation.join(' ')).toContain('Boxing Day')
    expect(referral[0]!.status).toBe('overdue')
  })

  it('uses the shorter period for enhanced rights: told of an arrest within 1 working day, else 5', () => {
    const arrest: TimelineFact = { seq: 2, type: 'record_arrest', occurredOn: '2026-12-31', data: {} }
    const enhanced = derive([report('2026-12-20'), arrest]).find((c) => c.ruleId === 'vc_suspect_update')!
    // Thursday 31 December: the next working day is Monday 4 January 2027 (1 January is a bank holiday).
    expect(enhanced.due).toBe('2027-01-04')
    const standard = derive([report('2026-12-20'), arrest], false).find((c) => c.ruleId === 'vc_suspect_update')!
    expect(standard.due).toBe('2027-01-08')
  })

  it('is met for the complainant told, on the day of the contact, and each event keeps its own clock', () => {
    const facts: TimelineFact[] = [
      report('2027-01-11'),
      { seq: 2, type: 'record_arrest', occurredOn: '2027-01-11', data: {} },
      { seq: 3, type: 'record_interview', occurredOn: '2027-01-12', data: {} },
      // Told on the 12th, recorded on the 14th: met on time for A; B was never told.
      contact(4, '2027-01-12', A, ['vc_suspect_update', 'vc_support_referral'], '2027-01-14'),
    ]
    const clocks = derive(facts)
    const updates = clocks.filter((c) => c.ruleId === 'vc_suspect_update')
    expect(updates.map((c) => [c.key, c.startedBy.type, c.status, c.late])).toEqual([
      [A, 'record_arrest', 'met', false],
      [B, 'record_arrest', 'overdue', false],
      [A, 'record_interview', 'met', false],
      [B, 'record_interview', 'overdue', false],
    ])
    expect(updates[0]!.stoppedBy).toMatchObject({ on: '2027-01-12', seq: 4 })
    const referral = clocks.find((c) => c.ruleId === 'vc_support_referral' && c.key === A)!
    expect(referral).toMatchObject({ status: 'met', late: false })
    // Needs assessment was not ticked, so it is still open for A.
    expect(clocks.find((c) => c.ruleId === 'vc_needs_assessment' && c.key === A)!.status).toBe('overdue')
  })

  it('counts a contact after the due date as met late', () => {
    const facts: TimelineFact[] = [
      report('2027-01-11'),
      { seq: 2, type: 'sign_off_police_outcome', occurredOn: '2027-01-15', data: {} },
      contact(3, '2027-01-19', A, ['vc_decision']),
    ]
    const decision = derive(facts).find((c) => c.ruleId === 'vc_decision' && c.key === A)!
    expect(decision).toMatchObject({ due: '2027-01-18', status: 'met', late: true })
  })

  it('starts the report’s clocks from the date reported, not the date recorded', () => {
    const referral = derive([report('2027-01-14', '2027-01-11')]).find((c) => c.ruleId === 'vc_support_referral')!
    expect(referral.from).toBe('2027-01-11')
    expect(referral.due).toBe('2027-01-13')
  })

  it('starts a complainant added later from the day they were added, never for events before', () => {
    const C = '99999999-9999-4999-8999-999999999999'
    const facts: TimelineFact[] = [
      report('2027-01-04'),
      { seq: 2, type: 'record_arrest', occurredOn: '2027-01-05', data: {} },
      { seq: 3, type: 'add_person', occurredOn: '2027-01-11', data: { role: 'complainant', name: 'C' } },
      { seq: 4, type: 'add_person', occurredOn: '2027-01-12', data: { role: 'witness', name: 'W' } },
      { seq: 5, type: 'record_interview', occurredOn: '2027-01-13', data: {} },
    ]
    const clocks = deriveClocks(facts, calendar, '2027-01-20', {}, CLOCK_RULES, victims(true, [{ id: C, since: 3 }]))
    const forC = clocks.filter((c) => c.key === C).map((c) => [c.ruleId, c.from])
    expect(forC).toEqual([
      ['vc_support_referral', '2027-01-11'],
      ['vc_needs_assessment', '2027-01-11'],
      ['vc_vps_offered', '2027-01-11'],
      ['vc_suspect_update', '2027-01-13'],
    ])
    // Adding C started nothing new for A and B, and a witness starts nothing.
    expect(clocks.filter((c) => c.key === A && c.ruleId === 'vc_support_referral')).toHaveLength(1)
    expect(clocks.filter((c) => c.startedBy.seq === 4)).toEqual([])
  })
})
