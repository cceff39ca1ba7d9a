import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { EVENT_DEFINITIONS } from '../../src/modules/registry'
import { apiSignIn, appFor, cookieHeader, form } from '../helpers/app'
import { createServices } from '../../src/services'
import { buildApp } from '../../src/web/app'
import { createWorld, TEST_PASSWORD, testConfig, type TestWorld, validReport } from '../helpers/database'

let world: TestWorld

const sessionAttempt = (target: FastifyInstance, email: string, password: string, remoteAddress = '127.0.0.1') =>
  target.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress })

/** A sign-in through the page, as a browser would: its form, then the post, from one address. */
async function pageAttempt(target: FastifyInstance, email: string, password: string, remoteAddress: string) {
  const page = await target.inject({ url: '/sign-in', remoteAddress })
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
  return target.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ _csrf: token, email, password }),
  })
}
let app: FastifyInstance
let investigator: string
let thames: string
beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
  investigator = await apiSignIn(app, 'investigator.avon@casebridge.example')
  thames = await apiSignIn(app, 'investigator.thames@casebridge.example')
})
afterAll(async () => {
  await app?.close()
  await world?.close()
})

const post = (url: string, cookie: string, payload: unknown) =>
  app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object })
const createCase = async (overrides: Record<string, unknown> = {}) => {
  const response = await post('/api/v1/cases', investigator, validReport(overrides))
  expect(response.statusCode, response.body).toBe(201)
  return response.json()
}

