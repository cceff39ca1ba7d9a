import fc from 'fast-check'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENT_DEFINITIONS } from '../../src/modules/registry'
import type { Field, Fields } from '../../src/core/fields'
import { buildApp } from '../../src/web/app'
import { apiSignIn, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld } from '../helpers/database'

/**
 * Everything a person or a system can send, generated from the definitions (the route table, every event's fields),
 * never a 5xx, and every 400 names what was wrong. Issue 18 found 149 of 6,952 bad inputs answering 500.
 */

let world: TestWorld
let app: FastifyInstance
const api: Record<string, string> = {}
const pages: Record<string, { cookie: string; csrf: string }> = {}
let caseIds: string[] = []
let thamesCase: string
const unchecked: string[] = []

const ROLES = ['investigator', 'prosecutor', 'isva', 'admin', 'witness_care', 'police_supervisor', 'analyst'] as const

beforeAll(async () => {
  world = await createWorld()
  app = await buildApp(world.services)
  // The error handler turns text PostgreSQL cannot store into a 400 as a last defence; every field should refuse it
  // first, so any error that reaches that defence is collected here and fails the run.
  app.addHook('onError', async (request, _reply, error) => {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && /^22/.test(code)) unchecked.push(`${request.method} ${request.url}: ${code}`)
  })
  await app.ready()
  for (const role of ROLES) {
    const email = `${role.replace(/_/g, '-')}.avon@casebridge.example`
    api[role] = await apiSignIn(app, email)
    pages[role] = await formSignIn(app, email)
  }
  const rows = await world.database.db.selectFrom('cases').select(['id', 'force_code']).orderBy('urn').execute()
  caseIds = rows.filter((r) => r.force_code === rows[0]!.force_code).map((r) => r.id)
  thamesCase = rows.find((r) => r.force_code !== rows[0]!.force_code)!.id
}, 120_000)

afterAll(async () => {
  expect(unchecked, 'input that reached the database unchecked').toEqual([])
  await app?.close()
  await world?.close()
})

const NUL = '\u0000'
/** Text a person or a system might send that no field should accept, or that must reach no query unescaped. */
const nastyText = fc.constantFrom(
  `a${NUL}b`,
  '\u0007\u001b[31m',
  '<script>alert(1)</script>',
  "'; DROP TABLE cases; --",
  'x'.repeat(100_001),
  '\ud800',
  '',
  '   ',
  'constructor',
  '__proto__',
)
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyText,
  fc.constantFrom(null, true, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 1.5, [], [null], {}, { a: { b: { c: [] } } }),
  fc.constantFrom('yesterday', '2026-02-30', '2026-13-01', '0000-00-00', '99999-01-01', '1800-01-01', '2026-1-1'),
  fc.constantFrom(
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    `${'0'.repeat(8)}-0000-0000-0000-00000000000${NUL}`,
  ),
)

function fieldValue(f: Field, caseId: string): fc.Arbitrary<unknown> {
  const plausible: fc.Arbitrary<unknown> = (() => {
    switch (f.ui.kind) {
      case 'text':
      case 'textarea':
        return fc.string({ maxLength: 40 })
      case 'date':
        return fc.constantFrom('2026-01-10', '2025-12-31', '2030-01-01')
      case 'integer':
        return fc.integer({ min: -5, max: f.ui.max + 5 })
      case 'radios':
      case 'select':
        return fc.constantFrom(...f.ui.options.map((o) => o.value), 'none_of_these')
      case 'checkboxes':
        return fc.subarray(f.ui.options.map((o) => o.value))
      case 'boolean':
        return fc.boolean()
      case 'list':
        return fc.array(dataFor(f.ui.item, caseId), { maxLength: 3 })
      case 'people':
        return fc.array(fc.uuid(), { maxLength: 2 })
      case 'person':
      case 'user':
      case 'advocate':
        return fc.constantFrom(caseId, '00000000-0000-4000-8000-000000000000')
      default:
        return fc.oneof(fc.integer({ min: 1, max: 5 }), fc.string({ maxLength: 5 }))
    }
  })()
  return fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: nastyValue })
}

function dataFor(fields: Fields, caseId: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldValue(f, caseId)])), {
    requiredKeys: [],
  })
}

