import { z } from 'zod'
import { field, optional, schemaOf, type Fields } from '../core/fields'
import { complainantSchema, suspectSchema } from './people'

/** Recording a report creates the case: what the API body and the report pages ask for. */
export const reportFields = {
  crimeReference: field.text({
    label: 'Police crime reference',
    name: 'the police crime reference',
    hint: 'As recorded on the force crime system, for example 43/12345/26',
    maxLength: 40,
    width: 'short',
  }),
  reportedOn: field.date({ label: 'Date reported', name: 'the date reported', notFuture: true }),
} satisfies Fields

export const offenceFields = {
  code: field.offenceCode({ label: 'Offence', name: 'the offence' }),
  committedFrom: field.date({
    label: 'Date of the offence, or the start of the period',
    name: 'the date of the offence',
    notFuture: true,
  }),
  committedTo: optional(
    field.date({
      label: 'End of the period (if the offence happened over a period)',
      name: 'the end of the period',
      notFuture: true,
    }),
  ),
} satisfies Fields

export const FLAGS = [
  { key: 'vulnerable', column: 'vulnerable', text: 'Vulnerable or intimidated complainant' },
  { key: 'domesticAbuse', column: 'domestic_abuse', text: 'Domestic abuse context' },
  { key: 'nonRecent', column: 'non_recent', text: 'Non-recent offence' },
  { key: 'childAtTime', column: 'child_at_time', text: 'Complainant was a child at the time' },
] as const
export type FlagKey = (typeof FLAGS)[number]['key']

export const offenceSchema = schemaOf(offenceFields).refine(
  (o) =>
    typeof o !== 'object' ||
    o === null ||
    typeof o.committedTo !== 'string' ||
    typeof o.committedFrom !== 'string' ||
    o.committedTo >= o.committedFrom,
  {
    error: 'The end of the period must be the same as or after the date of the offence',
    path: ['committedTo'],
    // Check the period even when another field is wrong, so every bad field is named at once.
    when: () => true,
  },
)

const flagsSchema = z.strictObject(
  Object.fromEntries(
    FLAGS.map((f) => [f.key, z.boolean({ error: `${f.key} must be true or false` }).optional()]),
  ) as Record<FlagKey, z.ZodOptional<z.ZodBoolean>>,
)

export const MAX_OFFENCES = 50
export const MAX_PEOPLE = 30

export const reportSchema = z
  .strictObject({
    crimeReference: reportFields.crimeReference.schema,
    reportedOn: reportFields.reportedOn.schema,
    offences: z
      .array(offenceSchema, { error: 'Add at least one offence' })
      .min(1, { error: 'Add at least one offence' })
      .max(MAX_OFFENCES, { error: `A report can have at most ${MAX_OFFENCES} offences; add more afterwards` }),
    complainants: z
      .array(complainantSchema, { error: 'Add at least one complainant' })
      .min(1, { error: 'Add at least one complainant' })
      .max(MAX_PEOPLE, { error: `A report can have at most ${MAX_PEOPLE} complainants` }),
    suspects: z
      .array(suspectSchema, { error: 'Send suspects as a list' })
      .max(MAX_PEOPLE, { error: `A report can have at most ${MAX_PEOPLE} suspects` })
      .default([]),
    flags: flagsSchema.default({}),
    restricted: z.boolean({ error: 'restricted must be true or false' }).default(false),
    idempotencyKey: z.string({ error: 'idempotencyKey must be text' }).min(8).max(200).optional(),
  })
  .superRefine(
    (report, ctx) => {
      // Run even when a field is wrong (so every problem is named at once), so the body may not even be an object.
      if (typeof report !== 'object' || report === null) return
      const reportedOn: unknown = report.reportedOn
      if (!Array.isArray(report.offences) || typeof reportedOn !== 'string') return
      report.offences.forEach((offence, index) => {
        const from = (offence as { committedFrom?: unknown } | null)?.committedFrom
        if (typeof from === 'string' && from > reportedOn) {
          ctx.addIssue({
            code: 'custom',
            path: ['offences', index, 'committedFrom'],
            message: 'The date of the offence must be on or before the date reported',
          })
        }
      })
    },
    { when: () => true },
  )

/** The parsed report. Field schemas are built at run time, so the type is written out once here. */
export interface ReportInput {
  crimeReference: string
  reportedOn: string
  offences: { code: string; committedFrom: string; committedTo?: string }[]
  complainants: Record<string, unknown>[]
  suspects: Record<string, unknown>[]
  flags: Partial<Record<FlagKey, boolean>>
  restricted: boolean
  idempotencyKey?: string
}
