import { z } from 'zod'
import { isRealDate } from '../../core/fields'
import { BREAKDOWNS, type Breakdown } from './breakdowns'

export const BREAKDOWN_IDS = Object.keys(BREAKDOWNS) as [Breakdown, ...Breakdown[]]
export const EARLIEST = '2000-01-01'
export const LATEST = '2099-12-31'

const dateParam = (name: string) =>
  z
    .string({ error: `Enter the ${name} date as YYYY-MM-DD` })
    .max(10, `Enter the ${name} date as YYYY-MM-DD`)
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v), `Enter a real ${name} date, as YYYY-MM-DD`)
    .refine((v) => v >= EARLIEST && v <= LATEST, `The ${name} date must be between 2000 and 2099`)
    .optional()

const codeParam = (what: string) =>
  z
    .string({ error: `Select a ${what}` })
    .max(60, `Select a ${what} from the list`)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, `Select a ${what} from the list`)
    .optional()

/** The parameters of every measure read, as documented (OpenAPI) and checked. */
export const measureQueryFields = z
  .object({
    by: z.enum(BREAKDOWN_IDS, { error: `Select a breakdown: ${BREAKDOWN_IDS.join(', ')}` }).default('quarter'),
    from: dateParam('start'),
    to: dateParam('end'),
    force: codeParam('police force'),
    area: codeParam('CPS area'),
    offence_group: z
      .enum(['rape', 'other_sexual'], { error: 'Select an offence group: rape or other_sexual' })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date must be on or after the start date' })
  })

/**
 * The same from a query string or a form, one definition for page, API and export: an empty parameter (a form's
 * "All forces", or `force=` in a URL) means no filter.
 */
export const withoutEmpty = (input: unknown) =>
  typeof input === 'object' && input !== null && !Array.isArray(input)
    ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== ''))
    : input
export const measureQuerySchema = z.preprocess(withoutEmpty, measureQueryFields)
export type MeasureQuery = z.infer<typeof measureQuerySchema>
