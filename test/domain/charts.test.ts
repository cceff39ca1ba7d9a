import { describe, expect, it } from 'vitest'
import { barChartSvg, type ChartBar } from '../../src/web/charts'

const hostile = '<script>alert(1)</script> & "x"'
const bars: ChartBar[] = [
  { label: 'Reported', value: 12 },
  { label: 'Investigated', value: 7 },
  { label: 'Suppressed', value: null },
  { label: 'Charged', value: 3 },
]
const chart = (more: Partial<Parameters<typeof barChartSvg>[0]> = {}) =>
  barChartSvg({ title: 'Cases by stage', description: 'Open cases at each stage.', unit: 'Cases', bars, ...more })

/** The bar shapes: vega draws each bar as a <path> inside the group for the bar mark. */
const barPaths = (svg: string) => {
  const group = /<g class="mark-rect role-mark marks">(.*?)<\/g>/.exec(svg)
  return [...(group?.[1] ?? '').matchAll(/<path [^>]*\/>/g)].map((m) => m[0])
}

describe('bar chart SVG', () => {
  it('is an image named by its own title and description', async () => {
    const svg = await chart()
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.endsWith('</svg>')).toBe(true)
    const root = /^<svg[^>]*>/.exec(svg)?.[0] ?? ''
    expect(root).toContain('role="img"')
    expect(root).toContain('focusable="false"')
    const [titleId, descId] = /aria-labelledby="([^"]+)"/.exec(root)?.[1]?.split(' ') ?? []
    expect(svg).toContain(`${root}<title id="${titleId}">Cases by stage</title><desc id="${descId}">Open cases`)
    expect(svg.match(/<title/g)).toHaveLength(1)
    expect(svg).toContain('<g fill="none" stroke-miterlimit="4" transform="translate(')
    expect(svg).toMatch(/<g [^>]*aria-hidden="true">/)
  })

  it('has no style attributes, scripts, event handlers or inner roles, so a strict CSP and screen readers are happy', async () => {
    for (const svg of [
      await chart(),
      await chart({ horizontal: true, bars: [...bars, { label: 'x', value: 1, series: 'A' }] }),
    ]) {
      expect(svg).not.toContain('style=')
      expect(svg).not.toMatch(/<script|\son\w+=|javascript:|role="graphics|aria-label=/i)
      expect(svg).toContain('font-family="GDS Transport, arial, sans-serif"')
    }
  })

  it('draws one bar per non-null value, in GOV.UK blue, with the unit as the axis title', async () => {
    for (const horizontal of [false, true]) {
      const svg = await chart({ horizontal })
      const paths = barPaths(svg)
      expect(paths).toHaveLength(3)
      expect(paths.every((p) => p.includes('fill="#1d70b8"'))).toBe(true)
      expect(svg).toContain('>Cases</text>')
      expect(svg).not.toContain('Suppressed')
      expect(svg).toContain('stroke="#b1b4b6"')
    }
    expect(barPaths(await chart({ bars: [{ label: 'None', value: null }] }))).toHaveLength(0)
  })

  it('colours bars by series with a legend', async () => {
    const svg = await chart({
      bars: [
        { label: 'Police', value: 4, series: 'Open' },
        { label: 'CPS', value: 2, series: 'Closed' },
        { label: 'Court', value: null, series: 'Open' },
      ],
    })
    expect(barPaths(svg).map((p) => /fill="([^"]+)"/.exec(p)?.[1])).toEqual(['#1d70b8', '#0f7a52'])
    expect(svg).toContain('role-legend')
    expect(svg).toContain('>Open</text>')
    expect(svg).toContain('>Closed</text>')
  })

  it('stretches the value axis to maxValue', async () => {
    expect(await chart({ maxValue: 100 })).toContain('>100</text>')
    expect(await chart()).not.toContain('>100</text>')
  })

  it('escapes hostile titles, descriptions and labels', async () => {
    const svg = await chart({
      title: hostile,
      description: hostile,
      bars: [{ label: hostile, value: 1, series: hostile }],
      horizontal: true,
    })
    expect(svg).not.toContain('<script')
    expect(svg).toContain('<title id="chart-script-alert-1-script-x-')
    expect(svg).toContain('>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</title>')
    expect(svg).toContain('>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</desc>')
    // Vega escapes the text it draws: the title in full, the axis label truncated to fit.
    expect(svg).toContain('>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "x"</text>')
    expect(svg).toContain('>&lt;script&gt;alert(1)&lt;/')
  })

  it('is deterministic, with ids that differ between charts', async () => {
    expect(await chart()).toBe(await chart())
    const id = (svg: string) => /<title id="([^"]+)"/.exec(svg)?.[1]
    expect(id(await chart())).not.toBe(id(await chart({ bars: bars.slice(1) })))
  })
})
