import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Kysely, sql } from 'kysely'
import { type BankHoliday, parseGovUkBankHolidays, WorkingDayCalendar } from '../core/calendar'
import type { Database } from './schema'

const shippedFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../reference-data/bank-holidays.json',
)

export function calendarRepository(db: Kysely<Database>) {
  return {
    async load(): Promise<WorkingDayCalendar> {
      const [holidays, coverage] = await Promise.all([
        db.selectFrom('bank_holidays').selectAll().orderBy('date').execute(),
        db.selectFrom('calendar_coverage').selectAll().executeTakeFirst(),
      ])
      if (!coverage) throw new Error('The bank holiday calendar is not loaded; run casebridge migrate')
      return new WorkingDayCalendar(holidays, { firstYear: coverage.first_year, lastYear: coverage.last_year })
    },

    /**
     * Replaces the holidays of every year the file covers and widens the coverage. Years outside the file keep
     * what they had, so importing the GOV.UK feed (which holds only recent years) never loses the older ones.
     */
    async import(holidays: readonly BankHoliday[], years: { firstYear: number; lastYear: number }, source: string) {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('bank_holidays')
          .where(sql<boolean>`extract(year from date) between ${years.firstYear} and ${years.lastYear}`)
          .execute()
        await trx
          .insertInto('bank_holidays')
          .values(holidays.map((h) => ({ date: h.date, title: h.title, notes: h.notes ?? '' })))
          .execute()
        await trx
          .insertInto('calendar_coverage')
          .values({ id: 1, first_year: years.firstYear, last_year: years.lastYear, source, updated_at: new Date() })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({
              first_year: sql`least(calendar_coverage.first_year, excluded.first_year)`,
              last_year: sql`greatest(calendar_coverage.last_year, excluded.last_year)`,
              source: sql`excluded.source`,
              updated_at: sql`excluded.updated_at`,
            }),
          )
          .execute()
      })
    },

    /** Loads the shipped list the first time; later imports are never overwritten. */
    async ensureShipped() {
      const coverage = await db.selectFrom('calendar_coverage').select('id').executeTakeFirst()
      if (coverage) return
      const json = JSON.parse(fs.readFileSync(shippedFile, 'utf8')) as { _source?: string }
      const parsed = parseGovUkBankHolidays(json)
      await this.import(parsed.holidays, parsed, json._source ?? 'Shipped with Casebridge')
    },
  }
}

export type CalendarRepository = ReturnType<typeof calendarRepository>
