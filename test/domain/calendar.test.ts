import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  CalendarRangeError,
  explainDeadline,
  parseGovUkBankHolidays,
  WorkingDayCalendar,
} from '../../src/core/calendar'

const shipped = parseGovUkBankHolidays(JSON.parse(fs.readFileSync('reference-data/bank-holidays.json', 'utf8')))
const calendar = new WorkingDayCalendar(shipped.holidays, shipped)

/** Easter Sunday by the anonymous Gregorian algorithm, to check the shipped Good Fridays and Easter Mondays. */
function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

describe('the shipped bank holidays', () => {
  it('cover every complete year from 2015 to 2027', () => {
    expect([shipped.firstYear, shipped.lastYear]).toEqual([2015, 2027])
    for (let year = 2015; year <= 2027; year++) {
      const expected = year === 2022 ? 10 : year === 2023 ? 9 : 8
      expect(calendar.holidaysIn(year), String(year)).toHaveLength(expected)
    }
  })

  it('have Good Friday and Easter Monday around the computed Easter Sunday', () => {
    for (let year = 2015; year <= 2027; year++) {
      const titles = new Map(calendar.holidaysIn(year).map((h) => [h.title, h.date]))
      const sunday = new Date(`${easterSunday(year)}T00:00:00Z`)
      expect(titles.get('Good Friday')).toBe(new Date(sunday.getTime() - 2 * 86400000).toISOString().slice(0, 10))
      expect(titles.get('Easter Monday')).toBe(new Date(sunday.getTime() + 86400000).toISOString().slice(0, 10))
    }
  })

  it('include the one-off changes', () => {
    const dates = new Set(shipped.holidays.map((h) => h.date))
    for (const date of ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08'])
      expect(dates).toContain(date)
    for (const date of ['2020-05-04', '2022-05-30']) expect(dates).not.toContain(date)
  })
})

describe('working days (hand-checked)', () => {
  it('Christmas and New Year 2026-27', () => {
    expect(calendar.addWorkingDays('2026-12-24', 1).due).toBe('2026-12-29')
    expect(calendar.addWorkingDays('2026-12-24', 2).due).toBe('2026-12-30')
    const five = calendar.addWorkingDays('2026-12-23', 5)
    expect(five.due).toBe('2027-01-04')
    expect(five.days).toEqual([
      { date: '2026-12-24', counted: 1 },
      { date: '2026-12-25', counted: null, skipped: 'Bank holiday: Christmas Day' },
      { date: '2026-12-26', counted: null, skipped: 'Saturday' },
      { date: '2026-12-27', counted: null, skipped: 'Sunday' },
      { date: '2026-12-28', counted: null, skipped: 'Bank holiday: Boxing Day (substitute day)' },
      { date: '2026-12-29', counted: 2 },
      { date: '2026-12-30', counted: 3 },
      { date: '2026-12-31', counted: 4 },
      { date: '2027-01-01', counted: null, skipped: 'Bank holiday: New Year’s Day' },
      { date: '2027-01-02', counted: null, skipped: 'Saturday' },
      { date: '2027-01-03', counted: null, skipped: 'Sunday' },
      { date: '2027-01-04', counted: 5 },
    ])
    expect(calendar.addWorkingDays('2027-12-24', 1).due).toBe('2027-12-29')
  })

  it('Easter 2026 and the 2022 Jubilee', () => {
    expect(calendar.addWorkingDays('2026-04-02', 1).due).toBe('2026-04-07')
    expect(calendar.addWorkingDays('2022-06-01', 1).due).toBe('2022-06-06')
    expect(calendar.addWorkingDays('2022-06-01', 0).due).toBe('2022-06-01')
  })

  it('counts calendar days from day 0', () => {
    expect(calendar.addCalendarDays('2026-01-10', 28).due).toBe('2026-02-07')
  })

  it('refuses a date past the last known year loudly', () => {
    expect(() => calendar.addWorkingDays('2027-12-30', 5)).toThrow(CalendarRangeError)
    expect(() => calendar.addWorkingDays('2027-12-30', 5)).toThrow(/known only until 31 December 2027/)
    expect(() => calendar.addCalendarDays('2027-12-30', 5)).toThrow(CalendarRangeError)
    expect(() => calendar.addWorkingDays('2014-12-30', 1)).toThrow(CalendarRangeError)
  })

  it('explains a date in words', () => {
    const lines = explainDeadline(calendar.addWorkingDays('2026-04-02', 1))
    expect(lines).toEqual([
      'Start: 2026-04-02 (day 0, the day of the event)',
      '2026-04-03 skipped: Bank holiday: Good Friday',
      '2026-04-04 skipped: Saturday',
      '2026-04-05 skipped: Sunday',
      '2026-04-06 skipped: Bank holiday: Easter Monday',
      '2026-04-07 working day 1',
      'Due by the end of 2026-04-07 (1 working day after 2026-04-02)',
    ])
  })
})

describe('importing the GOV.UK format', () => {
  it('refuses a file that is not the format, or a holiday on a weekend', () => {
    expect(() => parseGovUkBankHolidays({ scotland: {} })).toThrow(/Not a GOV.UK bank holidays file/)
    expect(() =>
      parseGovUkBankHolidays({
        'england-and-wales': { division: 'england-and-wales', events: [{ title: 'X', date: '2028-01-01', notes: '' }] },
      }),
    ).toThrow(/weekend/)
  })
})
