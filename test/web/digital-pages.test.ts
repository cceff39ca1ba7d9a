import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiSignIn, appFor, form, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld } from '../helpers/database'

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

/** The demo case of a force whose first request is in this state (and of this kind). */
async function demoCase(force: string, state: string, kind: 'device' | 'third_party' = 'device') {
  const { rows } = await sql<{ id: string }>`
    SELECT c.id FROM material_requests r JOIN cases c ON c.id = r.case_id
    WHERE c.force_code = ${force} AND r.number = 1 AND r.state = ${state} AND r.kind = ${kind}
    ORDER BY c.urn LIMIT 1`.execute(world.database.db)
  return rows[0]!.id
}
const AVON = 'avon-and-somerset'

describe('the digital evidence page', () => {
  it('shows the case team each request: scopes, the device’s journey, clocks, what the person was told, the history', async () => {
    const { cookie } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const caseId = await demoCase(AVON, 'agreed')
    const page = await app.inject({ method: 'GET', url: `/cases/${caseId}/digital`, headers: { cookie } })
    expect(page.statusCode).toBe(200)
    for (const qa of ['request', 'request-summary', 'scopes', 'device-journey', 'request-told', 'request-history'])
      expect(page.body, qa).toContain(`data-qa="${qa}"`)
    expect(page.body).toContain('Days without the device')
    expect(page.body).toContain('sorry, last night, party')
    expect(page.body).toMatch(/data-qa="clock-device_return"[\s\S]*?Met/)
    // The overview links to it, with the number of requests.
    const overview = await app.inject({ method: 'GET', url: `/cases/${caseId}`, headers: { cookie } })
    expect(overview.body).toMatch(/data-qa="digital-link"[^>]*>Digital evidence<\/a>: requests[^<]*\(1 on this case\)/)
  })

  it('offers each request’s next step as a link that fills in the request', async () => {
    const { cookie } = await formSignIn(app, 'police-supervisor.avon@casebridge.example')
    const { rows } = await sql<{ id: string }>`
      SELECT c.id FROM material_requests r JOIN cases c ON c.id = r.case_id
      WHERE c.force_code = ${AVON} AND r.state = 'awaiting_approval' AND r.number = 2`.execute(world.database.db)
    const caseId = rows[0]!.id
    const page = await app.inject({ method: 'GET', url: `/cases/${caseId}/digital`, headers: { cookie } })
    expect(page.body).toContain(`href="/cases/${caseId}/events/decide_material_request?request=2"`)
    const formPage = await app.inject({
      method: 'GET',
      url: `/cases/${caseId}/events/decide_material_request?request=2`,
      headers: { cookie },
    })
    expect(formPage.statusCode).toBe(200)
    expect(formPage.body).toMatch(/value="2" checked/)
  })

  it('an ISVA is refused the page but sees on the case and victim care what the complainant was told', async () => {
    const { cookie } = await formSignIn(app, 'isva.avon@casebridge.example')
    const caseId = await demoCase(AVON, 'agreed')
    const page = await app.inject({ method: 'GET', url: `/cases/${caseId}/digital`, headers: { cookie } })
    expect(page.statusCode).toBe(403)
    expect(page.body).not.toContain('sorry, last night')
    const overview = await app.inject({ method: 'GET', url: `/cases/${caseId}`, headers: { cookie } })
    expect(overview.statusCode).toBe(200)
    expect(overview.body).toContain('Your mobile phone: The police gave it back.')
    expect(overview.body).not.toContain('data-qa="digital-link"')
    expect(overview.body).not.toContain('sorry, last night')
    const care = await app.inject({ method: 'GET', url: `/cases/${caseId}/victim-care`, headers: { cookie } })
    expect(care.body).toContain('data-qa="requests-told"')
    expect(care.body).not.toContain('Black smartphone')
  })

  it('a form post with problems shows each on its field, keeps what was typed and writes nothing', async () => {
    const { cookie, csrf } = await formSignIn(app, 'investigator.avon@casebridge.example')
    const caseId = await demoCase(AVON, 'agreed')
    const ctx = await world.as('investigator')
    const before = await world.services.cases.get(ctx, caseId)
    const complainant = before.people.find((p) => p.role === 'complainant')!.id
    const posted = await app.inject({
      method: 'POST',
      url: `/cases/${caseId}/events/propose_material_request`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({
        _csrf: csrf,
        expectedVersion: String(before.version),
        personId: complainant,
        material: 'tablet',
        lineOfEnquiry: '<script>alert("x")</script>',
        'dateFrom-day': '31',
        'dateFrom-month': '2',
        'dateFrom-year': '2026',
      }),
    })
    expect(posted.statusCode).toBe(400)
    expect(posted.body).toContain('The start of the date range must be a real date')
    expect(posted.body).toContain('Select the kinds of data in scope')
    expect(posted.body).toContain('Enter why those options are not enough')
    expect(posted.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(posted.body).not.toContain('<script>alert')
    const after = await world.services.cases.get(ctx, caseId)
    expect(after.version).toBe(before.version)
    expect(after.materialRequests).toHaveLength(before.materialRequests.length)
  })
})

describe('the material requests API', () => {
  it('answers the case team, refuses an ISVA, hides another force’s case and names bad fields', async () => {
    const caseId = await demoCase(AVON, 'agreed', 'third_party')
    const inv = await apiSignIn(app, 'investigator.avon@casebridge.example')
    const ok = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/material-requests`,
      headers: { cookie: inv },
    })
    expect(ok.statusCode).toBe(200)
    const body = ok.json()
    expect(body.requests[0]).toMatchObject({
      number: 1,
      kind: 'third_party',
      material: 'counselling',
      state: 'agreed',
      holderStatus: 'part',
      told: { what: 'Your counselling or therapy notes' },
    })
    expect(body.requests[1]).toMatchObject({ number: 2, state: 'awaiting_approval', told: null })
    // The ISVA supports the complainant on the phone request's case: the record is still not theirs.
    const isva = await apiSignIn(app, 'isva.avon@casebridge.example')
    const supported = await demoCase(AVON, 'agreed')
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/cases/${supported}/material-requests`,
          headers: { cookie: isva },
        })
      ).statusCode,
    ).toBe(403)
    const thames = await apiSignIn(app, 'investigator.thames@casebridge.example')
    const hidden = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/material-requests`,
      headers: { cookie: thames },
    })
    expect(hidden.statusCode).toBe(404)
    expect(hidden.body).not.toContain('counselling')
    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/events`,
      headers: { cookie: inv },
      payload: {
        type: 'record_holder_response',
        data: { requestNumber: 'one', response: 'maybe', respondedOn: '9999-99-99', outsideScope: 7 },
        expectedVersion: body.case.version,
      },
    })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().error.fields).sort()).toEqual([
      'data.outsideScope',
      'data.requestNumber',
      'data.respondedOn',
      'data.response',
    ])
    const openapi = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    expect(openapi.json().paths['/cases/{id}/material-requests']).toMatchObject({
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: 'Requests for material' } },
      },
    })
    expect(openapi.json().components.schemas.Event_propose_material_request).toMatchObject({
      type: 'object',
      required: ['type', 'data', 'expectedVersion'],
      properties: {
        type: { type: 'string', enum: ['propose_material_request'] },
        data: { type: 'object' },
        expectedVersion: { type: 'integer', minimum: 1 },
      },
    })
  })
})

