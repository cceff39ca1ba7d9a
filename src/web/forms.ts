import type { Field, Fields } from '../core/fields'
import { NOT_RECORDED } from '../domain/people'

/** Options a page supplies for fields whose choices come from the case or reference data. */
export interface FieldOptions {
  people: { id: string; role: string; label: string; unknown: boolean }[]
  actionItems: { number: number; label: string }[]
  hearings: { number: number; label: string; status: 'listed' | 'held' | 'adjourned' | 'vacated' }[]
  /** Charges without a result. */
  charges: { number: number; label: string }[]
  /** Directions not yet complied with. */
  directions: { number: number; label: string }[]
  /** Items on the case's disclosure schedules, by reference (C3). */
  disclosureItems: { ref: string; label: string }[]
  /** Requests for material, with the state and kind their fields filter on. */
  materialRequests: { number: number; label: string; state: string; kind: 'device' | 'third_party' }[]
  outcomes: { code: number; name: string }[]
  offences: { code: string; name: string }[]
  /** Advocates who can be chosen: eligible for an instruction (with warnings), or instructed on the case. */
  advocates: { id: string; label: string; warnings: readonly string[] }[]
  /** People who can be chosen for a user field: every active ISVA, and those assigned to the case. */
  users: { id: string; label: string; assigned: boolean }[]
}

type Body = Record<string, unknown>
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** Reads one field from a urlencoded form body into the value its zod schema expects. */
function readField(key: string, f: Field, body: Body): unknown {
  switch (f.ui.kind) {
    case 'date': {
      const parts = ['year', 'month', 'day'].map((p) => (str(body[`${key}-${p}`]) ?? '').trim())
      if (parts.every((p) => p === '')) return undefined
      const [year, month, day] = parts as [string, string, string]
      if (![year, month, day].every((p) => /^\d{1,4}$/.test(p))) return 'invalid'
      return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
    }
    case 'checkboxes':
    case 'people': {
      const values = [body[key] ?? []].flat().filter((v): v is string => typeof v === 'string' && v !== '')
      return values.length > 0 ? values : undefined
    }
    case 'boolean': {
      const value = str(body[key])
      return value === 'yes' ? true : value === 'no' ? false : undefined
    }
    case 'integer':
    case 'hearing':
    case 'charge':
    case 'direction':
    case 'materialRequest':
    case 'actionItem': {
      const value = body[key]
      if (typeof value !== 'string' || value.trim() === '') return undefined
      return /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value
    }
    case 'reference': {
      const value = body[key]
      if (typeof value !== 'string' || value === '') return value === '' ? undefined : value
      return f.ui.table === 'outcome_types' && /^\d{1,3}$/.test(value) ? Number(value) : value
    }
    default: {
      const value = body[key]
      if (typeof value === 'string') return value.trim() === '' ? undefined : value
      return value
    }
  }
}

export function formToData(fields: Fields, body: Body): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  for (const [key, f] of Object.entries(fields)) {
    if (f.ui.kind === 'list') {
      // Rows are named key-0-field, key-1-field ...; a row left empty is not a row.
      const rows: Record<string, unknown>[] = []
      for (let i = 0; i < f.ui.slots; i++) {
        const row = formToData(f.ui.item, rowBody(body, `${key}-${i}-`))
        if (Object.keys(row).length > 0) rows.push(row)
      }
      data[key] = rows
      continue
    }
    const value = readField(key, f, body)
    if (value !== undefined) data[key] = value
  }
  return data
}

function rowBody(body: Body, prefix: string): Body {
  return Object.fromEntries(
    Object.entries(body)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  )
}

function rowErrors(errors: Record<string, string>, key: string, index: number): Record<string, string> {
  const prefix = `${key}.${index}.`
  return Object.fromEntries(
    Object.entries(errors)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  )
}

/** What the field macro draws: the question, its current answer and its error. */
export interface FieldView {
  key: string
  kind: 'text' | 'textarea' | 'date' | 'radios' | 'select' | 'list' | 'checkboxes'
  rows?: { legend: string; fields: FieldView[] }[]
  label: string
  hint?: string
  width?: string
  maxLength?: number
  value: unknown
  error?: string
  items?: { value: string; text: string; selected?: boolean; checked?: boolean }[]
}