describe('health and contract', () => {
  it('GET /health answers without sign-in', async () => {
    const response = await app.inject('/health')
    expect(response.json()).toEqual({
      status: 'ok',
      database: 'reachable',
      engine: world.database.engine,
      version: expect.any(String),
    })
  })

  it('describes every event in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/v1/openapi.json')).json()
    expect(doc.openapi).toBe('3.0.3')
    for (const d of EVENT_DEFINITIONS)
      expect(doc.components.schemas[`Event_${d.type}`].properties.type.enum).toEqual([d.type])
    expect(doc.components.schemas.Report.required).toEqual(
      expect.arrayContaining(['crimeReference', 'reportedOn', 'offences', 'complainants']),
    )
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/session',
        '/me',
        '/cases',
        '/cases/{id}',
        '/cases/{id}/events',
        '/cases/{id}/timeline',
        '/cases/{id}/access-log',
        '/cases/{id}/victim-care',
        '/cases/{id}/people/{personId}/safe-contact-details',
      ]),
    )
  })

  it('sends security headers with a nonce-based content security policy', async () => {
    const response = await app.inject('/sign-in')
    const csp = String(response.headers['content-security-policy'])
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/)
    expect(csp).toContain("frame-ancestors 'none'")
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]
    expect(response.body).toContain(`nonce="${nonce}"`)
    expect(response.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('session', () => {
  it('signs in, says who I am, and signs out', async () => {
    const cookie = await apiSignIn(app, 'prosecutor.avon@casebridge.example')
    const me = await app.inject({ url: '/api/v1/me', headers: { cookie } })
    expect(me.json().user).toMatchObject({
      email: 'prosecutor.avon@casebridge.example',
      roles: ['prosecutor'],
      orgCode: 'cps-south-west',
    })
    expect(JSON.stringify(me.json())).not.toContain('password')
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })
    expect(out.statusCode).toBe(204)
    expect((await app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401)
  })

  it('names the missing fields and refuses wrong credentials with 401', async () => {
    const empty = await app.inject({ method: 'POST', url: '/api/v1/session', payload: {} })
    expect(empty.statusCode).toBe(400)
    expect(Object.keys(empty.json().error.fields).sort()).toEqual(['email', 'password'])
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'investigator.avon@casebridge.example', password: 'wrong-password!' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('sign_in_failed')
    const notObject = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: '[1,2]',
      headers: { 'content-type': 'application/json' },
    })
    expect(notObject.statusCode).toBe(400)
  })

  it('accepts a bearer token for systems and refuses a revoked one', async () => {
    const { id, token } = await world.services.accounts.createToken('investigator.avon@casebridge.example', 'test')
    const ok = await app.inject({ url: '/api/v1/cases', headers: { authorization: `Bearer ${token}` } })
    expect(ok.statusCode).toBe(200)
    await world.services.accounts.revokeToken(id)
    const revoked = await app.inject({ url: '/api/v1/cases', headers: { authorization: `Bearer ${token}` } })
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json().error.code).toBe('invalid_token')
  })

  it('answers an unknown email byte for byte as a known one, however many attempts', async () => {
    const known = ['investigator.avon@casebridge.example', 'admin.thames@casebridge.example']
    let run = 0
    // Time stands still, so each answer's Retry-After is the same to the second for both emails.
    vi.useFakeTimers({ toFake: ['Date'] })
    onTestFinished(() => void vi.useRealTimers())
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...known),
        fc.emailAddress().filter((e) => !e.endsWith('@casebridge.example')),
        fc.integer({ min: 1, max: 8 }),
        async (knownEmail, unknownEmail, tries) => {
          const remoteAddress = `10.0.${++run}.1`
          const answers = async (email: string) => {
            const seen = []
            for (let i = 0; i < tries; i++) {
              const response = await sessionAttempt(app, email, 'wrong-password!', remoteAddress)
              seen.push([response.statusCode, response.headers['retry-after'], response.body])
            }
            return seen
          }
          const forKnown = await answers(knownEmail)
          expect(await answers(unknownEmail)).toEqual(forKnown)
          expect(forKnown.map(([status]) => status)).toEqual(
            Array.from({ length: tries }, (_, i) => (i < 5 ? 401 : 429)),
          )
        },
      ),
      { numRuns: 6 },
    )
  }, 120_000)

  it('never lets an attacker at one address stop the owner signing in at another', async () => {
    const email = 'police-supervisor.avon@casebridge.example'
    const attacker = '203.0.113.66'
    // The clock stands still, so the wait the answer gives is exactly the address's whole minute.
    vi.useFakeTimers({ toFake: ['Date'] })
    onTestFinished(() => void vi.useRealTimers())
    const statuses = []
    for (let i = 0; i < 30; i++) statuses.push((await sessionAttempt(app, email, `guess-${i}`, attacker)).statusCode)
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]))
    // The right password from the attacker's address is refused too, in the API's error shape.
    const held = await sessionAttempt(app, email, TEST_PASSWORD, attacker)
    expect(held.statusCode).toBe(429)
    // Thirty failures from the address in the minute: over its limit of 20, held until the minute is up.
    expect(held.headers['retry-after']).toBe('60')
    expect(held.json()).toEqual({
      error: {
        code: 'sign_in_throttled',
        message:
          'Too many attempts to sign in. Wait 1 minute and try again, or ask an administrator to reset your password',
        fields: { email: held.json().error.message },
        details: { retryAfterSeconds: Number(held.headers['retry-after']) },
      },
    })
    const owner = await sessionAttempt(app, email, TEST_PASSWORD, '198.51.100.7')
    expect(owner.statusCode).toBe(201)
  })

  it('behind a trusted proxy, counts each client by the address the proxy forwards, and believes no one else', async () => {
    const proxied = await buildApp(createServices(testConfig({ TRUST_PROXY: '10.0.0.5' }), world.database))
    const email = 'cps-unit-head.avon@casebridge.example'
    const via = (client: string, password: string, remoteAddress = '10.0.0.5') =>
      proxied.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email, password },
        remoteAddress,
        headers: { 'x-forwarded-for': client },
      })
    for (let i = 0; i < 6; i++) await via('203.0.113.90', `guess-${i}`)
    expect((await via('203.0.113.90', TEST_PASSWORD)).statusCode).toBe(429)
    // The owner reaches the service through the same proxy from her own address.
    expect((await via('198.51.100.23', TEST_PASSWORD)).statusCode).toBe(201)
    // A sender that is not the proxy cannot choose the address it is counted under.
    for (let i = 0; i < 6; i++) await via('198.51.100.99', `guess-${i}`, '192.0.2.200')
    expect((await via('198.51.100.99', TEST_PASSWORD, '192.0.2.200')).statusCode).toBe(429)
    expect((await via('198.51.100.99', TEST_PASSWORD, '192.0.2.201')).statusCode).toBe(201)
    await proxied.close()
  })

  it('answers a typed email holding a NUL as any unknown email, on the page and through the API', async () => {
    const page = await pageAttempt(app, 'investigator.avon@casebridge.example\u0000', 'wrong', '192.0.2.77')
    const unknown = await pageAttempt(app, 'nobody@casebridge.example', 'wrong', '192.0.2.79')
    expect(page.statusCode).toBe(unknown.statusCode)
    expect(page.body).toContain('Enter a correct email address and password')
    const api = await sessionAttempt(app, 'investigator.avon@casebridge.example\u0000', 'wrong', '192.0.2.78')
    expect(api.statusCode).toBe(400)
    expect(api.json().error.fields).toEqual({ email: 'email must not contain the NUL character' })
    // Deep inside a body, the field is named as every other field error names it.
    const nested = await post('/api/v1/cases', investigator, validReport({ offences: [{ code: '19C\u0000' }] }))
    expect(nested.statusCode).toBe(400)
    expect(nested.json().error.fields).toEqual({
      'offences.0.code': 'offences.0.code must not contain the NUL character',
    })
  })

  it('counts the sign-in page and the API against one limit per address', async () => {
    const limited = await buildApp(createServices(testConfig({ SIGNIN_RATE_LIMIT_PER_MINUTE: '4' }), world.database))
    const remoteAddress = '192.0.2.44'
    // The clock stands still, so the wait is exactly what is left of the address's minute: all of it.
    vi.useFakeTimers({ toFake: ['Date'] })
    onTestFinished(() => void vi.useRealTimers())
    const answers = []
    for (let i = 0; i < 4; i++) {
      const response =
        i % 2 === 0
          ? await pageAttempt(limited, `page${i}@example.org`, 'wrong-password', remoteAddress)
          : await sessionAttempt(limited, `api${i}@example.org`, 'wrong-password', remoteAddress)
      answers.push(response.statusCode)
    }
    expect(answers).toEqual([400, 401, 400, 401])
    const api = await sessionAttempt(limited, 'investigator.avon@casebridge.example', TEST_PASSWORD, remoteAddress)
    expect(api.statusCode).toBe(429)
    expect(api.json().error.code).toBe('sign_in_throttled')
    expect(api.headers['retry-after']).toBe('60')
    const page = await pageAttempt(limited, 'investigator.avon@casebridge.example', TEST_PASSWORD, remoteAddress)
    expect(page.statusCode).toBe(429)
    expect(page.headers['retry-after']).toBe('60')
    expect(page.body).toContain('govuk-error-summary')
    expect(page.body).toContain('Too many attempts to sign in. Wait 1 minute and try again')
    // Another address is not held back.
    const elsewhere = await sessionAttempt(limited, 'investigator.avon@casebridge.example', TEST_PASSWORD, '192.0.2.45')
    expect(elsewhere.statusCode).toBe(201)
    await limited.close()
  })

  it('answers 401 to the API without sign-in', async () => {
    const response = await app.inject('/api/v1/cases')
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({
      error: { code: 'unauthenticated', message: 'Sign in or send an API token', fields: {} },
    })
  })
})

