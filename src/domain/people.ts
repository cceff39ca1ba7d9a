import { z } from 'zod'
import { field, optional, schemaOf, type Fields } from '../core/fields'

/** The value of a measured attribute nobody recorded: a value of its own, never a dropped row. */
export const NOT_RECORDED = 'not_recorded'

/** Measured attributes of people on a case. "Not recorded" is a value, never a dropped row. */
const options = (pairs: [string, string][]) => pairs.map(([value, text]) => ({ value, text }))

export const PERSON_ROLES = options([
  ['complainant', 'Complainant'],
  ['suspect', 'Suspect'],
  ['witness', 'Witness'],
])
export const SEX_OPTIONS = options([
  ['female', 'Female'],
  ['male', 'Male'],
  [NOT_RECORDED, 'Not recorded'],
])
export const AGE_BANDS = options([
  ['under_13', 'Under 13'],
  ['13_15', '13 to 15'],
  ['16_17', '16 or 17'],
  ['18_24', '18 to 24'],
  ['25_34', '25 to 34'],
  ['35_44', '35 to 44'],
  ['45_54', '45 to 54'],
  ['55_64', '55 to 64'],
  ['65_plus', '65 or over'],
  [NOT_RECORDED, 'Not recorded'],
])
export const ETHNICITY_OPTIONS = options([
  ['asian', 'Asian or Asian British'],
  ['black', 'Black, Black British, Caribbean or African'],
  ['mixed', 'Mixed or multiple ethnic groups'],
  ['white', 'White'],
  ['other', 'Other ethnic group'],
  ['not_stated', 'Prefer not to say'],
  [NOT_RECORDED, 'Not recorded'],
])
export const DISABILITY_OPTIONS = options([
  ['yes', 'Yes'],
  ['no', 'No'],
  ['not_stated', 'Prefer not to say'],
  [NOT_RECORDED, 'Not recorded'],
])
export const RELATIONSHIP_OPTIONS = options([
  ['partner_or_ex_partner', 'Partner or ex-partner'],
  ['family_member', 'Family member'],
  ['acquaintance', 'Acquaintance or friend'],
  ['position_of_trust', 'Person in a position of trust'],
  ['online_contact', 'Met online'],
  ['stranger', 'Stranger'],
  ['not_known', 'Not known'],
])

export function labelOf(list: readonly { value: string; text: string }[], value: string | null | undefined): string {
  if (value === null || value === undefined) return 'Not recorded'
  return list.find((o) => o.value === value)?.text ?? value
}

/** What is asked about any person; the name is required unless the suspect is unknown. */
export const personFields = {
  name: field.text({ label: 'Full name', name: 'the full name', maxLength: 200 }),
  sex: optional(field.choice({ label: 'Sex', name: 'the sex', options: SEX_OPTIONS })),
  ageBand: optional(
    field.choice({ label: 'Age at the time of the report', name: 'the age band', options: AGE_BANDS, as: 'select' }),
  ),
  dateOfBirth: optional(field.date({ label: 'Date of birth', name: 'the date of birth', notFuture: true })),
  ethnicity: optional(
    field.choice({ label: 'Ethnicity', name: 'the ethnicity', options: ETHNICITY_OPTIONS, as: 'select' }),
  ),
  disability: optional(
    field.choice({ label: 'Disability', name: 'whether the person has a disability', options: DISABILITY_OPTIONS }),
  ),
} satisfies Fields

export const suspectExtraFields = {
  relationship: optional(
    field.choice({
      label: 'Relationship to the complainant',
      name: 'the relationship to the complainant',
      options: RELATIONSHIP_OPTIONS,
      as: 'select',
    }),
  ),
} satisfies Fields

export const complainantSchema = schemaOf(personFields)
export const knownSuspectSchema = schemaOf({ ...personFields, ...suspectExtraFields })
export const unknownSuspectSchema = z.strictObject({
  unknown: z.literal(true, { error: 'Set unknown to true, or give the suspect’s name' }),
  relationship: suspectExtraFields.relationship.schema,
})
export const suspectSchema = z.union([unknownSuspectSchema, knownSuspectSchema], {
  error: 'Give the suspect’s name, or { "unknown": true } if the suspect is not known',
})

export type PersonInput = z.infer<typeof knownSuspectSchema> | z.infer<typeof unknownSuspectSchema>

/** camelCase person fields of an event or report to their columns. */
export function personColumns(data: Record<string, unknown>) {
  const pick = (key: string) => (data[key] === undefined ? undefined : (data[key] as string))
  return {
    name: pick('name'),
    sex: pick('sex'),
    age_band: pick('ageBand'),
    date_of_birth: pick('dateOfBirth'),
    ethnicity: pick('ethnicity'),
    disability: pick('disability'),
    relationship_to_complainant: pick('relationship'),
  }
}

export function nullify<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> | null } {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === undefined ? null : v])) as never
}
