import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { appFor, form, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld, validReport } from '../helpers/database'

/**
 * One read of a case per request (issue 19): the reads of a case's parts and the scope checks a page and a form post
 * make, counted at the repository every read goes through.
 */
let world: TestWorld
let app: FastifyInstance
let session: { cookie: string; csrf: string }
let caseId: string
beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
  session = await formSignIn(app, 'investigator.avon@casebridge.example')
  const { detail } = await world.services.cases.recordReport(await world.as('investigator'), validReport())
  caseId = detail.id
})
afterAll(async () => {
  await app?.close()
  await world?.close()
})

async function counted<T>(work: () => Promise<T>) {
  const repo = world.services.repos.cases
  const parts = vi.spyOn(repo, 'parts')
  const scope = vi.spyOn(repo, 'findVisible')
  try {
    const result = await work()
    return { result, parts: parts.mock.calls.length, scope: scope.mock.calls.length }
  } finally {
    parts.mockRestore()
    scope.mockRestore()
  }
}

const post = (url: string, values: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url,
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ _csrf: session.csrf, ...values }),
  })

describe('one read of a case per request', () => {
  it('reads the parts once for a case page and once for an event form', async () => {
    const page = await counted(() => app.inject({ url: `/cases/${caseId}`, headers: { cookie: session.cookie } }))
    expect(page.result.statusCode).toBe(200)
    expect([page.parts, page.scope]).toEqual([1, 1])

    const shown = await counted(() =>
      app.inject({ url: `/cases/${caseId}/events/add_person`, headers: { cookie: session.cookie } }),
    )
    expect(shown.result.statusCode).toBe(200)
    expect([shown.parts, shown.scope]).toEqual([1, 1])
  })

  it('reads the parts once, and checks scope once, for a form post that records an event', async () => {
    const version = (await world.services.cases.get(await world.as('investigator'), caseId)).version
    const posted = await counted(() =>
      post(`/cases/${caseId}/events/add_person`, {
        expectedVersion: String(version),
        role: 'witness',
        name: 'Counted Witness',
      }),
    )
    expect(posted.result.statusCode).toBe(303)
    expect(posted.result.headers.location).toBe(`/cases/${caseId}?applied=add_person&seq=${version + 1}`)
    expect([posted.parts, posted.scope]).toEqual([1, 1])
  })

  it('reads the case again only to draw the form with its errors', async () => {
    const version = (await world.services.cases.get(await world.as('investigator'), caseId)).version
    const refused = await counted(() =>
      post(`/cases/${caseId}/events/add_person`, { expectedVersion: String(version), role: 'witness', name: '' }),
    )
    expect(refused.result.statusCode).toBe(400)
    expect(refused.result.body).toContain('Enter the full name')
    // The event's check refuses before its transaction reads the parts; drawing the form again reads them once.
    expect([refused.parts, refused.scope]).toEqual([1, 2])
  })
})

describe('a page reads only what it shows', () => {
  /** What the page asked of the case's parts: the optional groups it read, and the modules' reads. */
  async function readsOf(url: string) {
    const spy = vi.spyOn(world.services.repos.cases, 'parts')
    try {
      const page = await app.inject({ url, headers: { cookie: session.cookie } })
      expect(page.statusCode).toBe(200)
      expect(spy).toHaveBeenCalledTimes(1)
      const include = spy.mock.calls[0]![1]
      return {
        groups: (['court', 'hearings', 'requests', 'offences', 'tasks'] as const).filter((g) => include[g]),
        modules: Object.keys(include.modules ?? {}).sort(),
      }
    } finally {
      spy.mockRestore()
    }
  }

  it('reads every part for the case page, and only its own rows for a module’s page', async () => {
    // A case the CPS has: past the report, so the disclosure module has rows to read.
    const charged = await world.services.repos.db
      .selectFrom('cases')
      .select('id')
      .where('force_code', '=', 'avon-and-somerset')
      .where('stage', '=', 'charged')
      .orderBy('urn')
      .executeTakeFirstOrThrow()
    const disclosureReads = ['disclosure.items', 'disclosure.milestones', 'disclosure.versions']
    expect(await readsOf(`/cases/${charged.id}`)).toEqual({
      groups: ['court', 'hearings', 'requests', 'offences', 'tasks'],
      modules: disclosureReads,
    })
    // The digital evidence page reads the requests, not the hearings, the court record or disclosure.
    expect(await readsOf(`/cases/${charged.id}/digital`)).toEqual({ groups: ['requests'], modules: [] })
    // The disclosure page reads disclosure's own rows, not the hearings or the requests.
    expect(await readsOf(`/cases/${charged.id}/disclosure`)).toEqual({ groups: [], modules: disclosureReads })
  })
})