describe('cases API', () => {
  it('records a report (201) and reads it back with its allowed events', async () => {
    const created = await createCase()
    // The id is random and the URN's serial follows however many cases were recorded before: their formats only.
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      urn: expect.stringMatching(/^01RS\d{5}26$/),
      stage: 'reported',
      version: 1,
    })
    const read = (await app.inject({ url: `/api/v1/cases/${created.id}`, headers: { cookie: investigator } })).json()
    expect(read.availableEvents.map((e: { type: string }) => e.type).sort()).toEqual(
      [
        'start_investigation',
        'add_person',
        'correct_person',
        'add_offence',
        'propose_police_outcome',
        'record_victim_contact',
        'set_contact_preferences',
        'record_needs_assessment',
        'refer_to_support',
        'assign_isva',
        'record_special_measures',
        'send_victim_letter',
        'record_withdrawal_of_support',
      ].sort(),
    )
  })

  it('applies events, then answers 409 for a stale version and replays a double submit', async () => {
    const created = await createCase()
    const key = randomUUID()
    const first = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'start_investigation',
      data: {},
      expectedVersion: 1,
      idempotencyKey: key,
    })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ stage: 'investigation', version: 2 })
    const replay = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'start_investigation',
      data: {},
      expectedVersion: 1,
      idempotencyKey: key,
    })
    expect(replay.statusCode).toBe(200)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    const stale = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'add_person',
      data: { role: 'witness', name: 'W' },
      expectedVersion: 1,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({ code: 'stale_version', details: { currentVersion: 2 } })
    const wrongStage = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'start_investigation',
      data: {},
      expectedVersion: 2,
    })
    expect(wrongStage.statusCode).toBe(409)
    const timeline = (
      await app.inject({ url: `/api/v1/cases/${created.id}/timeline`, headers: { cookie: investigator } })
    ).json()
    expect(timeline.events.map((e: { type: string }) => e.type)).toEqual(['start_investigation', 'record_report'])
  })

  it('refuses a version ahead of the case (409) and an idempotency key reused for another event (422), writing nothing', async () => {
    const created = await createCase()
    const ahead = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'start_investigation',
      data: {},
      expectedVersion: 2,
    })
    expect(ahead.statusCode).toBe(409)
    expect(ahead.json().error).toMatchObject({ code: 'stale_version', details: { currentVersion: 1 } })
    const key = randomUUID()
    const first = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'start_investigation',
      data: {},
      expectedVersion: 1,
      idempotencyKey: key,
    })
    expect(first.statusCode).toBe(201)
    const reused = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'add_person',
      data: { role: 'witness', name: 'W' },
      expectedVersion: 2,
      idempotencyKey: key,
    })
    expect(reused.statusCode).toBe(422)
    expect(reused.json().error).toMatchObject({ code: 'idempotency_key_reused' })
    const after = (await app.inject({ url: `/api/v1/cases/${created.id}`, headers: { cookie: investigator } })).json()
    expect(after.version).toBe(2)
    expect(after.people.filter((p: { role: string }) => p.role === 'witness')).toEqual([])
  })

  it('answers 404 for a case of another force, a missing case and a malformed id alike', async () => {
    const created = await createCase()
    const hidden = await app.inject({ url: `/api/v1/cases/${created.id}`, headers: { cookie: thames } })
    const missing = await app.inject({ url: `/api/v1/cases/${randomUUID()}`, headers: { cookie: thames } })
    const malformed = await app.inject({ url: `/api/v1/cases/not-a-uuid'%20OR%201=1`, headers: { cookie: thames } })
    expect([hidden.statusCode, missing.statusCode, malformed.statusCode]).toEqual([404, 404, 404])
    expect(hidden.body).toBe(missing.body)
    const event = await post(`/api/v1/cases/${created.id}/events`, thames, {
      type: 'start_investigation',
      data: {},
      expectedVersion: 1,
    })
    expect(event.statusCode).toBe(404)
    const timeline = await app.inject({ url: `/api/v1/cases/${created.id}/timeline`, headers: { cookie: thames } })
    expect(timeline.statusCode).toBe(404)
  })

  it('lists the deadlines of a case', async () => {
    const created = await createCase()
    await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'propose_police_outcome',
      data: { outcomeCode: 18, rationale: 'No suspect identified' },
      expectedVersion: 1,
    })
    const response = await app.inject({
      url: `/api/v1/cases/${created.id}/deadlines`,
      headers: { cookie: investigator },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().clocks.map((k: { ruleId: string }) => k.ruleId)).toEqual([
      'vc_support_referral',
      'vc_needs_assessment',
      'vc_vps_offered',
      'police_outcome_sign_off',
    ])
    expect(response.json().clocks[3]).toMatchObject({ status: 'running', explanation: expect.any(Array) })
    expect(
      (await app.inject({ url: `/api/v1/cases/${created.id}/deadlines`, headers: { cookie: thames } })).statusCode,
    ).toBe(404)
  })

  it('lets supervisors read the access log and refuses investigators with 403', async () => {
    const created = await createCase()
    const sup = await apiSignIn(app, 'police-supervisor.avon@casebridge.example')
    const log = await app.inject({ url: `/api/v1/cases/${created.id}/access-log`, headers: { cookie: sup } })
    expect(log.statusCode).toBe(200)
    // The report as it was recorded through the API (this read of the log is audited after it is read).
    expect(log.json().entries.map((e: { action: string }) => e.action)).toEqual(['record_report'])
    expect(
      (await app.inject({ url: `/api/v1/cases/${created.id}/access-log`, headers: { cookie: investigator } }))
        .statusCode,
    ).toBe(403)
  })

  it('refuses an analyst the case list with 403', async () => {
    const analyst = await apiSignIn(app, 'analyst.avon@casebridge.example')
    expect((await app.inject({ url: '/api/v1/cases', headers: { cookie: analyst } })).statusCode).toBe(403)
  })
})

