import type { FastifyInstance } from 'fastify'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { ADVOCATE_FORMS } from '../../src/modules/advocates/rules'
import { advocatesOf } from '../../src/modules/advocates/service'
import { eventDefinition } from '../../src/modules/registry'
import type { Fields } from '../../src/core/fields'
import { personFields } from '../../src/domain/people'
import { reportFields } from '../../src/domain/report'
import { ensureReferenceData } from '../../src/data/reference'
import { migrate } from '../../src/data/migrate'
import type { DatabaseHandle } from '../../src/data/database'
import { createServices, type Services } from '../../src/services'
import { loadDemo } from '../../src/services/demo'
import { appFor, formSignIn } from '../helpers/app'
import { openTestDatabase, resetData, TEST_PASSWORD, testConfig } from '../helpers/database'
import { openSnapshot } from '../helpers/snapshot'

/**
 * Text people type is escaped everywhere it is drawn. The demo is loaded with markup added to every free-text field
 * and every name (found from the field definitions: each event's, the report's, the advocate forms'), then every
 * page each role can reach by following links is read, and the markup must never be live. Issue 18 found a
 * complainant's name drawn as HTML in the victim care page's "withdrawn support" inset.
 */

const PROBE = '"><b data-xss>'
const LIVE = '<b data-xss'
const ESCAPED = '&lt;b data-xss&gt;'

function taint(value: string, maxLength: number): string {
  const tainted = value + PROBE
  return tainted.length <= maxLength ? tainted : value.slice(0, maxLength - PROBE.length) + PROBE
}

/** Adds the probe to every text field of `data` as the definitions describe it (lists row by row). */
function taintFields(fields: Fields, data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) }
  for (const [key, f] of Object.entries(fields)) {
    const value = out[key]
    if ((f.ui.kind === 'text' || f.ui.kind === 'textarea') && typeof value === 'string')
      out[key] = taint(value, f.ui.maxLength)
    else if (f.ui.kind === 'list' && Array.isArray(value)) {
      const item = f.ui.item
      out[key] = value.map((row) => taintFields(item, row))
    }
  }
  return out
}

/** The services the demo is loaded through, with every free text and name it sends tainted. */
function hostile(services: Services): Services {
  const { cases, accounts } = services
  const advocates = advocatesOf(services)
  const applyEvent = cases.applyEvent.bind(cases)
  cases.applyEvent = (ctx, id, body, ...rest) => {
    const b = body as { type: string; data: unknown }
    const definition = eventDefinition(b.type)
    return applyEvent(ctx, id, definition ? { ...b, data: taintFields(definition.fields, b.data) } : b, ...rest)
  }
  const recordReport = cases.recordReport.bind(cases)
  cases.recordReport = (ctx, input, ...rest) => {
    const report = taintFields(reportFields, input) as Record<string, unknown>
    const people = (list: unknown) => (Array.isArray(list) ? list.map((p) => taintFields(personFields, p)) : list)
    return recordReport(
      ctx,
      { ...report, complainants: people(report.complainants), suspects: people(report.suspects) },
      ...rest,
    )
  }
  const addUser = accounts.addUser.bind(accounts)
  accounts.addUser = (ctx, input) => {
    const user = input as { name: string }
    return addUser(ctx, { ...user, name: taint(user.name, 200) })
  }
  const addAdvocate = advocates.add.bind(advocates)
  advocates.add = (ctx, input) => addAdvocate(ctx, taintFields(ADVOCATE_FORMS.advocate.fields, input))
  for (const [method, form] of [
    ['addTraining', 'training'],
    ['addUnavailability', 'unavailability'],
    ['addConflict', 'conflict'],
    ['updateMembership', 'membership'],
  ] as const) {
    const original = advocates[method].bind(advocates)
    advocates[method] = (ctx, id, input) => original(ctx, id, taintFields(ADVOCATE_FORMS[form].fields, input))
  }
  return services
}

async function loadHostileDemo(database: DatabaseHandle) {
  await migrate(database.db)
  await ensureReferenceData(database.db)
  await resetData(database)
  await loadDemo(hostile(createServices(testConfig(), database)), TEST_PASSWORD)
}

let database: DatabaseHandle
let app: FastifyInstance

beforeAll(async () => {
  database =
    (await openSnapshot(inject('casebridgeRun'), 'hostile-demo', loadHostileDemo)) ??
    (await openTestDatabase().then(async (d) => (await loadHostileDemo(d), d)))
  app = await appFor({
    database,
    services: createServices(testConfig(), database),
    as: () => Promise.reject(new Error('not used')),
    close: () => database.close(),
  })
}, 240_000)

