import { sql } from 'kysely'
import type { Config } from '../../config'
import type { Repositories } from '../../data'
import { fieldErrors, todayIso } from '../../core/fields'
import { MEASURES, measureById, THEMES, type MeasureDefinition } from './measures'
import { addQuarters, BREAKDOWNS, nextQuarter, percentiles, quarterLabel, quarterOf } from './breakdowns'
import { measureQuerySchema, withoutEmpty, type MeasureQuery } from './query'
import { caseAccessRules } from '../../core/scope'
import {
  DISCLOSURE_METHOD_VERSION,
  oneWayLines,
  protect,
  protectedRate,
  twoWayLines,
  type ProtectedCell,
} from './statistical-disclosure'
import { type ModuleKernel, serviceOf } from '../module'
import type { RequestContext } from '../../services/context'
import { NATIONAL } from '../../services/measure-projection'
import { invalid, notFound } from '../../services/errors'

const MAX_QUARTERS = 40
/** The one group of the dashboard summary (not 'all', which names the total row). */
const SUMMARY_GROUP = 'summary'

export interface MeasureRow {
  group: string
  label: string
  category?: string
  categoryLabel?: string
  value: number | null
  numerator: number | null
  denominator: number | null
  suppressed: boolean
  p90?: number | null
}

export interface MeasureResult {
  measure: ReturnType<typeof catalogueEntry>
  parameters: Required<Pick<MeasureQuery, 'by'>> & {
    from: string
    to: string
    force: string | null
    area: string | null
    offenceGroup: string | null
  }
  disclosureControl: { applied: boolean; threshold: number; base: number; method: string; reason: string }
  rows: MeasureRow[]
  total: MeasureRow[]
}

export type ReleaseOutput = 'page' | 'api' | 'csv' | 'ods' | 'pack'

export function catalogueEntry(m: MeasureDefinition) {
  return {
    id: m.id,
    name: m.name,
    theme: THEMES[m.theme],
    kind: m.kind,
    unit: m.unit,
    definition: m.definition,
    numerator: m.numerator,
    denominator: m.denominator,
    cohort: m.cohort,
    reads: [...m.reads],
    categories: m.categories ? m.categories.map((c) => ({ ...c })) : null,
  }
}

type Sums = Map<string, Map<string, { n: number; d: number }>>
const catKey = (category: string, days: number) => `${category}\u0000${days}`