describe('bad input never causes a 500 and is named field by field', () => {
  const cases: [string, unknown, number, string[]][] = [
    [
      'wrong types',
      { crimeReference: 42, reportedOn: true, offences: 'x', complainants: {}, suspects: 3 },
      400,
      ['crimeReference', 'reportedOn', 'offences', 'complainants', 'suspects'],
    ],
    ['missing fields', {}, 400, ['crimeReference', 'reportedOn', 'offences', 'complainants']],
    [
      'impossible and out-of-range dates',
      validReport({ reportedOn: '2026-02-30', offences: [{ code: '19C', committedFrom: '1066-10-14' }] }),
      400,
      ['reportedOn', 'offences.0.committedFrom'],
    ],
    ['future dates', validReport({ reportedOn: '2999-01-01' }), 400, ['reportedOn']],
    ['an unknown field', validReport({ secret: 'x' }), 400, ['secret']],
    ['a long string', validReport({ crimeReference: 'x'.repeat(5000) }), 400, ['crimeReference']],
    ['a null byte', validReport({ crimeReference: 'abc\u0000def' }), 400, ['crimeReference']],
    [
      'a huge number of offences',
      validReport({ offences: Array.from({ length: 500 }, () => ({ code: '19C', committedFrom: '2026-01-01' })) }),
      400,
      ['offences'],
    ],
  ]
  for (const [name, payload, status, fields] of cases) {
    it(`reports ${name}`, async () => {
      const response = await post('/api/v1/cases', investigator, payload)
      expect(response.statusCode, response.body).toBe(status)
      expect(Object.keys(response.json().error.fields)).toEqual(expect.arrayContaining(fields))
    })
  }

  it('answers 413 for a 10 MB body and 400 for malformed JSON', async () => {
    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: investigator, 'content-type': 'application/json' },
      payload: JSON.stringify(validReport({ crimeReference: 'x'.repeat(10 * 1024 * 1024) })),
    })
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error.code).toBe('payload_too_large')
    const broken = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: investigator, 'content-type': 'application/json' },
      payload: '{"crimeReference": ',
    })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().error.code).toBe('invalid_json')
  })

  it('refuses a form-encoded write to the API made with the session cookie (CSRF)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: investigator, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'crimeReference=x',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('json_required')
  })

  it('names bad event fields under data and bad envelope fields at the top', async () => {
    const created = await createCase()
    const response = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'add_person',
      data: { role: 'witness', name: '<script>alert(1)</script>', dateOfBirth: '31/12/2000' },
      expectedVersion: '1',
    })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().error.fields)).toEqual(['expectedVersion'])
    const data = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'add_person',
      data: { role: 'witness', name: '<script>alert(1)</script>', dateOfBirth: '31/12/2000' },
      expectedVersion: 1,
    })
    expect(data.json().error.fields).toEqual({
      'data.dateOfBirth': 'The date of birth must be a date in the form YYYY-MM-DD',
    })
    const huge = await post(`/api/v1/cases/${created.id}/events`, investigator, {
      type: 'propose_police_outcome',
      data: { outcomeCode: 1e308, rationale: 'x' },
      expectedVersion: 99999999999,
    })
    expect(huge.statusCode).toBe(400)
  })

  it('never reflects personal data in an error', async () => {
    const response = await post(
      '/api/v1/cases',
      investigator,
      validReport({ complainants: [{ name: 'Jane Private', sex: 'unknown-value' }] }),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).not.toContain('Jane Private')
  })
})

