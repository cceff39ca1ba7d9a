import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MEASURES } from '../../src/modules/performance/measures'
import { apiSignIn, appFor, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld } from '../helpers/database'
import { performanceOf } from '../../src/modules/performance/service'

let world: TestWorld
let app: FastifyInstance
beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
})
afterAll(async () => {
  await app?.close()
  await world?.close()
})

const AVON = 'force=avon-and-somerset'
const get = async (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } })
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()

/** The cells of the page's measure table, row by row, as shown. */
function tableCells(html: string): string[][] {
  const table = /<table class="govuk-table" data-qa="measure-table">([\s\S]*?)<\/table>/.exec(html)![1]!
  return [...table.matchAll(/<tr class="govuk-table__row"[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]!)),
  )
}

/** Opened by another program: Python's zipfile and XML parser read an ODS file's cells back, row by row. */
const ODS_ROWS = [
  'import sys, zipfile, json, xml.dom.minidom as m',
  'z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; assert z.namelist()[0] == "mimetype"',
  'doc = m.parseString(z.read("content.xml"))',
  'rows = [[("".join(t.data for p in c.getElementsByTagName("text:p") for t in p.childNodes if t.nodeType == 3)) for c in r.getElementsByTagName("table:table-cell")] for r in doc.getElementsByTagName("table:table-row")]',
  'print(json.dumps(rows))',
].join('\n')

/** RFC 4180 fields, enough for these files (quoted fields with doubled quotes; CRLF records). */
function csvRows(csv: string): string[][] {
  const rows: string[][] = []
  let field = ''
  let row: string[] = []
  let quoted = false
  const body = csv.replace(/^\uFEFF/, '')
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (quoted && ch === '"' && body[i + 1] === '"') {
      field += '"'
      i++
    } else if (ch === '"') {
      quoted = !quoted
    } else if (quoted) {
      field += ch
    } else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else {
      field += ch
    }
  }
  return rows
}

