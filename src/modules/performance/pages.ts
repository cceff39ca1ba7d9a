import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isRealDate, todayIso } from '../../core/fields'
import { MEASURES, THEMES } from './measures'
import { addQuarters, BREAKDOWNS, nextQuarter, quarterEnd, quarterLabel, quarterOf } from './breakdowns'
import { performanceOf, type MeasuresService } from './service'
import type { Services } from '../../services'
import { AppError } from '../../services/errors'
import type { MeasureResult, MeasureRow, ReleaseOutput } from './service'
import { barChartSvg } from '../../web/charts'
import { toCsv, toOds, type ExportTable } from '../../web/table-export'
import { requireUser } from '../../web/plugins/auth'

type Query = Record<string, unknown>
type IdParams = { Params: { id: string }; Querystring: Query }

const FIRST_QUARTER = '2015-04-01'

/** Quarters to choose from: starts for "from", last days for "to", newest first. */
function quarterOptions() {
  const out: { start: string; end: string; label: string }[] = []
  for (let at = FIRST_QUARTER; at <= todayIso(); at = nextQuarter(at)) {
    out.push({ start: at, end: quarterEnd(at), label: quarterLabel(at) })
  }
  return out.reverse()
}

/** Only the filter parameters, as strings, for links and forms (never anything else from the query string). */
function filterParams(query: Query, withBy: boolean) {
  const keys = ['from', 'to', 'force', 'area', 'offence_group', ...(withBy ? ['by'] : [])]
  const out: Record<string, string> = {}
  for (const key of keys) {
    const value = query[key]
    if (typeof value === 'string' && value !== '') out[key] = value
  }
  return out
}
const queryString = (params: Record<string, string>) => {
  const s = new URLSearchParams(params).toString()
  return s ? `?${s}` : ''
}

const unitText = (m: { unit: string }, value: number | null) =>
  value === null ? null : m.unit === 'percent' ? `${value}%` : m.unit === 'days' ? `${value} days` : String(value)

function figure(m: { unit: string; kind: string }, row: MeasureRow) {
  if (row.suppressed) return 'Suppressed'
  if (m.kind === 'duration')
    return row.value === null ? 'None' : `${unitText(m, row.value)} (90th percentile ${row.p90} days)`
  return unitText(m, row.value) ?? 'None'
}

/** The table of a measure's rows, as shown and as exported: one definition for both. */
function tableOf(result: MeasureResult, title: string): ExportTable {
  const m = result.measure
  const categorised = m.kind === 'share' || m.kind === 'funnel'
  const columns = [
    { key: 'group', label: BREAKDOWNS[result.parameters.by].label },
    ...(categorised ? [{ key: 'category', label: m.kind === 'funnel' ? 'Stage' : 'Category' }] : []),
    {
      key: 'value',
      label: m.kind === 'duration' ? 'Median (days)' : m.unit === 'percent' ? 'Per cent' : 'Cases',
      numeric: true,
    },
    ...(m.kind === 'duration' ? [{ key: 'p90', label: '90th percentile (days)', numeric: true }] : []),
    { key: 'numerator', label: m.kind === 'duration' ? 'Number measured' : 'Numerator', numeric: true },
    ...(m.denominator ? [{ key: 'denominator', label: 'Denominator', numeric: true }] : []),
    { key: 'suppressed', label: 'Suppressed' },
  ]
  const rows = [...result.rows, ...result.total].map((r) => ({
    group: r.label,
    category: r.categoryLabel ?? null,
    value: r.value,
    p90: r.p90 ?? null,
    numerator: r.numerator,
    denominator: r.denominator,
    suppressed: r.suppressed ? 'Yes' : 'No',
  }))
  const dc = result.disclosureControl
  return {
    title,
    columns,
    rows,
    notes: [
      `${m.name}: ${m.definition}`,
      `Numerator: ${m.numerator}.${m.denominator ? ` Denominator: ${m.denominator}.` : ''} Cohort: ${m.cohort}.`,
      `Period: whole financial quarters from ${quarterLabel(quarterOf(result.parameters.from))} to ${quarterLabel(quarterOf(result.parameters.to))}.`,
      dc.applied
        ? `Counts below ${dc.threshold} are suppressed, others rounded to the nearest ${dc.base}, with further cells suppressed so none can be worked out; rates use the rounded counts. Method: ${dc.method}.`
        : 'Exact figures, for people who can see every case behind them. Do not share outside the case teams.',
      `Casebridge, produced ${new Date().toISOString()}.`,
    ],
  }
}

