import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseGovUkBankHolidays, WorkingDayCalendar } from '../../src/domain/calendar'
import { DEFAULT_LADDER, finalisationAllowedFrom, stepsReached } from '../../src/domain/escalation'

const shipped = parseGovUkBankHolidays(JSON.parse(fs.readFileSync('reference-data/bank-holidays.json', 'utf8')))
const calendar = new WorkingDayCalendar(shipped.holidays, shipped)

describe('the escalation ladder', () => {
  it('reaches each step on its working day after the due date', () => {
    const steps = (today: string) => stepsReached('2026-12-21', today, calendar).map((s) => [s.step.id, s.reachedOn])
    expect(steps('2026-12-18')).toEqual([])
    expect(steps('2026-12-21')).toEqual([['reminder', '2026-12-21']])
    // 5 working days after Mon 21 Dec 2026: 22, 23, 24, 29, 30 (25 and 28 are bank holidays).
    expect(steps('2026-12-30')).toEqual([
      ['reminder', '2026-12-21'],
      ['police_supervisor', '2026-12-30'],
    ])
    expect(steps('2027-12-31').map(([id]) => id)).toEqual(DEFAULT_LADDER.map((s) => s.id))
  })

  it('waits at a step dated past the known calendar instead of failing', () => {
    expect(stepsReached('2027-12-20', '2028-06-01', calendar).map((s) => s.step.id)).toEqual([
      'reminder',
      'police_supervisor',
    ])
  })

  it('allows finalisation a number of months after the plan', () => {
    expect(finalisationAllowedFrom('2026-01-31', 3)).toBe('2026-05-01')
    expect(finalisationAllowedFrom('2026-11-25', 3)).toBe('2027-02-25')
  })
})