/** A 400 from the API names at least one field; an error never leaks as a 5xx. */
function expectClientAnswer(response: LightMyRequestResponse, what: string) {
  expect(response.statusCode, `${what}: ${response.body.slice(0, 300)}`).toBeLessThan(500)
  if (response.statusCode === 400 && String(response.headers['content-type']).includes('json')) {
    const body = response.json() as { error: { code: string; message: string; fields: Record<string, string> } }
    expect(Object.keys(body.error.fields).length, `${what}: a 400 names the field: ${response.body}`).toBeGreaterThan(0)
    expect(body.error.message.length).toBeGreaterThan(0)
  }
}

describe('every event definition through the API', () => {
  it('answers bad data, stale versions and odd envelopes with a 4xx naming the field', async () => {
    for (const definition of EVENT_DEFINITIONS) {
      const roles = [...definition.roles.filter((r) => r in api), 'investigator']
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...caseIds),
          fc.constantFrom(...roles),
          fc.record(
            {
              type: fc.oneof({ weight: 6, arbitrary: fc.constant(definition.type) }, nastyValue),
              expectedVersion: fc.oneof(fc.integer({ min: -1, max: 40 }), nastyValue),
              idempotencyKey: fc.oneof(fc.string({ minLength: 8, maxLength: 30 }), nastyValue),
              data: fc.oneof({ weight: 5, arbitrary: dataFor(definition.fields, caseIds[0]!) }, nastyValue),
            },
            { requiredKeys: ['type'] },
          ),
          async (caseId, role, body) => {
            const response = await app.inject({
              method: 'POST',
              url: `/api/v1/cases/${caseId}/events`,
              headers: { cookie: api[role]! },
              payload: body,
            })
            expectClientAnswer(response, `${definition.type} as ${role} ${JSON.stringify(body).slice(0, 400)}`)
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
      )
    }
  }, 300_000)
})

/** Every path parameter filled with a real value or something odd. */
const paramValue = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(name === 'id' ? 'CASE' : name === 'type' ? 'start_investigation' : '1') },
    fc.constantFrom(
      '%00',
      'a%00b',
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      '..%2F..%2Fetc%2Fpasswd',
      '%E0%A4%A',
      'x'.repeat(190),
      '-1',
      '1e309',
      '00000000-0000-0000-0000-000000000000',
      "'%20OR%201=1--",
      '%3Cscript%3E',
    ),
  )
const queryString = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?q=%00',
    '?q=a%00b&stage=%00',
    '?page=-1',
    '?page=99999999999999999999',
    '?page=1&page=2',
    '?q[]=1&q[]=2',
    '?sort=__proto__',
    '?from=2026-02-30&to=yesterday',
    '?complainantId=%00',
    '?returnTo=https%3A%2F%2Fevil.example',
    `?q=${'x'.repeat(5000)}`,
    '?period=%00&force=constructor',
  ),
)
type Body = { payload?: string; type?: string }
const apiBody: fc.Arbitrary<Body> = fc.constantFrom<Body>(
  {},
  { payload: 'null', type: 'application/json' },
  { payload: '[null]', type: 'application/json' },
  { payload: '"text"', type: 'application/json' },
  { payload: '12', type: 'application/json' },
  { payload: '{', type: 'application/json' },
  { payload: '', type: 'application/json' },
  { payload: '{"a":"\\u0000"}', type: 'application/json' },
  { payload: '{"__proto__":{"admin":true}}', type: 'application/json' },
  { payload: '{"constructor":{"prototype":{"x":1}}}', type: 'application/json' },
  { payload: `${'['.repeat(500)}${']'.repeat(500)}`, type: 'application/json' },
  { payload: JSON.stringify({ offences: [null], complainants: [null], suspects: [null] }), type: 'application/json' },
  { payload: JSON.stringify({ decisions: [null], amendments: [null], items: [null] }), type: 'application/json' },
  { payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
  { payload: 'plain text', type: 'text/plain' },
  { payload: '<x/>', type: 'application/xml' },
)
const pageBody = (csrf: string): fc.Arbitrary<Body> =>
  fc.oneof(
    apiBody,
    fc.constantFrom<Body>(
      { payload: `_csrf=${csrf}`, type: 'application/x-www-form-urlencoded' },
      { payload: `_csrf=${csrf}&expectedVersion=%00&idempotencyKey=%00`, type: 'application/x-www-form-urlencoded' },
      { payload: JSON.stringify({ _csrf: csrf, name: ['a', { b: 1 }] }), type: 'application/json' },
      { payload: `_csrf=${csrf}&x=%01%02%1B`, type: 'application/x-www-form-urlencoded' },
    ),
    fc
      .dictionary(
        fc.constantFrom('name', 'email', 'roles', 'active', 'code', 'force', 'area', 'expectedVersion', 'q', 'id'),
        fc.oneof(nastyText, fc.array(nastyText, { maxLength: 3 })),
      )
      .map((values) => {
        const params = new URLSearchParams({ _csrf: csrf })
        for (const [k, v] of Object.entries(values)) for (const item of [v].flat()) params.append(k, item)
        return { payload: params.toString(), type: 'application/x-www-form-urlencoded' }
      }),
  )

describe('every route, as every kind of user', () => {
  it('answers odd addresses, queries and bodies with a 4xx, never a 5xx, naming the field on a 400', async () => {
    const routes = app.routeList.filter((r) => !r.url.startsWith('/assets') && r.url !== '/sign-out')
    expect(routes.length).toBeGreaterThan(60)
    for (const route of routes) {
      const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)
      const isApiRoute = route.url.startsWith('/api/')
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROLES),
          fc.tuple(...names.map(paramValue)),
          fc.constantFrom(...caseIds.slice(0, 6), thamesCase),
          queryString,
          fc.constantFrom(...ROLES).chain((role) => (isApiRoute ? apiBody : pageBody(pages[role]!.csrf))),
          async (role, params, caseId, query, body) => {
            let i = 0
            const url = route.url.replace(/:([A-Za-z]+)/g, () => {
              const value = params[i++]!
              return value === 'CASE' ? caseId : value
            })
            const request: InjectOptions = {
              method: route.method as InjectOptions['method'],
              url: url + query,
              headers: {
                cookie: isApiRoute ? api[role]! : pages[role]!.cookie,
                ...(body.type && { 'content-type': body.type }),
              },
              ...(route.method !== 'GET' && body.payload !== undefined && { payload: body.payload }),
            }
            const response = await app.inject(request)
            expectClientAnswer(
              response,
              `${route.method} ${url + query} as ${role} with ${body.payload?.slice(0, 200)}`,
            )
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
      )
    }
  }, 600_000)
})