/** Each measure's figure for the period, as the dashboard and the pack show it. */
function summaryRows(summary: Awaited<ReturnType<MeasuresService['summary']>>) {
  return summary.measures.map(({ measure, total }) => ({
    measure,
    figures: total.map((r) => ({
      category: r.categoryLabel,
      text: figure(measure, r),
      base: r.suppressed ? null : measure.denominator ? r.denominator : r.numerator,
    })),
  }))
}

/** The dashboard's figures as one table for download: every measure's total for the period and filters. */
function summaryTable(summary: Awaited<ReturnType<MeasuresService['summary']>>): ExportTable {
  const p = summary.parameters
  const dc = summary.disclosureControl
  return {
    title: 'Joint performance',
    columns: [
      { key: 'measure', label: 'Measure' },
      { key: 'category', label: 'Stage or category' },
      { key: 'unit', label: 'Unit' },
      { key: 'value', label: 'Figure (median for days)', numeric: true },
      { key: 'p90', label: '90th percentile (days)', numeric: true },
      { key: 'numerator', label: 'Numerator (or number measured)', numeric: true },
      { key: 'denominator', label: 'Denominator', numeric: true },
      { key: 'suppressed', label: 'Suppressed' },
    ],
    rows: summary.measures.flatMap(({ measure, total }) =>
      total.map((r) => ({
        measure: measure.name,
        category: r.categoryLabel ?? null,
        unit: measure.unit,
        value: r.value,
        p90: r.p90 ?? null,
        numerator: r.numerator,
        denominator: r.denominator,
        suppressed: r.suppressed ? 'Yes' : 'No',
      })),
    ),
    notes: [
      `Period: whole financial quarters from ${quarterLabel(quarterOf(p.from))} to ${quarterLabel(quarterOf(p.to))}. Force: ${p.force ?? 'all'}. CPS area: ${p.area ?? 'all'}. Offence group: ${p.offenceGroup ?? 'all sexual offences'}.`,
      `Counts below ${dc.threshold} are suppressed, others rounded to the nearest ${dc.base}; rates use the rounded counts. Method: ${dc.method}.`,
      'Definitions: /performance/measures in Casebridge, or GET /api/v1/measures.',
      `Casebridge, produced ${new Date().toISOString()}.`,
    ],
  }
}

function sendTable(reply: FastifyReply, table: ExportTable, name: string, format: 'csv' | 'ods') {
  reply.header('content-disposition', `attachment; filename="${name}.${format}"`).header('cache-control', 'no-store')
  return format === 'csv'
    ? reply.type('text/csv; charset=utf-8').send(toCsv(table))
    : reply.type('application/vnd.oasis.opendocument.spreadsheet').send(toOds(table))
}

async function chartOf(result: MeasureResult) {
  const m = result.measure
  const categorised = m.kind === 'share' || m.kind === 'funnel'
  const bars = result.rows.map((r) => ({
    label: r.label,
    value: r.suppressed ? null : r.value,
    ...(categorised ? { series: r.categoryLabel ?? r.category ?? '' } : {}),
  }))
  const hidden = bars.filter((b) => b.value === null).length
  const by = BREAKDOWNS[result.parameters.by].label.toLowerCase()
  return barChartSvg({
    title: `${m.name} by ${by}`,
    description: `Bar chart of ${m.name.toLowerCase()} by ${by}, in ${m.unit === 'percent' ? 'per cent' : m.unit}. ${hidden ? `${hidden} figures are suppressed and not drawn. ` : ''}The same figures are in the table that follows.`,
    unit: m.unit === 'percent' ? 'Per cent' : m.unit === 'days' ? 'Median days' : 'Cases',
    bars,
    horizontal: bars.length > 8,
    ...(m.unit === 'percent' ? { maxValue: 100 } : {}),
  })
}

