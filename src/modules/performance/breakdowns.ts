import { addDays } from '../../core/calendar'
import {
  AGE_BANDS,
  DISABILITY_OPTIONS,
  ETHNICITY_OPTIONS,
  RELATIONSHIP_OPTIONS,
  SEX_OPTIONS,
} from '../../domain/people'
import { type MeasureCase, NOT_RECORDED, withNotRecorded } from './measures'

/** The breakdowns a measure can be read by. Force, area, quarter and offence group are also filters. */
export const BREAKDOWNS = {
  force: { label: 'Police force', personal: false, values: null },
  area: { label: 'CPS area', personal: false, values: null },
  quarter: { label: 'Quarter', personal: false, values: null },
  offence_group: {
    label: 'Offence group',
    personal: false,
    values: [
      { value: 'rape', text: 'Rape' },
      { value: 'other_sexual', text: 'Other sexual offences' },
    ],
  },
  relationship: {
    label: 'Relationship of suspect to complainant',
    personal: true,
    values: withNotRecorded(RELATIONSHIP_OPTIONS),
  },
  age_band: { label: "Complainant's age", personal: true, values: withNotRecorded(AGE_BANDS) },
  sex: { label: "Complainant's sex", personal: true, values: withNotRecorded(SEX_OPTIONS) },
  ethnicity: { label: "Complainant's ethnicity", personal: true, values: withNotRecorded(ETHNICITY_OPTIONS) },
  disability: { label: 'Complainant disabled', personal: true, values: withNotRecorded(DISABILITY_OPTIONS) },
} as const

export type Breakdown = keyof typeof BREAKDOWNS

export const PERSONAL_BREAKDOWNS = ['relationship', 'age_band', 'sex', 'ethnicity', 'disability'] as const

/** The breakdown values of a case: the first complainant's characteristics, the first suspect's relationship. */
export function caseBreakdowns(c: MeasureCase): Record<(typeof PERSONAL_BREAKDOWNS)[number], string> & {
  offence_group: string
} {
  const known = (v: string | null | undefined, list: readonly { value: string }[]) =>
    v && list.some((o) => o.value === v) ? v : NOT_RECORDED
  return {
    offence_group: c.rape ? 'rape' : 'other_sexual',
    relationship: known(c.relationship, BREAKDOWNS.relationship.values),
    age_band: known(c.complainant.ageBand, BREAKDOWNS.age_band.values),
    sex: known(c.complainant.sex, BREAKDOWNS.sex.values),
    ethnicity: known(c.complainant.ethnicity, BREAKDOWNS.ethnicity.values),
    disability: known(c.complainant.disability, BREAKDOWNS.disability.values),
  }
}

// Quarters (financial years, as CPS and Home Office data are published) ----------------------------------------------

/** The first day of the financial quarter a date falls in (April, July, October, January). */
export function quarterOf(date: string): string {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const start = [1, 4, 7, 10].filter((m) => m <= month).at(-1)!
  return `${year}-${String(start).padStart(2, '0')}-01`
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "2025-26 Q1 (Apr to Jun 2025)" for the quarter starting 2025-04-01. */
export function quarterLabel(start: string): string {
  const year = Number(start.slice(0, 4))
  const month = Number(start.slice(5, 7))
  const fy = month >= 4 ? year : year - 1
  const q = month >= 4 ? (month - 1) / 3 : 4
  return `${fy}-${String((fy + 1) % 100).padStart(2, '0')} Q${q} (${MONTHS[month - 1]} to ${MONTHS[month + 1]} ${year})`
}

/** The first day of the quarter `n` quarters after (or, negative, before) the one starting `start`. */
export function addQuarters(start: string, n: number): string {
  const month = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + 3 * n
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`
}

/** The last day of the quarter starting `start`. */
export const quarterEnd = (start: string) => addDays(addQuarters(start, 1), -1)

export const nextQuarter = (start: string) => addQuarters(start, 1)

/**
 * Days as stored in the sums: exact up to 31, then in weeks from day 32 to 26 weeks, then in 30-day steps from day
 * 183 to two years, then in 90-day steps (ten years at most); each stored as the first day of its step. Medians and percentiles are read to that precision.
 */
export function dayBucket(days: number): number {
  const d = Math.max(0, Math.min(3650, Math.floor(days)))
  if (d <= 31) return d
  if (d <= 182) return d - ((d - 32) % 7)
  if (d <= 730) return d - ((d - 183) % 30)
  return d - ((d - 731) % 90)
}

// Statistics from sums -----------------------------------------------------------------------------------------------

/** The median and 90th percentile (nearest rank) from a histogram of whole days. */
export function percentiles(histogram: readonly { days: number; count: number }[]) {
  const sorted = [...histogram].filter((h) => h.count > 0).sort((a, b) => a.days - b.days)
  const n = sorted.reduce((s, h) => s + h.count, 0)
  const rank = (p: number) => {
    const target = Math.max(1, Math.ceil(p * n))
    let seen = 0
    for (const h of sorted) {
      seen += h.count
      if (seen >= target) return h.days
    }
    return null
  }
  return { count: n, median: n ? rank(0.5) : null, p90: n ? rank(0.9) : null }
}
