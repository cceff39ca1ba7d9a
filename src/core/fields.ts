import { z } from 'zod'

/**
 * A field is a zod schema plus what a page needs to ask for it. Event definitions and the report form
 * are built from fields, so the page, the API validation and the OpenAPI document share one rule each.
 */
export type FieldUi =
  | { kind: 'text'; maxLength: number; width?: 'short' | 'full' }
  | { kind: 'textarea'; maxLength: number }
  | { kind: 'date' }
  | { kind: 'integer'; max: number }
  /** Options come from the case: its open action plan items. */
  | { kind: 'actionItem' }
  /** Options come from the case: its hearings waiting for an outcome, or every hearing that was not vacated. */
  | { kind: 'hearing'; waiting: boolean }
  /** Options come from the case: its charges without a final result. */
  | { kind: 'charge' }
  /** Options come from the case: the judge's directions not yet complied with. */
  | { kind: 'direction' }
  /** Options come from the case: the items of its disclosure schedules (C3, D1, E2). */
  | { kind: 'disclosureItem' }
  /** Options come from the case: its requests for material in one of these states (and of one kind). */
  | { kind: 'materialRequest'; states: readonly string[]; requestKind?: 'device' | 'third_party' }
  | { kind: 'radios' | 'select'; options: readonly { value: string; text: string }[] }
  | { kind: 'boolean' }
  /** Options come from the case: its people of the given role. */
  | { kind: 'person'; role: 'suspect' | 'complainant' | 'complainant_or_witness' | 'any' }
  /** Several people of the case, of the given role (ticked boxes). */
  | { kind: 'people'; role: 'suspect' }
  /** Several of a fixed list (ticked boxes). */
  | { kind: 'checkboxes'; options: readonly { value: string; text: string }[] }
  /** Options come from the CPS area's advocate panel: those eligible today, or those instructed on the case. */
  | { kind: 'advocate'; instructed: boolean }
  /** Options come from the service's users of the given role (all of them, or those assigned to the case). */
  | { kind: 'user'; role: 'isva'; assigned: boolean }
  /** Options come from reference data. */
  | { kind: 'reference'; table: 'outcome_types' | 'offence_codes' }
  /** A repeated group of fields (an action plan's items); pages show `slots` rows and keep the filled ones. */
  | { kind: 'list'; item: Fields; itemLabel: string; slots: number }

export interface Field<T extends z.ZodType = z.ZodType> {
  schema: T
  label: string
  hint?: string
  ui: FieldUi
  optional: boolean
}

interface Common {
  label: string
  /** How the field is named inside an error message, e.g. "the date of arrest". */
  name: string
  hint?: string
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
/** Dates before this are a typing mistake in this service, not a record. */
export const EARLIEST_DATE = '1900-01-01'

// Text that PostgreSQL cannot store (NUL) or that no person types (other control characters).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

const UUID = z.uuid()
export const isUuid = (value: unknown): value is string => UUID.safeParse(value).success

export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

// Europe/London calendar date: the service is used in England and Wales. One formatter: making one is slow.
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

let lastMinute = NaN
let lastDate = ''

/**
 * Today's date in London. Formatting is slow and this is asked for many times a request, so the last answer is kept
 * for its minute: London's offsets from UTC are whole hours, so its date never changes within a minute.
 */
export function todayIso(now: Date = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000)
  if (minute !== lastMinute) {
    lastDate = LONDON_DATE.format(now)
    lastMinute = minute
  }
  return lastDate
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function textSchema(c: Common, maxLength: number) {
  return z
    .string({ error: `Enter ${c.name}` })
    .trim()
    .min(1, { error: `Enter ${c.name}` })
    .max(maxLength, { error: `${capitalise(c.name)} must be ${maxLength} characters or fewer` })
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      error: `${capitalise(c.name)} must not contain control characters`,
    })
}

export function dateSchema(c: Common, options: { notFuture?: boolean } = {}) {
  const named = capitalise(c.name)
  return z
    .string({ error: `Enter ${c.name}` })
    .trim()
    .min(1, { error: `Enter ${c.name}` })
    .superRefine((value, ctx) => {
      // One problem per date, and none that stops the form's rules between fields from being checked too.
      if (value === '') return
      const problem = !ISO_DATE.test(value)
        ? `${named} must be a date in the form YYYY-MM-DD`
        : !isRealDate(value)
          ? `${named} must be a real date`
          : value < EARLIEST_DATE
            ? `${named} must be after 1 January 1900`
            : options.notFuture && value > todayIso()
              ? `${named} must be today or in the past`
              : null
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value })
    })
}