/** A form post as a browser sends it: every field a string (or several), named as the generated form names them. */
function formFields(fields: Fields, prefix = ''): fc.Arbitrary<[string, string][]> {
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    nastyText.filter((t) => t.length < 10_000),
  )
  const parts = Object.entries(fields).map(([key, f]): fc.Arbitrary<[string, string][]> => {
    const name = prefix + key
    if (f.ui.kind === 'list') {
      const slots = f.ui.slots
      const item = f.ui.item
      return fc
        .array(fc.integer({ min: 0, max: slots }), { maxLength: 2 })
        .chain((rows) => fc.tuple(...rows.map((row) => formFields(item, `${name}-${row}-`))))
        .map((rows) => rows.flat())
    }
    if (f.ui.kind === 'date')
      return fc.tuple(text, text, fc.oneof(text, fc.constantFrom('2026', '0', '99999'))).map(([d, m, y]) => [
        [`${name}-day`, d],
        [`${name}-month`, m],
        [`${name}-year`, y],
      ])
    const options =
      f.ui.kind === 'radios' || f.ui.kind === 'select' || f.ui.kind === 'checkboxes'
        ? f.ui.options.map((o) => o.value)
        : []
    const value = options.length ? fc.oneof(fc.constantFrom(...options), text) : text
    return fc.array(value, { maxLength: 2 }).map((values) => values.map((v): [string, string] => [name, v]))
  })
  return fc.tuple(...parts).map((all) => all.flat())
}

describe('every event form, posted as a browser would', () => {
  it('shows a field error or a page that says what is wrong, never a 5xx', async () => {
    for (const definition of EVENT_DEFINITIONS) {
      const roles = [...definition.roles.filter((r) => r in pages), 'investigator']
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...caseIds),
          fc.constantFrom(...roles),
          formFields(definition.fields),
          fc.oneof(fc.constant(''), fc.constantFrom('1', '0', '-3', 'abc', '999999999999', '1.5')),
          async (caseId, role, fields, expectedVersion) => {
            const params = new URLSearchParams({ _csrf: pages[role]!.csrf })
            if (expectedVersion) params.append('expectedVersion', expectedVersion)
            for (const [k, v] of fields) params.append(k, v)
            const response = await app.inject({
              method: 'POST',
              url: `/cases/${caseId}/events/${definition.type}`,
              headers: { cookie: pages[role]!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
              payload: params.toString(),
            })
            expectClientAnswer(response, `${definition.type} as ${role} ${params.toString().slice(0, 300)}`)
            if (response.statusCode === 400) expect(response.body).toContain('govuk-error-summary')
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
      )
    }
  }, 600_000)
})
