import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiSignIn, appFor, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld } from '../helpers/database'

/**
 * Scope before anything else, on every case route taken from the route table: a case outside the caller's scope
 * answers 404 whatever the body (a valid one, an invalid one, none), exactly as a case that does not exist, and the
 * attempt is in the audit log as refused. Issue 18 found letters validating a complainant's safe contact details
 * first, so a caller from another force could learn whether one was on file.
 */

let world: TestWorld
let app: FastifyInstance
let avonCases: { id: string; personId: string }[]
const callers: Record<string, { api: string; page: { cookie: string; csrf: string } }> = {}
const ROLES = ['investigator', 'police-supervisor', 'prosecutor', 'witness-care', 'isva', 'cps-unit-head'] as const

beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
  for (const role of ROLES) {
    const email = `${role}.thames@casebridge.example`
    callers[role] = { api: await apiSignIn(app, email), page: await formSignIn(app, email) }
  }
  const rows = await world.database.db
    .selectFrom('cases')
    .innerJoin('case_people', 'case_people.case_id', 'cases.id')
    .select(['cases.id', 'case_people.id as personId'])
    .where('cases.force_code', '=', (await world.as('investigator', 'avon')).user.orgCode)
    .where('case_people.role', '=', 'complainant')
    .execute()
  avonCases = rows
}, 120_000)

afterAll(async () => {
  await app?.close()
  await world?.close()
})

const bodies = (caseId: string, personId: string) =>
  fc.constantFrom<Record<string, unknown> | null | undefined>(
    undefined,
    null,
    {},
    {
      complainantId: personId,
      template: 'update',
      channel: 'email',
      subject: 'Update',
      body: 'Hello',
      expectedVersion: 1,
    },
    { type: 'start_investigation', data: {}, expectedVersion: 1 },
    { type: 'record_contact', data: { complainantId: personId }, expectedVersion: 999 },
    { phone: '01234 567890', email: 'safe@example.com' },
    { caseId, nonsense: [null] },
  )

describe('a case outside the caller’s scope', () => {
  it('answers 404 on every case route whatever is sent, and the attempt is audited as refused', async () => {
    const routes = app.routeList.filter((r) => /^\/(api\/v1\/)?cases\/:id/.test(r.url))
    expect(routes.length).toBeGreaterThan(15)
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROLES),
          fc.constantFrom(...avonCases).chain((c) => fc.tuple(fc.constant(c), bodies(c.id, c.personId))),
          async (role, [target, body]) => {
            const isApi = route.url.startsWith('/api/')
            const url = route.url
              .replace(':id', target.id)
              .replace(':personId', target.personId)
              .replace(':complainantId', target.personId)
              .replace(':type', 'start_investigation')
              .replace(':seq', '1')
              .replace(/:[A-Za-z]+/g, '1')
            const before = await refusals(target.id)
            const caller = callers[role]!
            const response = await app.inject({
              method: route.method as 'GET',
              url,
              headers: isApi
                ? { cookie: caller.api, ...(body !== undefined && { 'content-type': 'application/json' }) }
                : { cookie: caller.page.cookie, 'content-type': 'application/x-www-form-urlencoded' },
              ...(route.method !== 'GET' &&
                (isApi
                  ? body !== undefined && { payload: JSON.stringify(body) }
                  : {
                      payload: new URLSearchParams({
                        _csrf: caller.page.csrf,
                        ...Object.fromEntries(
                          Object.entries(body ?? {}).map(([k, v]) => [
                            k,
                            typeof v === 'string' ? v : JSON.stringify(v),
                          ]),
                        ),
                      }).toString(),
                    })),
            })
            expect(response.statusCode, `${route.method} ${route.url} as ${role}: ${response.body.slice(0, 200)}`).toBe(
              404,
            )
            expect(await refusals(target.id), `${route.method} ${route.url} as ${role} is audited`).toBe(before + 1)
          },
        ),
        { numRuns: 8 },
      )
    }
  }, 300_000)
})

async function refusals(caseId: string): Promise<number> {
  const row = await world.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('outcome', '=', 'not_found_or_out_of_scope')
    .where((eb) => eb(eb.val(caseId), '=', eb.fn.any('record_ids')))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('the victim-support view', () => {
  it('an ISVA’s case list shows nothing of a case that her view of the case hides', async () => {
    const cookie = await apiSignIn(app, 'isva.avon@casebridge.example')
    const list = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: { cookie } })
    expect(list.statusCode).toBe(200)
    const items = (list.json() as { items: Record<string, unknown>[] }).items
    expect(items.length).toBe(2)
    for (const item of items) {
      const view = (
        await app.inject({ method: 'GET', url: `/api/v1/cases/${String(item.id)}`, headers: { cookie } })
      ).json() as Record<string, unknown>
      expect(view.view).toBe('victim_support')
      expect(item.fullView).toBe(false)
      // Every value the list gives is one the case view gives too (the offences are not in her view).
      expect(view.offences ?? []).toEqual([])
      expect(item.offenceCodes).toEqual([])
      for (const [key, value] of Object.entries(item)) {
        if (['fullView', 'offenceCodes', 'updatedAt'].includes(key)) continue
        expect(JSON.stringify(view), `list field ${key}`).toContain(JSON.stringify(value).replace(/^"|"$/g, ''))
      }
    }
    const page = await formSignIn(app, 'isva.avon@casebridge.example')
    const html = (await app.inject({ method: 'GET', url: '/cases', headers: { cookie: page.cookie } })).body
    expect(html).not.toMatch(/<td class="govuk-table__cell">19C<\/td>/)
    expect(html.match(/Not in the victim-support view/g)).toHaveLength(2)
  })
})