function dateParts(value: unknown, body: Body | undefined, key: string) {
  if (body && [`${key}-day`, `${key}-month`, `${key}-year`].some((k) => k in body)) {
    return {
      day: str(body[`${key}-day`]) ?? '',
      month: str(body[`${key}-month`]) ?? '',
      year: str(body[`${key}-year`]) ?? '',
    }
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [year, month, day] = value.split('-') as [string, string, string]
    return { day: String(Number(day)), month: String(Number(month)), year }
  }
  return { day: '', month: '', year: '' }
}

function choices(
  options: { value: string; text: string }[],
  current: unknown,
  kind: 'radios' | 'select',
  optional: boolean,
) {
  const value = current === undefined || current === null ? '' : String(current)
  const items = options.map((o) => ({
    value: o.value,
    text: o.text,
    ...(kind === 'select' ? { selected: o.value === value } : { checked: o.value === value }),
  }))
  if (kind !== 'select') return items
  // A list with its own "Not recorded" (ethnicity, age band) needs no empty choice saying the same again: that one
  // stands for it, and is chosen while nothing is.
  const notRecorded = items.find((i) => i.value === NOT_RECORDED)
  if (optional && notRecorded)
    return items.map((i) => (i === notRecorded && value === '' ? { ...i, selected: true } : i))
  return [{ value: '', text: optional ? 'Not recorded' : 'Select an option', selected: value === '' }, ...items]
}

/**
 * Builds the views of a form's fields. `values` are parsed values (for example a saved draft), `body` the raw
 * form post when re-showing a form with errors, so what the person typed is kept even when it was invalid.
 */
