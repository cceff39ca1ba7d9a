import fs from 'node:fs'
import { z } from 'zod'
import type { Repositories } from '../data'
import { explainDeadline, parseGovUkBankHolidays, type WorkingDayCalendar } from '../domain/calendar'
import { CLOCK_RULES, clockRule, ruleDays } from '../domain/clocks'
import { isRealDate } from '../domain/fields'
import type { AuditTrail } from './audit-trail'
import type { RequestContext } from './context'
import { AppError, invalid } from './errors'

/** How long a process keeps the calendar and clock settings before reading them again (other processes may import). */
const CACHE_MS = 60_000

export function calendarService(repos: Repositories, audit: AuditTrail) {
  let cached: { at: number; calendar: WorkingDayCalendar; overrides: Record<string, number> } | undefined

  async function current() {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      const [calendar, settings] = await Promise.all([
        repos.calendar.load(),
        repos.db.selectFrom('clock_settings').select(['rule_id', 'days']).execute(),
      ])
      cached = { at: Date.now(), calendar, overrides: Object.fromEntries(settings.map((s) => [s.rule_id, s.days])) }
    }
    return cached
  }

  return {
    current,

    async importFile(file: string): Promise<{ holidays: number; firstYear: number; lastYear: number }> {
      let json: unknown
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'))
      } catch (error) {
        throw new AppError(400, 'invalid_file', `Could not read ${file} as JSON: ${(error as Error).message}`)
      }
      let parsed
      try {
        parsed = parseGovUkBankHolidays(json)
      } catch (error) {
        throw new AppError(400, 'invalid_file', (error as Error).message)
      }
      await repos.calendar.import(
        parsed.holidays,
        parsed,
        `Imported from ${file.split('/').pop()} on ${new Date().toISOString().slice(0, 10)}`,
      )
      cached = undefined
      return { holidays: parsed.holidays.length, firstYear: parsed.firstYear, lastYear: parsed.lastYear }
    },

    /** A due date worked out by hand: `casebridge calendar due`. */
    async due(from: string, days: number, unit: 'working' | 'calendar') {
      if (!isRealDate(from)) throw invalid({ from: 'Enter a real date in the form YYYY-MM-DD' })
      if (!Number.isInteger(days) || days < 0 || days > 1000)
        throw invalid({ days: 'Days must be a whole number from 0 to 1000' })
      const { calendar } = await current()
      try {
        const deadline = unit === 'working' ? calendar.addWorkingDays(from, days) : calendar.addCalendarDays(from, days)
        return { deadline, explanation: explainDeadline(deadline) }
      } catch (error) {
        throw new AppError(422, 'calendar_range', (error as Error).message)
      }
    },

    async clockSettings() {
      const { overrides } = await current()
      return CLOCK_RULES.map((rule) => {
        const period = 'unit' in rule.due ? rule.due : null
        return {
          id: rule.id,
          name: rule.name,
          source: rule.source,
          configurable: period?.configurable ?? false,
          unit: period?.unit ?? null,
          defaultDays: period?.days ?? null,
          days: ruleDays(rule, overrides),
        }
      })
    },

    async setClockDays(ctx: RequestContext, ruleId: string, input: unknown) {
      const rule = clockRule(ruleId)
      if (!rule || !('unit' in rule.due) || !rule.due.configurable)
        throw new AppError(404, 'not_found', 'Page not found')
      const parsed = z.coerce
        .number({ error: 'Enter the number of days' })
        .int({ error: 'Enter a whole number of days' })
        .min(0, { error: 'Days must be 0 or more' })
        .max(1000, { error: 'Days must be 1000 or fewer' })
        .safeParse(typeof input === 'string' && input.trim() === '' ? undefined : input)
      if (!parsed.success) throw invalid({ days: parsed.error.issues[0]!.message })
      await repos.db
        .insertInto('clock_settings')
        .values({ rule_id: rule.id, days: parsed.data, updated_by: ctx.user.id, updated_at: new Date() })
        .onConflict((oc) =>
          oc.column('rule_id').doUpdateSet({ days: parsed.data, updated_by: ctx.user.id, updated_at: new Date() }),
        )
        .execute()
      await audit.record(ctx, {
        operation: 'alteration',
        action: 'set_clock_days',
        recordType: 'clock_rule',
        recordIds: [rule.id],
      })
      cached = undefined
    },
  }
}

export type CalendarService = ReturnType<typeof calendarService>
