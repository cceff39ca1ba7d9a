import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { z } from 'zod'
import type { Repositories } from '../data'
import { explainDeadline, parseGovUkBankHolidays, type WorkingDayCalendar } from '../core/calendar'
import { ruleDays } from '../core/clocks'
import { CLOCK_RULES, clockRule } from '../modules/registry'
import { type LadderSetting, type LadderStep, ladderStepsSchema } from '../modules/pre-charge/escalation'
import { fieldErrors, isRealDate } from '../core/fields'
import type { AuditTrail } from './audit-trail'
import type { RequestContext } from './context'
import { AppError, invalid } from './errors'

const orgCodeInput = z
  .string({ error: 'Select from the list' })
  .max(100, 'Select from the list')
  .optional()
  .transform((v) => (v === '' ? undefined : v))

const ladderInputSchema = z.object({ forceCode: orgCodeInput, areaCode: orgCodeInput, steps: ladderStepsSchema })

/** How long a process keeps the calendar and clock settings before reading them again (other processes may import). */
const CACHE_MS = 60_000

export function calendarService(repos: Repositories, audit: AuditTrail) {
  let cached:
    | { at: number; calendar: WorkingDayCalendar; overrides: Record<string, number>; ladders: LadderSetting[] }
    | undefined

  /** The calendar, clock periods and escalation ladders in force, read together and kept for a minute. */
  async function current() {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      const [calendar, settings, ladders] = await Promise.all([
        repos.calendar.load(),
        repos.db.selectFrom('clock_settings').select(['rule_id', 'days']).execute(),
        repos.db.selectFrom('escalation_ladders').select(['force_code', 'area_code', 'steps']).execute(),
      ])
      cached = {
        at: Date.now(),
        calendar,
        overrides: Object.fromEntries(settings.map((s) => [s.rule_id, s.days])),
        ladders: ladders.map((l) => ({
          forceCode: l.force_code,
          areaCode: l.area_code,
          steps: (typeof l.steps === 'string' ? JSON.parse(l.steps) : l.steps) as LadderStep[],
        })),
      }
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

    /** Every ladder an administrator has set, with the organisations' names. */
    async ladderSettings() {
      return repos.db
        .selectFrom('escalation_ladders as l')
        .leftJoin('organisations as f', 'f.code', 'l.force_code')
        .leftJoin('organisations as a', 'a.code', 'l.area_code')
        .leftJoin('users as u', 'u.id', 'l.updated_by')
        .select([
          'l.id',
          'l.force_code',
          'l.area_code',
          'l.steps',
          'l.updated_at',
          'f.name as force_name',
          'a.name as area_name',
          'u.name as updated_by_name',
        ])
        .orderBy('l.force_code')
        .orderBy('l.area_code')
        .execute()
    },

    /** Set (or replace) the ladder for a force, an area, both, or everywhere. Every problem is named on its field. */
    async setLadder(ctx: RequestContext, input: unknown) {
      const parsed = ladderInputSchema.safeParse(input)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      const { forceCode, areaCode, steps } = parsed.data
      const orgs = await repos.db
        .selectFrom('organisations')
        .select(['code', 'kind'])
        .where('code', 'in', [forceCode ?? '', areaCode ?? ''])
        .execute()
      const problems: Record<string, string> = {}
      if (forceCode && !orgs.some((o) => o.code === forceCode && o.kind === 'police_force'))
        problems.forceCode = 'Select a police force from the list'
      if (areaCode && !orgs.some((o) => o.code === areaCode && o.kind === 'cps_area'))
        problems.areaCode = 'Select a CPS area from the list'
      if (Object.keys(problems).length > 0) throw invalid(problems)
      const json = JSON.stringify(steps)
      await repos.db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('escalation_ladders')
          .select('id')
          .where((eb) => (forceCode ? eb('force_code', '=', forceCode) : eb('force_code', 'is', null)))
          .where((eb) => (areaCode ? eb('area_code', '=', areaCode) : eb('area_code', 'is', null)))
          .forUpdate()
          .executeTakeFirst()
        const id = existing?.id ?? randomUUID()
        if (existing) {
          await trx
            .updateTable('escalation_ladders')
            .set({ steps: json, updated_by: ctx.user.id, updated_at: new Date() })
            .where('id', '=', id)
            .execute()
        } else {
          await trx
            .insertInto('escalation_ladders')
            .values({
              id,
              force_code: forceCode ?? null,
              area_code: areaCode ?? null,
              steps: json,
              updated_by: ctx.user.id,
            })
            .execute()
        }
        await audit.record(
          ctx,
          {
            operation: 'alteration',
            action: 'set_escalation_ladder',
            recordType: 'escalation_ladder',
            recordIds: [id],
          },
          trx,
        )
      })
      cached = undefined
    },

    /** Remove a ladder: its force or area falls back to the next ladder that applies. */
    async removeLadder(ctx: RequestContext, id: string) {
      if (!z.uuid().safeParse(id).success) throw new AppError(404, 'not_found', 'Page not found')
      const removed = await repos.db.transaction().execute(async (trx) => {
        const row = await trx.deleteFrom('escalation_ladders').where('id', '=', id).returning('id').executeTakeFirst()
        if (row)
          await audit.record(
            ctx,
            {
              operation: 'alteration',
              action: 'remove_escalation_ladder',
              recordType: 'escalation_ladder',
              recordIds: [id],
            },
            trx,
          )
        return row
      })
      if (!removed) throw new AppError(404, 'not_found', 'Page not found')
      cached = undefined
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
