import { createHash } from 'node:crypto'
import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/** One bar. A null value is suppressed data: it gets no bar (the table next to the chart says why). */
export interface ChartBar {
  label: string
  value: number | null
  series?: string
}

const TEXT = '#0b0c0c'
const FONT = 'GDS Transport, arial, sans-serif'
// GOV.UK Frontend palette, each at least 3:1 against white (WCAG 1.4.11); blue first for single-series charts.
const PALETTE = ['#1d70b8', '#0f7a52', '#54319f', '#b7592a', '#ca357c', '#158187', '#0b0c0c', '#99704a']
// What a CSS declaration may become: the same-named SVG presentation attribute. Anything else is dropped.
const PRESENTATION = new Set(
  'fill fill-opacity stroke stroke-opacity stroke-width stroke-linecap stroke-linejoin stroke-dasharray stroke-dashoffset opacity font-family font-size font-style font-weight image-rendering'.split(
    ' ',
  ),
)

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * A bar chart as an SVG string, rendered on the server by vega-lite and vega with no browser or canvas. The SVG has
 * role="img" named by its own <title> and <desc>, hides its marks from assistive technology (the table beside it
 * carries the numbers) and has no style attributes, scripts or event handlers, so a strict CSP allows it.
 */
export async function barChartSvg(input: {
  title: string
  description: string
  unit: string
  bars: ChartBar[]
  horizontal?: boolean
  maxValue?: number
}): Promise<string> {
  const values = input.bars
    .filter((b): b is ChartBar & { value: number } => b.value !== null && Number.isFinite(b.value))
    .map((b) => ({ label: b.label, value: b.value, series: b.series ?? '' }))
  const counts = values.every((v) => Number.isInteger(v.value))
  const grouped = input.bars.some((b) => b.series !== undefined)
  const band = { field: 'label', type: 'nominal', sort: null, title: null } as const
  const measure = {
    field: 'value',
    type: 'quantitative',
    title: input.unit,
    axis: { format: ',~f', ...(counts ? { tickMinStep: 1 } : {}) },
    ...(input.maxValue === undefined
      ? {}
      : { scale: { domainMax: Math.max(input.maxValue, ...values.map((v) => v.value)) } }),
  } as const
  const spec: TopLevelSpec = {
    title: { text: input.title, anchor: 'start' },
    description: input.description,
    data: { values },
    mark: { type: 'bar', color: PALETTE[0] },
    // With series, bars stand side by side (never stacked: a funnel's stages are not parts of a whole).
    ...(input.horizontal
      ? { width: 480, height: grouped ? { step: 9, for: 'offset' } : { step: 28 } }
      : { width: grouped ? { step: 12, for: 'offset' } : { step: 40 }, height: 300 }),
    encoding: {
      ...(input.horizontal ? { y: band, x: { ...measure, stack: null } } : { x: band, y: { ...measure, stack: null } }),
      ...(grouped
        ? {
            color: { field: 'series', type: 'nominal', sort: null, scale: { range: PALETTE }, title: null },
            [input.horizontal ? 'yOffset' : 'xOffset']: { field: 'series', type: 'nominal', sort: null },
          }
        : {}),
    },
    config: {
      aria: false,
      background: '#ffffff',
      font: FONT,
      view: { stroke: null },
      title: { color: TEXT, fontSize: 19, fontWeight: 'bold' },
      axis: {
        labelColor: TEXT,
        titleColor: TEXT,
        labelFontSize: 14,
        titleFontSize: 14,
        titleFontWeight: 'normal',
        labelLimit: 320,
        domainColor: TEXT,
        tickColor: TEXT,
        gridColor: '#b1b4b6',
      },
      legend: { orient: 'top', labelColor: TEXT, labelFontSize: 14, labelLimit: 420, columns: 2, symbolType: 'square' },
    },
  }
  const view = new View(parse(compile(spec).spec), { renderer: 'none' })
  const svg = await view.toSVG()
  view.finalize()

  const slug =
    input.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'chart'
  const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 8)
  const id = `chart-${slug}-${hash}`
  let first = true
  // Vega double-quotes every attribute and escapes <, >, & and " inside values and text, so a tag never contains a
  // bare '>' and each tag can be rewritten on its own.
  return svg.replace(/<([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g, (_tag, name: string, rest: string, close: string) => {
    if (/^(script|foreignObject|iframe)$/i.test(name)) throw new Error(`Unexpected <${name}> in chart SVG`)
    const attrs = new Map<string, string>()
    let style = ''
    for (const [, key, value] of rest.matchAll(/\s([\w:-]+)="([^"]*)"/g)) {
      if (key === undefined || value === undefined) continue
      if (key === 'style') style = value
      else if (!/^(on|aria-|role$|(xlink:)?href$)/i.test(key)) attrs.set(key, value)
    }
    // Split on the semicolons between declarations, not those ending an entity such as &quot;
    for (const declaration of style.split(/(?<!&#?\w+);/)) {
      const [prop = '', ...value] = declaration.split(':')
      const key = prop.trim().toLowerCase()
      // Inline style outranks a presentation attribute, so it wins here too.
      if (PRESENTATION.has(key)) attrs.set(key, value.join(':').trim())
    }
    let after = ''
    if (name === 'svg') {
      attrs.set('role', 'img').set('aria-labelledby', `${id}-title ${id}-desc`).set('focusable', 'false')
      after = `<title id="${id}-title">${escapeXml(input.title)}</title><desc id="${id}-desc">${escapeXml(input.description)}</desc>`
    } else if (name === 'g' && first) {
      attrs.set('aria-hidden', 'true')
      first = false
    }
    return `<${name}${[...attrs].map(([k, v]) => ` ${k}="${v}"`).join('')}${close}>${after}`
  })
}