export function registerPerformancePages(app: FastifyInstance, services: Services) {
  const measures = performanceOf(services)
  const opts = { preHandler: requireUser, config: { purpose: 'Read joint performance figures' } }

  /** The filter form's view: selected values, the lists, and any error on each field. */
  async function filters(query: Query, errors: Record<string, string>, withBy: boolean) {
    const orgs = await measures.organisations()
    const params = filterParams(query, withBy)
    const quarters = quarterOptions()
    // A date that is not a real date is shown as an error on its field, never worked with.
    const selectedFrom = params.from && isRealDate(params.from) ? quarterOf(params.from) : null
    const selectedTo = params.to && isRealDate(params.to) ? quarterEnd(quarterOf(params.to)) : null
    // Each select's options, built here rather than in the template (much faster to render).
    const items = (first: string, list: { value: string; text: string }[], selected: string | null | undefined) => [
      { value: '', text: first, selected: !selected },
      ...list.map((o) => ({ ...o, selected: o.value === selected })),
    ]
    const select = (
      name: string,
      label: string,
      list: { value: string; text: string }[],
      selected: string | null | undefined,
      first: string,
    ) => ({
      id: `filter-${name}`,
      name,
      label: { text: label },
      items: items(first, list, selected),
      ...(errors[name] && { errorMessage: { text: errors[name] } }),
      attributes: { 'data-qa': `filter-${name}` },
    })
    return {
      params,
      errors,
      withBy,
      forces: orgs.forces,
      areas: orgs.areas,
      selects: {
        force: select(
          'force',
          'Police force',
          orgs.forces.map((f) => ({ value: f.code, text: f.name })),
          params.force,
          'All forces',
        ),
        area: select(
          'area',
          'CPS area',
          orgs.areas.map((a) => ({ value: a.code, text: a.name })),
          params.area,
          'All CPS areas',
        ),
        offence_group: select(
          'offence_group',
          'Offence group',
          [...BREAKDOWNS.offence_group.values],
          params.offence_group,
          'All sexual offences',
        ),
        from: select(
          'from',
          'From the quarter',
          quarters.map((q) => ({ value: q.start, text: q.label })),
          selectedFrom,
          'Three quarters before the last',
        ),
        to: select(
          'to',
          'To the quarter',
          quarters.map((q) => ({ value: q.end, text: q.label })),
          selectedTo,
          'This quarter, so far',
        ),
        by: select(
          'by',
          'Break down by',
          Object.entries(BREAKDOWNS).map(([value, b]) => ({ value, text: b.label })),
          params.by,
          'Quarter',
        ),
      },
      errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#filter-${field}` })),
    }
  }

  /**
   * Reads with the page's filters: the result and the filter form, or, for bad filters, no result and the form with
   * each error on its field (400, never a 500). Anything else goes to the error handler.
   */
  async function readWithFilters<T>(query: Query, withBy: boolean, read: () => Promise<T>) {
    try {
      const result = await read()
      return { result, status: 200, filters: await filters(query, {}, withBy) }
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error
      return { result: null, status: 400, filters: await filters(query, error.fields ?? {}, withBy) }
    }
  }
  const filterLocals = (f: Awaited<ReturnType<typeof filters>>) => ({
    filters: f,
    errorList: f.errorList,
    qs: queryString(f.params),
  })

  app.get<{ Querystring: Query }>('/performance', opts, async (request, reply) => {
    const query = request.query ?? {}
    const {
      result,
      status,
      filters: f,
    } = await readWithFilters(query, false, () =>
      measures.summary(request.context('read the dashboard'), filterParams(query, false), 'page'),
    )
    return reply.render(
      'performance/views/dashboard.njk',
      {
        title: 'Joint performance',
        section: 'performance',
        summary: result && { ...result, rows: summaryRows(result) },
        themes: THEMES,
        ...filterLocals(f),
      },
      status,
    )
  })

  app.get('/performance/measures', opts, async (_request, reply) =>
    reply.render('performance/views/catalogue.njk', {
      title: 'Measures and their definitions',
      section: 'performance',
      backLink: '/performance',
      themes: Object.entries(THEMES).map(([id, label]) => ({
        id,
        label,
        measures: measures.catalogue().filter((m) => MEASURES.find((d) => d.id === m.id)!.theme === id),
      })),
    }),
  )

  const exportAs = async (request: FastifyRequest<IdParams>, reply: FastifyReply, format: 'csv' | 'ods') => {
    const result = await measures.read(
      request.context(`export measure as ${format}`),
      request.params.id,
      filterParams(request.query ?? {}, true),
      format as ReleaseOutput,
    )
    const table = tableOf(result, `${result.measure.name} by ${BREAKDOWNS[result.parameters.by].label}`)
    return sendTable(reply, table, `casebridge-${result.measure.id}-by-${result.parameters.by}`, format)
  }
  for (const format of ['csv', 'ods'] as const) {
    app.get<{ Querystring: Query }>(`/performance/download.${format}`, opts, async (request, reply) => {
      const summary = await measures.summary(
        request.context(`export the dashboard as ${format}`),
        filterParams(request.query ?? {}, false),
        format,
      )
      return sendTable(reply, summaryTable(summary), 'casebridge-joint-performance', format)
    })
  }
  app.get<IdParams>('/performance/measures/:id/download.csv', opts, (request, reply) => exportAs(request, reply, 'csv'))
  app.get<IdParams>('/performance/measures/:id/download.ods', opts, (request, reply) => exportAs(request, reply, 'ods'))

  app.get<IdParams>('/performance/measures/:id', opts, async (request, reply) => {
    const definition = MEASURES.find((m) => m.id === request.params.id)
    if (!definition) throw new AppError(404, 'not_found', 'Page not found')
    const query = request.query ?? {}
    const {
      result,
      status,
      filters: f,
    } = await readWithFilters(query, true, () =>
      measures.read(request.context('read measure'), definition.id, filterParams(query, true), 'page'),
    )
    return reply.render(
      'performance/views/measure.njk',
      {
        title: definition.name,
        section: 'performance',
        backLink: `/performance${queryString(filterParams(query, false))}`,
        measure: measures.catalogue().find((m) => m.id === definition.id),
        theme: THEMES[definition.theme],
        result,
        table: result ? tableOf(result, definition.name) : null,
        chart: result ? await chartOf(result) : null,
        ...filterLocals(f),
      },
      status,
    )
  })

  app.get<{ Querystring: Query }>('/performance/pack', opts, async (request, reply) => {
    const query = request.query ?? {}
    const quarter =
      typeof query.quarter === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.quarter)
        ? quarterOf(query.quarter)
        : quarterOf(todayIso())
    const params: Record<string, string> = {
      ...filterParams(query, false),
      from: quarter,
      to: quarterEnd(quarter),
    }
    const orgs = await measures.organisations()
    const choose = (f: Awaited<ReturnType<typeof filters>>, status = 200, errors: Record<string, string> = {}) =>
      reply.render(
        'performance/views/pack-choose.njk',
        {
          title: 'Joint performance meeting pack',
          section: 'performance',
          backLink: '/performance',
          filters: f,
          errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#filter-${field}` })),
          quarters: quarterOptions(),
          selectedQuarter: quarter,
        },
        status,
      )
    if (!params.force || !params.area) {
      // The form was sent without a choice: say which is missing (a first visit just shows the form).
      const errors =
        'quarter' in query
          ? {
              ...(!params.force && { force: 'Select a police force' }),
              ...(!params.area && { area: 'Select a CPS area' }),
            }
          : {}
      return choose(await filters(query, errors, false), Object.keys(errors).length ? 400 : 200, errors)
    }
    if (!orgs.forces.some((f) => f.code === params.force) || !orgs.areas.some((a) => a.code === params.area)) {
      const errors = {
        ...(!orgs.forces.some((f) => f.code === params.force) && { force: 'Select a police force from the list' }),
        ...(!orgs.areas.some((a) => a.code === params.area) && { area: 'Select a CPS area from the list' }),
      }
      return choose(await filters(query, errors, false), 400, errors)
    }
    const ctx = request.context('produce the meeting pack')
    const summary = await measures.summary(ctx, params, 'pack')
    // The pack's charts: the quarter and the three before it.
    const trend = { ...params, from: addQuarters(quarter, -3), by: 'quarter' }
    const charts = await Promise.all(
      [
        'attrition_funnel',
        'charge_rate',
        'victim_withdrawal_rate',
        'days_report_to_charge',
        'victims_code_on_time',
      ].map(async (id) => {
        const result = await measures.read(ctx, id, trend, 'pack')
        return { result, chart: await chartOf(result), table: tableOf(result, result.measure.name) }
      }),
    )
    return reply.render('performance/views/pack.njk', {
      title: 'Joint performance meeting pack',
      section: 'performance',
      force: orgs.forces.find((f) => f.code === params.force)!.name,
      area: orgs.areas.find((a) => a.code === params.area)!.name,
      quarterLabel: quarterLabel(quarter),
      summary: summaryRows(summary),
      disclosureControl: summary.disclosureControl,
      charts,
      producedAt: new Date().toISOString(),
    })
  })
}