/** Empty rows stay in the table (shown suppressed), so a force or group with nothing is never silently dropped. */
function compute(
  m: MeasureDefinition,
  groups: readonly { value: string; label: string }[],
  sums: Sums,
  categoryLabels: Map<string, string>,
  control: { applied: boolean; threshold: number; base: number },
): { rows: MeasureRow[]; total: MeasureRow[]; suppressed: number } {
  const rules = { threshold: control.threshold, base: control.base }
  const exact = (n: number): ProtectedCell => ({ value: n, suppressed: false })
  const oneWay = (counts: number[]) =>
    control.applied
      ? protect([...counts, counts.reduce((s, c) => s + c, 0)], oneWayLines(counts.length), rules)
      : [...counts, counts.reduce((s, c) => s + c, 0)].map(exact)
  const rate = (n: ProtectedCell, d: ProtectedCell) =>
    control.applied ? protectedRate(n, d) : d.value ? Math.round((n.value! / d.value) * 1000) / 10 : null
  const cellsOf = (g: string) =>
    [...(sums.get(g) ?? new Map()).entries()].map(([k, v]) => {
      const [category, days] = k.split('\u0000')
      return { category: category!, days: Number(days), ...v }
    })
  const all = [...groups, { value: 'all', label: 'All' }]
  const row = (i: number, extra: Partial<MeasureRow>): MeasureRow => ({
    group: all[i]!.value,
    label: all[i]!.label,
    value: null,
    numerator: null,
    denominator: null,
    suppressed: false,
    ...extra,
  })
  const split = (rows: MeasureRow[]) => ({
    rows: rows.filter((r) => r.group !== 'all'),
    total: rows.filter((r) => r.group === 'all'),
    suppressed: rows.filter((r) => r.suppressed).length,
  })
  const G = groups.length

  if (m.kind === 'count' || m.kind === 'rate' || m.kind === 'duration') {
    const n = groups.map((g) => cellsOf(g.value).reduce((s, c) => s + c.n, 0))
    const d = groups.map((g) => cellsOf(g.value).reduce((s, c) => s + c.d, 0))
    if (m.kind === 'count') {
      const pn = oneWay(n)
      return split(pn.map((c, i) => row(i, { value: c.value, numerator: c.value, suppressed: Boolean(c.suppressed) })))
    }
    if (m.kind === 'rate') {
      const [pn, pd] = [oneWay(n), oneWay(d)]
      return split(
        pn.map((c, i) =>
          row(i, {
            value: rate(c, pd[i]!),
            numerator: c.value,
            denominator: pd[i]!.value,
            suppressed: Boolean(c.suppressed || pd[i]!.suppressed),
          }),
        ),
      )
    }
    const pn = oneWay(n)
    const histograms = [...groups.map((g) => cellsOf(g.value)), groups.flatMap((g) => cellsOf(g.value))]
    return split(
      pn.map((c, i) => {
        const stats = percentiles(histograms[i]!.map((h) => ({ days: h.days, count: h.n })))
        const hidden = Boolean(c.suppressed)
        return row(i, {
          value: hidden ? null : stats.median,
          p90: hidden ? null : stats.p90,
          numerator: c.value,
          suppressed: hidden,
        })
      }),
    )
  }

  // Shares and the funnel: a table of groups by category.
  const categories = [
    ...(m.categories ?? []).map((c) => c.value),
    ...[...new Set(groups.flatMap((g) => cellsOf(g.value).map((c) => c.category)))]
      .filter((c) => !(m.categories ?? []).some((k) => k.value === c))
      .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)),
  ]
  const count = (g: string, category: string) =>
    cellsOf(g)
      .filter((c) => c.category === category)
      .reduce((s, c) => s + c.n, 0)
  const C = categories.length
  const labelOf = (c: string) => categoryLabels.get(c) ?? m.categories?.find((k) => k.value === c)?.text ?? c
  const out: MeasureRow[] = []
  if (m.kind === 'share') {
    const interior = groups.flatMap((g) => categories.map((c) => count(g.value, c)))
    const rowTotals = groups.map((_, r) => interior.slice(r * C, r * C + C).reduce((s, v) => s + v, 0))
    const colTotals = categories.map((_, c) => groups.reduce((s, _g, r) => s + interior[r * C + c]!, 0))
    const cells = [...interior, ...rowTotals, ...colTotals, rowTotals.reduce((s, v) => s + v, 0)]
    const p = control.applied ? protect(cells, twoWayLines(G, C), rules) : cells.map(exact)
    const at = (r: number, c: number) => (r < G ? p[r * C + c]! : p[G * C + G + c]!)
    const totalOf = (r: number) => (r < G ? p[G * C + r]! : p[G * C + G + C]!)
    for (let r = 0; r <= G; r++) {
      for (let c = 0; c < C; c++) {
        const cell = at(r, c)
        const t = totalOf(r)
        out.push(
          row(r, {
            category: categories[c],
            categoryLabel: labelOf(categories[c]!),
            value: rate(cell, t),
            numerator: cell.value,
            denominator: t.value,
            suppressed: Boolean(cell.suppressed || t.suppressed),
          }),
        )
      }
    }
    return split(out)
  }
  // The funnel: stages are nested, not additive, so each stage is protected across the groups on its own.
  const columns = categories.map((c) => oneWay(groups.map((g) => count(g.value, c))))
  const reported = columns[0]!
  for (let r = 0; r <= G; r++) {
    categories.forEach((category, c) => {
      const cell = columns[c]![r]!
      out.push(
        row(r, {
          category,
          categoryLabel: labelOf(category),
          value: rate(cell, reported[r]!),
          numerator: cell.value,
          denominator: reported[r]!.value,
          suppressed: Boolean(cell.suppressed || reported[r]!.suppressed),
        }),
      )
    })
  }
  return split(out)
}

