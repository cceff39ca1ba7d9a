import { z } from 'zod'
import { isRealDate } from './fields'

/**
 * Working days in England and Wales: Monday to Friday, less the bank holidays shipped as data. The list is finite,
 * so a date after the last known year is an error, never a guess.
 *
 * Convention (written once, used by every clock): day 0 is the day of the triggering event; "within N working
 * days" means by the end of the Nth working day after it. Calendar days count every day the same way.
 */
export interface BankHoliday {
  date: string
  title: string
  notes?: string
}

export class CalendarRangeError extends Error {}

export interface DayNote {
  date: string
  /** The working or calendar day number this date counts as, or null when it was skipped. */
  counted: number | null
  skipped?: string
}

export interface Deadline {
  from: string
  rule: { unit: 'working' | 'calendar'; days: number }
  due: string
  days: DayNote[]
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Calendar days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay()
}

export class WorkingDayCalendar {
  private readonly byDate: Map<string, BankHoliday>
  /** Deadlines already worked out (the calendar never changes: a new list makes a new calendar). */
  private readonly deadlines = new Map<string, Deadline>()
  readonly firstYear: number
  readonly lastYear: number

  constructor(
    holidays: readonly BankHoliday[],
    /** The complete years the list covers. */
    coverage: { firstYear: number; lastYear: number },
  ) {
    this.byDate = new Map(holidays.map((h) => [h.date, h]))
    this.firstYear = coverage.firstYear
    this.lastYear = coverage.lastYear
  }

  private check(date: string) {
    if (!isRealDate(date)) throw new CalendarRangeError(`${date} is not a real date`)
    const year = Number(date.slice(0, 4))
    if (year > this.lastYear) {
      throw new CalendarRangeError(
        `Bank holidays are known only until 31 December ${this.lastYear}, so a deadline on ${date} cannot be worked out. ` +
          'Import the latest GOV.UK list with `casebridge calendar import FILE`.',
      )
    }
    if (year < this.firstYear)
      throw new CalendarRangeError(`Bank holidays are known only from 1 January ${this.firstYear}`)
  }

  /** Why a date is not a working day, or null when it is one. */
  nonWorkingReason(date: string): string | null {
    this.check(date)
    return this.reasonOn(date)
  }

  private reasonOn(date: string): string | null {
    const weekday = dayOfWeek(date)
    if (weekday === 0 || weekday === 6) return DAY_NAMES[weekday]!
    const holiday = this.byDate.get(date)
    return holiday ? `Bank holiday: ${holiday.title}${holiday.notes ? ` (${holiday.notes.toLowerCase()})` : ''}` : null
  }

  isWorkingDay(date: string): boolean {
    return this.nonWorkingReason(date) === null
  }

  addWorkingDays(from: string, days: number): Deadline {
    // Every clock of a case is worked out again from its timeline, so the same deadlines come back many times.
    const key = `${from}|${days}`
    const known = this.deadlines.get(key)
    if (known) return known
    this.check(from)
    if (!Number.isInteger(days) || days < 0 || days > 1000)
      throw new RangeError('Working days must be a whole number from 0 to 1000')
    const notes: DayNote[] = []
    let date = from
    let counted = 0
    while (counted < days) {
      date = addDays(date, 1)
      // A date made by adding a day is real: only the years the list covers need checking.
      if (Number(date.slice(0, 4)) > this.lastYear) this.check(date)
      const reason = this.reasonOn(date)
      if (reason) notes.push({ date, counted: null, skipped: reason })
      else notes.push({ date, counted: ++counted })
    }
    const deadline: Deadline = Object.freeze({
      from,
      rule: Object.freeze({ unit: 'working' as const, days }),
      due: date,
      days: Object.freeze(notes) as DayNote[],
    })
    if (this.deadlines.size >= 100_000) this.deadlines.clear()
    this.deadlines.set(key, deadline)
    return deadline
  }

  addCalendarDays(from: string, days: number): Deadline {
    this.check(from)
    if (!Number.isInteger(days) || days < 0 || days > 3660)
      throw new RangeError('Calendar days must be a whole number from 0 to 3660')
    const due = addDays(from, days)
    this.check(due)
    return { from, rule: { unit: 'calendar', days }, due, days: [] }
  }

  holidaysIn(year: number): BankHoliday[] {
    return [...this.byDate.values()]
      .filter((h) => h.date.startsWith(`${year}-`))
      .sort((a, b) => a.date.localeCompare(b.date))
  }
}

/** The GOV.UK bank-holidays.json format; only the England and Wales division is used. */
export const govUkBankHolidaysSchema = z.object({
  'england-and-wales': z.object({
    division: z.literal('england-and-wales'),
    events: z
      .array(
        z.object({
          title: z.string().min(1).max(200),
          date: z.string().refine(isRealDate, { error: 'date must be a real date in the form YYYY-MM-DD' }),
          notes: z.string().max(200).default(''),
          bunting: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(2000),
  }),
})

/** Reads a GOV.UK file: its holidays and the whole years it covers (first to last year present). */
export function parseGovUkBankHolidays(json: unknown): {
  holidays: BankHoliday[]
  firstYear: number
  lastYear: number
} {
  const parsed = govUkBankHolidaysSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`Not a GOV.UK bank holidays file: ${issue.path.join('.') || 'file'}: ${issue.message}`)
  }
  const holidays = parsed.data['england-and-wales'].events.map((e) => ({
    date: e.date,
    title: e.title,
    notes: e.notes,
  }))
  const years = holidays.map((h) => Number(h.date.slice(0, 4)))
  for (const h of holidays) {
    const weekday = dayOfWeek(h.date)
    if (weekday === 0 || weekday === 6)
      throw new Error(`${h.date} (${h.title}) falls on a weekend; a bank holiday is always a weekday`)
  }
  return { holidays, firstYear: Math.min(...years), lastYear: Math.max(...years) }
}

/** Explains a deadline in words, one line per day, for people checking it by hand. */
export function explainDeadline(deadline: Deadline): string[] {
  const unit = deadline.rule.unit === 'working' ? 'working day' : 'calendar day'
  const lines = [`Start: ${deadline.from} (day 0, the day of the event)`]
  for (const note of deadline.days) {
    lines.push(note.counted === null ? `${note.date} skipped: ${note.skipped}` : `${note.date} ${unit} ${note.counted}`)
  }
  lines.push(
    `Due by the end of ${deadline.due} (${deadline.rule.days} ${unit}${deadline.rule.days === 1 ? '' : 's'} after ${deadline.from})`,
  )
  return lines
}

/**
 * The months after an action plan is set before an unanswered case may be administratively finalised: "commonly
 * cited as 3 months" (docs/sources.md section 5, UNVERIFIED), so configurable (ADMIN_FINALISATION_MONTHS).
 */
export const DEFAULT_ADMIN_FINALISATION_MONTHS = 3

/** Administrative finalisation needs the ladder to have run out and this long since the plan was set (configurable). */
export function finalisationAllowedFrom(setOn: string, months: number): string {
  const date = new Date(`${setOn}T00:00:00Z`)
  date.setUTCMonth(date.getUTCMonth() + months)
  return date.toISOString().slice(0, 10)
}