describe('the disclosure page and API', () => {
  /** The demo case of a force whose non-sensitive schedule has a second version waiting for sign-off. */
  async function disclosureCase(force: string) {
    const { rows } = await sql<{ id: string }>`
      SELECT c.id FROM disclosure_versions v JOIN cases c ON c.id = v.case_id
      WHERE c.force_code = ${force} AND v.schedule = 'mg6c' AND v.version = 2`.execute(world.database.db)
    return rows[0]!.id
  }

  it('shows each schedule’s versions and items, the decisions, what was served and the documents', async () => {
    const caseId = await disclosureCase(AVON)
    const { cookie, csrf } = await formSignIn(app, 'police-supervisor.avon@casebridge.example')
    const page = await app.inject({ method: 'GET', url: `/cases/${caseId}/disclosure`, headers: { cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/data-qa="schedule-mg6c"[\s\S]*Waiting for sign-off/)
    expect(page.body).toContain('Meets the test for disclosure: disclose it to the defence')
    expect(page.body).toContain('Initial disclosure (with the non-sensitive schedule)')
    expect(page.body).toContain('data-qa="document-dmd"')
    expect(page.body).toContain('amended in version 2')
    expect(page.body).toContain('data-qa="next-sign_off_schedule"')
    // A sign-off form posted without the schedule names it on the field.
    const before = await world.services.cases.get(await world.as('police_supervisor'), caseId)
    const posted = await app.inject({
      method: 'POST',
      url: `/cases/${caseId}/events/sign_off_schedule`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrf, expectedVersion: String(before.version) }),
    })
    expect(posted.statusCode).toBe(400)
    expect(posted.body).toMatch(/id="schedule-error"[\s\S]*Select the schedule/)
  })

  it('a prosecutor’s decisions with a row left half-filled are named on that row', async () => {
    const caseId = await disclosureCase(AVON)
    const { cookie, csrf } = await formSignIn(app, 'prosecutor.avon@casebridge.example')
    const formPage = await app.inject({
      method: 'GET',
      url: `/cases/${caseId}/events/review_disclosure_items`,
      headers: { cookie },
    })
    expect(formPage.statusCode).toBe(200)
    expect(formPage.body).toContain('<option value="C1">C1: Notes of the complainant’s first account')
    const detail = await world.services.cases.get(await world.as('prosecutor'), caseId)
    const posted = await app.inject({
      method: 'POST',
      url: `/cases/${caseId}/events/review_disclosure_items`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({
        _csrf: csrf,
        expectedVersion: String(detail.version),
        'decisions-0-itemRef': 'C3',
        'decisions-0-decision': 'disclose',
      }),
    })
    expect(posted.statusCode).toBe(400)
    expect(posted.body).toMatch(/id="decisions-0-reason-error"[\s\S]*Enter the reason/)
  })

  it('answers the API for the case team and refuses the ISVA the page', async () => {
    const caseId = await disclosureCase(AVON)
    const pros = await apiSignIn(app, 'prosecutor.avon@casebridge.example')
    const ok = await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/disclosure`, headers: { cookie: pros } })
    expect(ok.statusCode).toBe(200)
    const body = ok.json()
    expect(body.items.map((i: { ref: string; decision: string | null }) => [i.ref, i.decision])).toEqual([
      ['C1', 'disclose'],
      ['C2', null],
      ['C3', 'disclose'],
      ['C4', null],
      ['D1', 'not_disclosable'],
      ['E1', 'disclose'],
    ])
    expect(body.documents.dmd).toHaveLength(1)
    const supported = await demoCase(AVON, 'agreed')
    const { cookie } = await formSignIn(app, 'isva.avon@casebridge.example')
    const refused = await app.inject({ method: 'GET', url: `/cases/${supported}/disclosure`, headers: { cookie } })
    expect(refused.statusCode).toBe(403)
  })
})
