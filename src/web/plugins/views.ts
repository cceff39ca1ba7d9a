import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import { ROLE_LABELS, type Role } from '../../core/roles'
import { STAGE_LABELS, STAGE_TAG_CLASSES, type Stage } from '../../core/stages'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
})
const londonDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })

/** Timestamps are stored in UTC and shown in Europe/London; a date (YYYY-MM-DD) is shown as it is. */
export function formatDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return londonDate.format(new Date(`${value}T00:00:00Z`))
  if (value instanceof Date || typeof value === 'string') return londonDateTime.format(new Date(value))
  return ''
}

export function createViews(): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      path.join(root, 'src/views'),
      path.join(root, 'src/web/pages'),
      // A module's views are named from its folder: 'disclosure/views/disclosure.njk'.
      path.join(root, 'src/modules'),
      path.join(root, 'node_modules/govuk-frontend/dist'),
      path.join(root, 'node_modules/@ministryofjustice/frontend'),
    ],
    { autoescape: true, throwOnUndefined: false, noCache: false },
  )
  env.addFilter('govukDate', formatDate)
  // The MoJ timeline calls mojDate; answer in Europe/London time rather than the server's zone.
  env.addFilter('mojDate', (value: unknown) => formatDate(value))
  env.addFilter('stageLabel', (stage: string) => STAGE_LABELS[stage as Stage] ?? stage)
  env.addFilter('stageTag', (stage: string) => STAGE_TAG_CLASSES[stage as Stage] ?? 'govuk-tag--grey')
  env.addFilter('roleLabel', (role: string) =>
    role
      .split(',')
      .map((r) => ROLE_LABELS[r as Role] ?? r)
      .join(', '),
  )
  env.addFilter('humanise', (value: string) =>
    String(value ?? '')
      .replace(/_/g, ' ')
      .replace(/^./, (c) => c.toUpperCase()),
  )
  // Rows from describeData (label, text, whether a date) as GOV.UK summary list rows.
  env.addFilter('summaryRows', (rows: { label: string; text: string; isDate: boolean }[]) =>
    (rows ?? []).map((r) => ({ key: { text: r.label }, value: { text: r.isDate ? formatDate(r.text) : r.text } })),
  )
  return env
}
