import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseGovUkBankHolidays, WorkingDayCalendar } from '../../src/domain/calendar'
import { CLOCK_RULES, deriveClocks, type TimelineFact } from '../../src/domain/clocks'
import { EVENT_DEFINITIONS } from '../../src/domain/events'

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
    const types = new Set(EVENT_DEFINITIONS.map((d) => d.type))
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