export function fieldViews(
  fields: Fields,
  options: {
    values?: Record<string, unknown>
    body?: Body
    errors?: Record<string, string>
    lookups?: Partial<FieldOptions>
    prefix?: string
  },
): FieldView[] {
  const { values = {}, body, errors = {}, lookups = {} } = options
  const prefix = options.prefix ?? ''
  return Object.entries(fields).map(([key, f]): FieldView => {
    const raw = body ? body[key] : values[key]
    const base = { key: prefix + key, label: f.label, hint: f.hint, error: errors[key] }
    switch (f.ui.kind) {
      case 'list': {
        const list = f.ui
        const saved = Array.isArray(values[key]) ? (values[key] as Record<string, unknown>[]) : []
        return {
          ...base,
          kind: 'list',
          value: undefined,
          rows: Array.from({ length: list.slots }, (_, i) => ({
            legend: `${list.itemLabel} ${i + 1}`,
            fields: fieldViews(list.item, {
              values: saved[i] ?? {},
              body: body ? rowBody(body, `${prefix}${key}-${i}-`) : undefined,
              errors: rowErrors(errors, key, i),
              lookups,
              prefix: `${prefix}${key}-${i}-`,
            }),
          })),
        }
      }
      case 'text':
        return { ...base, kind: 'text', width: f.ui.width, maxLength: f.ui.maxLength, value: raw ?? '' }
      case 'textarea':
        return { ...base, kind: 'textarea', value: raw ?? '' }
      case 'integer':
        return { ...base, kind: 'text', width: 'short', maxLength: 9, value: raw ?? '' }
      case 'actionItem':
      case 'charge':
      case 'direction':
      case 'materialRequest':
      case 'hearing': {
        const ui = f.ui
        const numberedItems =
          ui.kind === 'hearing'
            ? lookups.hearings?.filter((h) => (ui.waiting ? h.status === 'listed' : h.status !== 'vacated'))
            : ui.kind === 'charge'
              ? lookups.charges
              : ui.kind === 'direction'
                ? lookups.directions
                : ui.kind === 'materialRequest'
                  ? lookups.materialRequests?.filter(
                      (r) => ui.states.includes(r.state) && (!ui.requestKind || r.kind === ui.requestKind),
                    )
                  : lookups.actionItems
        return {
          ...base,
          kind: 'radios',
          value: raw,
          items: choices(
            (numberedItems ?? []).map((i) => ({ value: String(i.number), text: i.label })),
            raw,
            'radios',
            f.optional,
          ),
        }
      }
      case 'disclosureItem':
        return {
          ...base,
          kind: 'select',
          value: raw,
          items: choices(
            (lookups.disclosureItems ?? []).map((i) => ({ value: i.ref, text: i.label })),
            raw,
            'select',
            f.optional,
          ),
        }
      case 'date':
        return { ...base, kind: 'date', value: dateParts(values[key], body, key) }
      case 'boolean':
        return {
          ...base,
          kind: 'radios',
          value: raw,
          items: choices(
            [
              { value: 'yes', text: 'Yes' },
              { value: 'no', text: 'No' },
            ],
            raw === true ? 'yes' : raw === false ? 'no' : raw,
            'radios',
            f.optional,
          ),
        }
      case 'radios':
      case 'select':
        return { ...base, kind: f.ui.kind, value: raw, items: choices([...f.ui.options], raw, f.ui.kind, f.optional) }
      case 'person': {
        const role = f.ui.role
        const people = (lookups.people ?? []).filter(
          (p) =>
            role === 'any' ||
            (!p.unknown && (role === 'complainant_or_witness' ? p.role !== 'suspect' : p.role === role)),
        )
        return {
          ...base,
          kind: 'radios',
          value: raw,
          items: choices(
            people.map((p) => ({ value: p.id, text: p.label })),
            raw,
            'radios',
            f.optional,
          ),
        }
      }
      case 'advocate': {
        const advocates = lookups.advocates ?? []
        return {
          ...base,
          kind: 'radios',
          value: raw,
          items: choices(
            advocates.map((a) => ({ value: a.id, text: a.label })),
            raw,
            'radios',
            f.optional,
          ).map((item, i) => {
            const warnings = advocates[i]!.warnings
            return warnings.length ? { ...item, hint: { text: `Warning: ${warnings.join('. ')}` } } : item
          }),
        }
      }
      case 'user': {
        const assigned = f.ui.assigned
        const users = (lookups.users ?? []).filter((u) => !assigned || u.assigned)
        return {
          ...base,
          kind: 'radios',
          value: raw,
          items: choices(
            users.map((u) => ({ value: u.id, text: u.label })),
            raw,
            'radios',
            f.optional,
          ),
        }
      }
      case 'checkboxes': {
        const ticked = [raw ?? []].flat().map(String)
        return {
          ...base,
          kind: 'checkboxes',
          value: raw,
          items: f.ui.options.map((o) => ({ value: o.value, text: o.text, checked: ticked.includes(o.value) })),
        }
      }
      case 'people': {
        const role = f.ui.role
        const ticked = [raw ?? []].flat().map(String)
        return {
          ...base,
          kind: 'checkboxes',
          value: raw,
          items: (lookups.people ?? [])
            .filter((p) => p.role === role && !p.unknown)
            .map((p) => ({ value: p.id, text: p.label, checked: ticked.includes(p.id) })),
        }
      }
      case 'reference': {
        const list =
          f.ui.table === 'outcome_types'
            ? (lookups.outcomes ?? []).map((o) => ({ value: String(o.code), text: `${o.code}: ${o.name}` }))
            : (lookups.offences ?? []).map((o) => ({ value: o.code, text: `${o.code}: ${o.name}` }))
        return { ...base, kind: 'select', value: raw, items: choices(list, raw, 'select', f.optional) }
      }
    }
  })
}

/** The error summary list: each message links to its field (a date to its day box, a list row's field to that row). */
export function errorList(errors: Record<string, string>, fields?: Fields, prefix = '') {
  return Object.entries(errors).map(([key, text]) => {
    const [head, index, sub] = key.split('.')
    const f = fields?.[head!]
    const inner = f?.ui.kind === 'list' && sub ? f.ui.item[sub] : f
    const id = f?.ui.kind === 'list' && index !== undefined && sub ? `${head}-${index}-${sub}` : key
    return { text, href: `#${prefix}${id}${inner?.ui.kind === 'date' ? '-day' : ''}` }
  })
}