afterAll(async () => {
  await app?.close()
  await database?.close()
})

const ROLES = [
  'investigator',
  'police-supervisor',
  'police-inspector',
  'prosecutor',
  'cps-unit-head',
  'witness-care',
  'isva',
  'scrutiny-panel',
  'analyst',
  'admin',
]

/** Every page a person in this role can reach from the start pages by following links (GET only). */
async function crawl(cookie: string, limit: number) {
  const seen = new Set<string>()
  const queue = ['/', '/cases', '/tasks', '/advocates', '/admin', '/performance']
  const pages: { url: string; status: number; html: string }[] = []
  while (queue.length > 0 && pages.length < limit) {
    const url = queue.shift()!
    if (seen.has(url)) continue
    seen.add(url)
    const response = await app.inject({ method: 'GET', url, headers: { cookie } })
    if (!String(response.headers['content-type']).startsWith('text/html')) continue
    pages.push({ url, status: response.statusCode, html: response.body })
    for (const [, href] of response.body.matchAll(/href="(\/[^"#]*)"/g)) {
      const link = href!.replace(/&amp;/g, '&')
      if (link.startsWith('/assets/') || link === '/sign-out' || /\.(csv|ods)(\?|$)/.test(link)) continue
      // Sorting links multiply the same pages: follow one of each (paging links lead to other cases: follow them all).
      const key = link.replace(/[?&](sort|direction)=[^&]*/g, '')
      if (!seen.has(link) && !seen.has(key)) queue.push(link)
      seen.add(key === link ? '' : key)
    }
  }
  return pages
}

describe('text people typed, drawn on every page', () => {
  it('is never live markup, for any role on any page reachable by links', async () => {
    const escapedOn = new Set<string>()
    const visited = new Set<string>()
    let total = 0
    for (const role of ROLES) {
      const { cookie } = await formSignIn(app, `${role}.avon@casebridge.example`)
      const pages = await crawl(cookie, 700)
      total += pages.length
      for (const page of pages) {
        visited.add(page.url)
        expect(page.status, `${role} ${page.url}`).toBeLessThan(500)
        const at = page.html.indexOf(LIVE)
        expect(at, `${role} ${page.url}: ${page.html.slice(Math.max(0, at - 300), at + 50)}`).toBe(-1)
        if (page.html.includes(ESCAPED)) escapedOn.add(page.url.replace(/[0-9a-f-]{36}/g, ':id').split('?')[0]!)
      }
    }
    if (process.env.ESCAPING_REPORT)
      fs.writeFileSync(path.resolve(process.env.ESCAPING_REPORT), [...escapedOn].join('\n'))
    // Every page of every demo case of the force was read.
    const demoCases = await database.db
      .selectFrom('cases')
      .select('id')
      .where('force_code', '=', 'avon-and-somerset')
      .execute()
    expect(demoCases.length).toBeGreaterThanOrEqual(21)
    for (const { id } of demoCases)
      for (const part of ['', '/timeline', '/deadlines', '/victim-care', '/digital', '/disclosure'])
        expect(visited, `/cases/${id}${part}`).toContain(`/cases/${id}${part}`)
    // The probe was really drawn (escaped) on the pages that show people's text: the test is not vacuous.
    expect(total).toBeGreaterThan(300)
    for (const page of [
      '/cases/:id',
      '/cases/:id/timeline',
      '/cases/:id/victim-care',
      '/cases/:id/digital',
      '/cases/:id/disclosure',
      '/advocates/:id',
      '/admin/users',
    ])
      expect([...escapedOn], page).toContain(page)
  }, 600_000)

  it('draws the complainant’s name escaped in the withdrawn-support inset', async () => {
    const { cookie } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const withdrawn = await database.db
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .select('case_events.case_id')
      .where('case_events.type', '=', 'record_withdrawal_of_support')
      .where('cases.force_code', '=', 'avon-and-somerset')
      .executeTakeFirstOrThrow()
    const html = (
      await app.inject({ method: 'GET', url: `/cases/${withdrawn.case_id}/victim-care`, headers: { cookie } })
    ).body
    const inset = /data-qa="withdrawn"[\s\S]*?<\/div>/.exec(html)?.[0] ?? ''
    expect(inset).toContain(`${ESCAPED} no longer supports the case`)
    expect(inset).not.toContain(LIVE)
  })
})