export function measuresService(repos: Repositories, config: Config) {
  const { db } = repos

  async function organisations() {
    const [orgs, links] = await Promise.all([repos.reference.organisations(), repos.reference.forceAreaLinks()])
    return {
      forces: orgs.filter((o) => o.kind === 'police_force'),
      areas: orgs.filter((o) => o.kind === 'cps_area'),
      links,
    }
  }

  /** Checks the parameters: 400 naming each bad one, including a force or area that does not exist. */
  async function parameters(input: unknown) {
    const parsed = measureQuerySchema.safeParse(input ?? {})
    const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error)
    const raw = (withoutEmpty(input) ?? {}) as Record<string, unknown>
    const orgs = await organisations()
    if (!errors.force && typeof raw.force === 'string' && !orgs.forces.some((f) => f.code === raw.force))
      errors.force = 'Select a police force from the list'
    if (!errors.area && typeof raw.area === 'string' && !orgs.areas.some((a) => a.code === raw.area))
      errors.area = 'Select a CPS area from the list'
    if (!parsed.success || Object.keys(errors).length) throw invalid(errors)
    const q = parsed.data
    const to = q.to ?? todayIso()
    const from = q.from ?? quarterOf(addQuarters(quarterOf(to), -3))
    let quarters = 0
    for (let at = quarterOf(from); at <= to && quarters <= MAX_QUARTERS; at = nextQuarter(at)) quarters++
    if (quarters > MAX_QUARTERS) errors.from = `Choose a period of at most ${MAX_QUARTERS / 4} years`
    if (!q.to && from > to) errors.from = 'The start date must be on or before today'
    if (Object.keys(errors).length) throw invalid(errors)
    return {
      query: {
        by: q.by,
        from,
        to,
        force: q.force ?? null,
        area: q.area ?? null,
        offenceGroup: q.offence_group ?? null,
      },
      orgs,
    }
  }

  type Parameters = Awaited<ReturnType<typeof parameters>>

  /**
   * Exact figures only for someone who can see every case behind them: a police officer for their own force, a
   * prosecutor for their own area. Everything else (other forces, national, analysts, every export) is controlled.
   */
  async function controlFor(ctx: RequestContext, p: Parameters['query'], output: ReleaseOutput) {
    const rules = config.disclosureControl
    const base = { threshold: rules.threshold, base: rules.base, method: DISCLOSURE_METHOD_VERSION }
    if (output !== 'page' && output !== 'api')
      return { applied: true, ...base, reason: 'Exported figures are always controlled' }
    const own = caseAccessRules(ctx.user).some(
      (r) => (r.via === 'own_force' && p.force === r.forceCode) || (r.via === 'area_forces' && p.area === r.areaCode),
    )
    const controlled = { applied: true, ...base, reason: 'Small numbers are suppressed and the rest rounded' }
    if (!own) return controlled
    // A restricted case the reader is not named on is behind the figures too: exact counts could point to it.
    let hidden = db
      .selectFrom('cases as c')
      .select('c.id')
      .where('c.restricted', '=', true)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('case_access as a')
              .select('a.case_id')
              .whereRef('a.case_id', '=', 'c.id')
              .where('a.user_id', '=', ctx.user.id)
              .where('a.kind', '=', 'restricted'),
          ),
        ),
      )
    if (p.force) hidden = hidden.where('c.force_code', '=', p.force)
    if (p.area) hidden = hidden.where('c.area_code', '=', p.area)
    if (await hidden.limit(1).executeTakeFirst()) return controlled
    return { applied: false, ...base, reason: 'Exact figures: every case behind them is in your scope' }
  }

  async function groupsOf(p: Parameters['query'], orgs: Parameters['orgs']) {
    if (p.by === 'force') {
      const forces = orgs.forces.filter(
        (f) =>
          (!p.force || f.code === p.force) &&
          (!p.area || orgs.links.some((l) => l.force_code === f.code && l.area_code === p.area)),
      )
      return forces.map((f) => ({ value: f.code, label: f.name }))
    }
    if (p.by === 'area') {
      const areas = orgs.areas.filter(
        (a) =>
          (!p.area || a.code === p.area) &&
          (!p.force || orgs.links.some((l) => l.area_code === a.code && l.force_code === p.force)),
      )
      return areas.map((a) => ({ value: a.code, label: a.name }))
    }
    if (p.by === 'quarter') {
      const out: { value: string; label: string }[] = []
      for (let at = quarterOf(p.from); at <= p.to; at = nextQuarter(at))
        out.push({ value: at, label: quarterLabel(at) })
      return out
    }
    const values = BREAKDOWNS[p.by].values!
    return values
      .filter((v) => p.by !== 'offence_group' || !p.offenceGroup || v.value === p.offenceGroup)
      .map((v) => ({ value: v.value, label: v.text }))
  }

  /** One query: the sums of the measures asked for, grouped by the breakdown, from measure_cells. */
  async function sums(measureIds: readonly string[], p: Parameters['query'], grouped: boolean) {
    const personal = !['force', 'area', 'quarter', 'offence_group'].includes(p.by)
    const column =
      { force: 'force_code', area: 'area_code', quarter: 'quarter', offence_group: 'offence_group' }[p.by as 'force'] ??
      'breakdown_value'
    const groupExpr = grouped ? sql.ref(column) : sql.lit(SUMMARY_GROUP)
    let query = db
      .selectFrom('measure_cells')
      .select([
        'measure_id',
        sql<string>`${groupExpr}::text`.as('grp'),
        'category',
        'days',
        sql<string>`sum(numerator)`.as('n'),
        sql<string>`sum(denominator)`.as('d'),
      ])
      .where('measure_id', 'in', [...measureIds])
      .where('breakdown', '=', grouped && personal ? p.by : 'all')
      .where('quarter', '>=', quarterOf(p.from))
      .where('quarter', '<=', quarterOf(p.to))
    // Without a force or area, and not broken down by them, the national rows answer: a few rows a measure.
    const national = !p.force && !p.area && p.by !== 'force' && p.by !== 'area'
    query = query.where('force_code', national ? '=' : '<>', NATIONAL)
    if (p.force) query = query.where('force_code', '=', p.force)
    if (p.area) query = query.where('area_code', '=', p.area)
    if (p.offenceGroup) query = query.where('offence_group', '=', p.offenceGroup)
    const rows = await query.groupBy(['measure_id', sql`2`, 'category', 'days']).execute()
    const byMeasure = new Map<string, Sums>()
    for (const r of rows) {
      const group = r.grp
      const s = byMeasure.get(r.measure_id) ?? new Map()
      byMeasure.set(r.measure_id, s)
      const g = s.get(group) ?? new Map()
      s.set(group, g)
      g.set(catKey(r.category, r.days), { n: Number(r.n), d: Number(r.d) })
    }
    return byMeasure
  }

  async function outcomeLabels() {
    const rows = await repos.reference.outcomeTypes()
    return new Map(rows.map((r) => [String(r.code), `${r.code}: ${r.name}`]))
  }

  async function release(
    ctx: RequestContext,
    output: ReleaseOutput,
    measureIds: readonly string[],
    parameters: object,
    control: object,
    rows: readonly MeasureRow[],
  ) {
    await db
      .insertInto('measure_releases')
      .values({
        user_id: ctx.user.id,
        user_org: ctx.user.orgCode,
        measure_ids: [...measureIds],
        output,
        parameters: JSON.stringify(parameters),
        disclosure_control: JSON.stringify(control),
        row_count: rows.length,
        suppressed_count: rows.filter((r) => r.suppressed).length,
      })
      .execute()
  }

  return {
    catalogue: () => MEASURES.map(catalogueEntry),

    async organisations() {
      const orgs = await organisations()
      return { forces: orgs.forces, areas: orgs.areas }
    },

    /** One measure by a breakdown, controlled as the caller and the output require, and logged as a release. */
    async read(ctx: RequestContext, id: string, input: unknown, output: ReleaseOutput): Promise<MeasureResult> {
      const m = measureById(id)
      if (!m) throw notFound()
      const { query, orgs } = await parameters(input)
      const control = await controlFor(ctx, query, output)
      const [groups, all, labels] = await Promise.all([
        groupsOf(query, orgs),
        sums([m.id], query, true),
        m.id === 'police_outcomes' ? outcomeLabels() : Promise.resolve(new Map<string, string>()),
      ])
      const result = compute(m, groups, all.get(m.id) ?? new Map(), labels, control)
      await release(ctx, output, [m.id], query, control, [...result.rows, ...result.total])
      return {
        measure: catalogueEntry(m),
        parameters: query,
        disclosureControl: control,
        rows: result.rows,
        total: result.total,
      }
    },

    /** Every measure's total for the period and filters: the dashboard, in one query. */
    async summary(ctx: RequestContext, input: unknown, output: ReleaseOutput) {
      const { query, orgs } = await parameters(input)
      const control = await controlFor(ctx, query, output)
      const [all, labels] = await Promise.all([
        sums(
          MEASURES.map((m) => m.id),
          query,
          false,
        ),
        outcomeLabels(),
      ])
      const measures = MEASURES.map((m) => {
        const everything = [{ value: SUMMARY_GROUP, label: 'All' }]
        const result = compute(m, everything, all.get(m.id) ?? new Map(), labels, control)
        return { measure: catalogueEntry(m), total: result.rows }
      })
      await release(
        ctx,
        output,
        MEASURES.map((m) => m.id),
        query,
        control,
        measures.flatMap((m) => m.total),
      )
      return { parameters: query, disclosureControl: control, measures, organisations: orgs }
    },

    async releases(limit = 50) {
      return db.selectFrom('measure_releases').selectAll().orderBy('id', 'desc').limit(limit).execute()
    },
  }
}

export type MeasuresService = ReturnType<typeof measuresService>

/** The joint performance service over the composition root's parts (built once for them). */
export const performanceOf = (services: ModuleKernel) =>
  serviceOf(services, 'performance', (k) => measuresService(k.repos, k.config))