describe('victim care API', () => {
  it('reads the victim care record, and keeps safe contact details to the contact roles', async () => {
    const created = await createCase()
    const complainant = created.people.find((p: { role: string }) => p.role === 'complainant').id
    const care = await app.inject({ url: `/api/v1/cases/${created.id}/victim-care`, headers: { cookie: investigator } })
    expect(care.statusCode).toBe(200)
    expect(care.json().complainants[0]).toMatchObject({
      id: complainant,
      enhancedRights: true,
      entitlements: expect.arrayContaining([expect.objectContaining({ ruleId: 'vc_support_referral' })]),
      safeContactDetails: { canView: true, recorded: false },
    })
    expect(
      (await app.inject({ url: `/api/v1/cases/${created.id}/victim-care`, headers: { cookie: thames } })).statusCode,
    ).toBe(404)

    const url = `/api/v1/cases/${created.id}/people/${complainant}/safe-contact-details`
    const put = (payload: unknown, cookie = investigator) =>
      app.inject({ method: 'PUT', url, headers: { cookie }, payload: payload as object })
    const bad = await put({ email: 'nope', phone: ['01632'] })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.fields).toEqual({
      email: 'Enter an email address in the correct format, like name@example.com',
      phone: 'Enter the phone number as text',
    })
    expect((await put({ email: 'safe@example.com' })).statusCode).toBe(204)
    const read = await app.inject({ url, headers: { cookie: investigator } })
    expect(read.json().details).toMatchObject({ email: 'safe@example.com', phone: null })
    const prosecutor = await apiSignIn(app, 'prosecutor.avon@casebridge.example')
    expect((await app.inject({ url, headers: { cookie: prosecutor } })).statusCode).toBe(403)
    expect((await put({ email: 'x@example.com' }, prosecutor)).statusCode).toBe(403)
    expect((await app.inject({ url, headers: { cookie: thames } })).statusCode).toBe(404)
    // No personal data in the error or the URL of a refusal.
    expect((await app.inject({ url, headers: { cookie: prosecutor } })).body).not.toContain('safe@example.com')
  })
})