export const field = {
  list: listField,
  text(c: Common & { maxLength?: number; width?: 'short' | 'full' }): Field {
    const maxLength = c.maxLength ?? 200
    return {
      schema: textSchema(c, maxLength),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'text', maxLength, width: c.width },
      optional: false,
    }
  },
  textarea(c: Common & { maxLength?: number }): Field {
    const maxLength = c.maxLength ?? 5000
    return {
      schema: textSchema(c, maxLength),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'textarea', maxLength },
      optional: false,
    }
  },
  date(c: Common & { notFuture?: boolean }): Field {
    return { schema: dateSchema(c, c), label: c.label, hint: c.hint, ui: { kind: 'date' }, optional: false }
  },
  choice(c: Common & { options: readonly { value: string; text: string }[]; as?: 'radios' | 'select' }): Field {
    const values = c.options.map((o) => o.value) as [string, ...string[]]
    return {
      schema: z.enum(values, { error: `Select ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: c.as ?? 'radios', options: c.options },
      optional: false,
    }
  },
  integer(c: Common & { min: number; max: number }): Field {
    const named = capitalise(c.name)
    return {
      schema: z
        .number({ error: `Enter ${c.name} as a number` })
        .int({ error: `${named} must be a whole number` })
        .min(c.min, { error: `${named} must be ${c.min} or more` })
        .max(c.max, { error: `${named} must be ${c.max} or fewer` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'integer', max: c.max },
      optional: false,
    }
  },
  actionItem: (c: Common): Field => numbered(c, { kind: 'actionItem' }),
  hearing: (c: Common & { waiting?: boolean }): Field => numbered(c, { kind: 'hearing', waiting: c.waiting ?? false }),
  charge: (c: Common): Field => numbered(c, { kind: 'charge' }),
  direction: (c: Common): Field => numbered(c, { kind: 'direction' }),
  disclosureItem(c: Common): Field {
    return {
      schema: z
        .string({ error: `Select ${c.name}` })
        .regex(/^[CDE][1-9][0-9]{0,3}$/, { error: `Select ${c.name} from the list` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'disclosureItem' },
      optional: false,
    }
  },
  materialRequest: (c: Common & { states: readonly string[]; kind?: 'device' | 'third_party' }): Field =>
    numbered(c, { kind: 'materialRequest', states: c.states, requestKind: c.kind }),
  boolean(c: Common): Field {
    return {
      schema: z.boolean({ error: `Select whether ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'boolean' },
      optional: false,
    }
  },
  person(c: Common & { role: 'suspect' | 'complainant' | 'complainant_or_witness' | 'any' }): Field {
    return {
      schema: z.uuid({ error: `Select ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'person', role: c.role },
      optional: false,
    }
  },
  user(c: Common & { role: 'isva'; assigned?: boolean }): Field {
    return {
      schema: z.uuid({ error: `Select ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'user', role: c.role, assigned: c.assigned ?? false },
      optional: false,
    }
  },
  advocate(c: Common & { instructed?: boolean }): Field {
    return {
      schema: z.uuid({ error: `Select ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'advocate', instructed: c.instructed ?? false },
      optional: false,
    }
  },
  choices(c: Common & { options: readonly { value: string; text: string }[] }): Field {
    const values = c.options.map((o) => o.value) as [string, ...string[]]
    return {
      schema: z
        .array(z.enum(values, { error: `Select ${c.name} from the list` }), { error: `Select ${c.name}` })
        .min(1, { error: `Select ${c.name}` })
        .max(values.length, { error: `Select each of ${c.name} once` })
        .refine((list) => new Set(list).size === list.length, { error: `Select each of ${c.name} once` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'checkboxes', options: c.options },
      optional: false,
    }
  },
  people(c: Common & { role: 'suspect' }): Field {
    return {
      schema: z
        .array(z.uuid({ error: `Select ${c.name} from the list` }), { error: `Select ${c.name}` })
        .min(1, { error: `Select ${c.name}` })
        .max(50, { error: `Select at most 50 of ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'people', role: c.role },
      optional: false,
    }
  },
  outcomeCode(c: Common): Field {
    return {
      schema: z
        .number({ error: `Select ${c.name}` })
        .int({ error: `Select ${c.name}` })
        .min(1, { error: `Select ${c.name}` })
        .max(22, { error: `Select ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'reference', table: 'outcome_types' },
      optional: false,
    }
  },
  offenceCode(c: Common): Field {
    return {
      schema: z
        .string({ error: `Select ${c.name}` })
        .trim()
        .regex(/^[0-9]{2}[A-Z]?$/, { error: `Select ${c.name}` }),
      label: c.label,
      hint: c.hint,
      ui: { kind: 'reference', table: 'offence_codes' },
      optional: false,
    }
  },
}

/** One of the case's numbered things (an action plan item, a hearing, a charge, a direction, a request), chosen by its number. */
function numbered(
  c: Common,
  ui: Extract<FieldUi, { kind: 'actionItem' | 'hearing' | 'charge' | 'direction' | 'materialRequest' }>,
): Field {
  return {
    schema: z
      .number({ error: `Select ${c.name}` })
      .int({ error: `Select ${c.name}` })
      .min(1, { error: `Select ${c.name}` })
      .max(10000, { error: `Select ${c.name}` }),
    label: c.label,
    hint: c.hint,
    ui,
    optional: false,
  }
}

function listField(c: Common & { item: Fields; itemLabel: string; min: number; max: number; slots?: number }): Field {
  const item = schemaOf(c.item)
  return {
    schema: z
      .array(item, { error: `Add ${c.name}` })
      .min(c.min, { error: `Add at least ${c.min === 1 ? 'one' : c.min} ${c.itemLabel.toLowerCase()}` })
      .max(c.max, { error: `Add at most ${c.max} ${c.itemLabel.toLowerCase()}s` }),
    label: c.label,
    hint: c.hint,
    ui: { kind: 'list', item: c.item, itemLabel: c.itemLabel, slots: c.slots ?? Math.min(c.max, 5) },
    optional: false,
  }
}
export function optional(f: Field): Field {
  return { ...f, schema: f.schema.optional(), optional: true }
}

export type Fields = Record<string, Field>

export function schemaOf<F extends Fields>(fields: F) {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, f] of Object.entries(fields)) shape[key] = f.schema
  return z.strictObject(shape, { error: 'Send an object with the fields of this form' })
}

/**
 * The fields of `data` that are valid on their own, parsed. Rules between fields see only these, so a rule never
 * works with a date that is not a date or a list holding null (a row that is not an object is an empty row): a wrong
 * field is reported once, on the field.
 */
export function validFields(fields: Fields, data: unknown): Record<string, unknown> {
  const valid: Record<string, unknown> = {}
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return valid
  for (const [key, f] of Object.entries(fields)) {
    const value = (data as Record<string, unknown>)[key]
    const parsed = f.schema.safeParse(value)
    if (parsed.success && parsed.data !== undefined) valid[key] = parsed.data
    // A list with a wrong row keeps its rows, each with its own valid fields, so rules about a row still name it.
    else if (f.ui.kind === 'list' && Array.isArray(value)) {
      const item = f.ui.item
      valid[key] = value.map((row) => validFields(item, row))
    }
  }
  return valid
}

/**
 * The problems a form's rules between fields find, worked on its valid fields only, leaving out any on a field that was
 * sent but is wrong in itself: that field already has its own message, which is the one to show.
 */
export function ruleProblems<P extends { path: string }>(
  fields: Fields,
  data: unknown,
  rules: (valid: Record<string, unknown>) => P | P[] | null,
): P[] {
  const valid = validFields(fields, data)
  const found = rules(valid)
  const sent = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}
  const problems: P[] = found === null ? [] : Array.isArray(found) ? found : [found]
  return problems.filter(
    (p) => !(Object.hasOwn(fields, p.path) && sent[p.path] !== undefined && !Object.hasOwn(valid, p.path)),
  )
}

/** Turns zod issues into { field: message } with the first message per field (GOV.UK shows one per field). */
export function fieldErrors(error: z.ZodError, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    let key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'body'
    let message = issue.message
    if (issue.code === 'unrecognized_keys') {
      for (const unknown of issue.keys) {
        const unknownKey = [key === 'body' ? '' : key, unknown].filter(Boolean).join('.')
        out[unknownKey] ??= `${unknown} is not a field of this form`
      }
      continue
    }
    if (
      issue.code === 'invalid_type' &&
      issue.input === undefined &&
      !message.startsWith('Enter') &&
      !message.startsWith('Select') &&
      !message.startsWith('Add')
    ) {
      message = `Enter ${key}`
    }
    key = key || 'body'
    out[key] ??= message
  }
  return out
}