describe('the joint performance pages', () => {
  it('the dashboard shows every measure by theme, protected for an analyst, in the service navigation', async () => {
    const { cookie } = await formSignIn(app, 'analyst.avon@casebridge.example')
    const page = await get('/performance', cookie)
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/href="\/performance"[^>]*>[\s\S]{0,200}Performance/)
    for (const m of MEASURES) expect(page.body, m.id).toContain(`data-qa="measure-${m.id}"`)
    expect(page.body).toContain('Small numbers are protected')
    // Every figure on it was logged as one release.
    const [release] = await performanceOf(world.services).releases(1)
    expect(release).toMatchObject({ output: 'page', suppressed_count: expect.any(Number) })
    expect(release!.measure_ids).toHaveLength(MEASURES.length)
  })

  it('bad filters are named on their fields and in the error summary, with a 400 and never a 500', async () => {
    const { cookie } = await formSignIn(app, 'analyst.avon@casebridge.example')
    for (const url of [
      '/performance?from=2025-02-30&force=atlantis',
      '/performance/measures/charge_rate?by=%3Cscript%3E&from=2025-02-30&force=atlantis',
    ]) {
      const page = await get(url, cookie)
      expect(page.statusCode, url).toBe(400)
      expect(page.body).toContain('There is a problem')
      expect(page.body).toContain('href="#filter-from"')
      expect(page.body).toContain('href="#filter-force"')
      expect(page.body).toMatch(/id="filter-force-error"[\s\S]*?Select a police force from the list/)
      expect(page.body).not.toContain('<script>')
    }
    expect((await get('/performance/measures/no_such_measure', cookie)).statusCode).toBe(404)
  })

  it('a measure page: definition one click away, an accessible SVG chart and the same figures in a table', async () => {
    const { cookie } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const page = await get(`/performance/measures/attrition_funnel?by=sex&${AVON}`, cookie)
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/<details[^>]*data-qa="what-this-measures"/)
    expect(page.body).toContain('Exact figures.')
    const svg = /<figure class="casebridge-chart" data-qa="chart">\s*(<svg[\s\S]*?<\/svg>)/.exec(page.body)![1]!
    expect(svg).toMatch(/^<svg[^>]*role="img"/)
    expect(svg).toMatch(
      /<title id="[^"]+">Attrition funnel by complainant's sex<\/title>|<title id="[^"]+">Attrition funnel by complainant&#39;s sex<\/title>|<title id="[^"]+">Attrition funnel by complainant’s sex<\/title>/,
    )
    expect(svg).not.toContain('style=')
    const rows = tableCells(page.body)
    expect(rows[0]).toEqual(["Complainant's sex", 'Stage', 'Per cent', 'Numerator', 'Denominator', 'Suppressed'])
    // Female, male, not recorded and the total, each with five stages.
    expect(rows.length - 1).toBe(4 * 5)
    expect(rows.at(-5)).toEqual(expect.arrayContaining(['All', 'Reported', '100']))
    // The API gives the same numbers.
    const api = await apiSignIn(app, 'investigator.avon@casebridge.example')
    const json = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/measures/attrition_funnel?by=sex&${AVON}`,
        headers: { cookie: api },
      })
    ).json() as { rows: { label: string; categoryLabel: string; numerator: number }[] }
    for (const r of json.rows) {
      expect(
        rows.some((cells) => cells[0] === r.label && cells[1] === r.categoryLabel && cells[3] === String(r.numerator)),
      ).toBe(true)
    }
  })

  it('CSV and ODS exports open, match the table on the page and are always protected', async () => {
    const { cookie } = await formSignIn(app, 'analyst.avon@casebridge.example')
    const page = await get('/performance/measures/charge_rate?by=force', cookie)
    const shown = tableCells(page.body)
    const csv = await get('/performance/measures/charge_rate/download.csv?by=force', cookie)
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.headers['content-disposition']).toBe('attachment; filename="casebridge-charge_rate-by-force.csv"')
    const fromCsv = csvRows(csv.body)
    const asShown = (cells: string[]) => cells.map((c) => (c === '[c]' || c === '–' ? '' : c))
    expect(fromCsv.slice(0, shown.length)).toEqual(shown.map(asShown))

    const ods = await app.inject({
      method: 'GET',
      url: '/performance/measures/charge_rate/download.ods?by=force',
      headers: { cookie },
    })
    expect(ods.headers['content-type']).toBe('application/vnd.oasis.opendocument.spreadsheet')
    const file = join(mkdtempSync(join(tmpdir(), 'casebridge-ods-')), 'table.ods')
    writeFileSync(file, ods.rawPayload)
    // Opened by another program: Python's zipfile and XML parser read the cells back.
    const fromOds = JSON.parse(execFileSync('python3', ['-c', ODS_ROWS, file]).toString()) as string[][]
    expect(fromOds.slice(0, shown.length)).toEqual(shown.map(asShown))
    const releases = await performanceOf(world.services).releases(2)
    expect(releases.map((r) => [r.output, (r.disclosure_control as { applied: boolean }).applied])).toEqual([
      ['ods', true],
      ['csv', true],
    ])
  })

  it('the dashboard downloads every figure, protected, the same in CSV and ODS', async () => {
    const { cookie } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const page = await get(`/performance?${AVON}`, cookie)
    expect(page.body).toContain('href="/performance/download.csv?force=avon-and-somerset"')
    const csv = await get(`/performance/download.csv?${AVON}`, cookie)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="casebridge-joint-performance.csv"')
    const rows = csvRows(csv.body)
    expect(rows[0]![0]).toBe('Measure')
    const summary = await performanceOf(world.services).summary(
      await world.as('investigator'),
      { force: 'avon-and-somerset' },
      'csv',
    )
    const figures = summary.measures.flatMap((m) => m.total)
    expect(rows.slice(1, 1 + figures.length).map((r) => r[5])).toEqual(
      figures.map((f) => (f.numerator === null ? '' : String(f.numerator))),
    )
    // Exact on screen for her own force, but a download is always protected.
    expect(figures.every((f) => f.numerator === null || f.numerator % 5 === 0)).toBe(true)
    const ods = await app.inject({ method: 'GET', url: `/performance/download.ods?${AVON}`, headers: { cookie } })
    const file = join(mkdtempSync(join(tmpdir(), 'casebridge-ods-')), 'dashboard.ods')
    writeFileSync(file, ods.rawPayload)
    const fromOds = JSON.parse(execFileSync('python3', ['-c', ODS_ROWS, file]).toString()) as string[][]
    expect(fromOds.slice(0, rows.length)).toEqual(rows)
  })

  it('the catalogue lists every measure with its definition, and the API gives the same list', async () => {
    const { cookie } = await formSignIn(app, 'prosecutor.avon@casebridge.example')
    const page = await get('/performance/measures', cookie)
    for (const m of MEASURES) {
      expect(page.body).toContain(`id="${m.id}"`)
      expect(text(page.body)).toContain(text(m.definition))
    }
    const api = await apiSignIn(app, 'prosecutor.avon@casebridge.example')
    const json = (await app.inject({ method: 'GET', url: '/api/v1/measures', headers: { cookie: api } })).json() as {
      measures: { id: string; numerator: string; cohort: string; reads: string[] }[]
    }
    expect(json.measures.map((m) => m.id)).toEqual(MEASURES.map((m) => m.id))
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/measures/charge_rate?by=1&to=2025-99-01',
      headers: { cookie: api },
    })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['by', 'to'])
  })

  it('the meeting pack: chosen on a form, then every measure and four quarters of charts, protected', async () => {
    const { cookie } = await formSignIn(app, 'cps-unit-head.avon@casebridge.example')
    const choose = await get('/performance/pack', cookie)
    expect(choose.body).toContain('data-qa="pack-form"')
    const bad = await get('/performance/pack?force=atlantis&area=cps-south-west', cookie)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toMatch(/id="filter-force-error"/)
    const pack = await get('/performance/pack?force=avon-and-somerset&area=cps-south-west&quarter=2026-10-01', cookie)
    expect(pack.statusCode).toBe(200)
    expect(pack.body).toContain('Avon and Somerset')
    expect(pack.body).toContain('2026-27 Q3 (Oct to Dec 2026)')
    expect(pack.body.match(/data-qa="pack-chart"/g)).toHaveLength(5)
    expect(pack.body).toContain('Small numbers are protected')
    expect(pack.body).toContain('data-print hidden')
  })
})