describe('letters API', () => {
  it('drafts, refuses a letter with problems naming each field, sends by post and reads it back as sent', async () => {
    const created = await createCase()
    const complainant = created.people.find((p: { role: string }) => p.role === 'complainant').id
    const base = `/api/v1/cases/${created.id}/letters`
    expect(
      (await app.inject({ url: `${base}/drafts`, headers: { cookie: investigator } })).json().error.fields,
    ).toEqual({
      complainantId: 'Send complainantId',
    })
    const drafts = await app.inject({
      url: `${base}/drafts?complainantId=${complainant}`,
      headers: { cookie: investigator },
    })
    expect(drafts.statusCode).toBe(200)
    const hello = drafts.json().templates.find((t: { id: string }) => t.id === 'hello')
    const letter = {
      complainantId: complainant,
      template: 'hello',
      channel: 'post',
      ...hello.draft,
      expectedVersion: 1,
    }
    const bad = await post(base, investigator, { ...letter, channel: 'pigeon', body: `${hello.draft.body} OIC` })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.fields).toEqual({
      channel: 'Select how to send it: email or post',
      body: 'Instead of “OIC”, say “the officer in charge of your case”',
    })
    const sent = await post(base, investigator, letter)
    expect(sent.statusCode).toBe(201)
    const read = await app.inject({ url: `${base}/${sent.json().seq}`, headers: { cookie: investigator } })
    expect(read.json()).toMatchObject({ body: hello.draft.body, channel: 'post', delivery: { state: 'to_post' } })
    expect((await app.inject({ url: `${base}/99999`, headers: { cookie: investigator } })).statusCode).toBe(404)
    expect((await app.inject({ url: `${base}/${sent.json().seq}`, headers: { cookie: thames } })).statusCode).toBe(404)
    expect((await post(base, thames, letter)).statusCode).toBe(404)
  })
})
