import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiSignIn, appFor } from '../helpers/app'
import { createWorld, type TestWorld } from '../helpers/database'

let world: TestWorld
let app: FastifyInstance
let head: string
let prosecutor: string
beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
  head = await apiSignIn(app, 'cps-unit-head.avon@casebridge.example')
  prosecutor = await apiSignIn(app, 'prosecutor.avon@casebridge.example')
})
afterAll(async () => {
  await app?.close()
  await world?.close()
})

const call = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie }, ...(payload !== undefined && { payload: payload as object }) })

describe('the advocate panel API', () => {
  it('lists the area’s panel with eligibility, and adds, reads and changes an advocate', async () => {
    const list = await call('GET', '/api/v1/advocates', prosecutor)
    expect(list.statusCode).toBe(200)
    const byName = Object.fromEntries(
      (list.json().advocates as { name: string; eligible: boolean }[]).map((a) => [a.name, a]),
    )
    expect(byName['Amelia Hart KC (avon)']).toMatchObject({ eligible: true })
    expect(byName['Tom Reeve (avon)']).toMatchObject({ eligible: false })
    expect(Object.keys(byName).some((n) => n.includes('thames'))).toBe(false)

    const added = await call('POST', '/api/v1/advocates', head, {
      name: 'API Counsel',
      kind: 'in_house',
      chambers: 'CPS RASSO unit',
      rassoPanel: true,
      admittedOn: '2026-01-05',
    })
    expect(added.statusCode, added.body).toBe(201)
    const advocate = added.json()
    expect(advocate).toMatchObject({ name: 'API Counsel', eligible: false, probationEndsOn: '2027-01-05' })
    const trained = await call('POST', `/api/v1/advocates/${advocate.id}/training`, head, {
      course: 'rasso_core',
      completedOn: '2026-02-01',
    })
    expect(trained.statusCode, trained.body).toBe(200)
    expect(trained.json()).toMatchObject({ eligible: true })
    const changed = await call('PUT', `/api/v1/advocates/${advocate.id}/membership`, head, {
      rassoPanel: true,
      admittedOn: '2026-01-05',
      active: false,
      version: trained.json().version,
    })
    expect(changed.json()).toMatchObject({ active: false, eligible: false, reasons: ['No longer on the panel'] })
    const stale = await call('PUT', `/api/v1/advocates/${advocate.id}/membership`, head, {
      rassoPanel: true,
      admittedOn: '2026-01-05',
      active: true,
      version: trained.json().version,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('stale_version')
  })

  it('names each bad field, keeps prosecutors to reading, and answers 404 outside the area', async () => {
    const bad = await call('POST', '/api/v1/advocates', head, {
      name: 12,
      kind: 'in_house',
      chambers: 'x'.repeat(5000),
      rassoPanel: true,
      admittedOn: '1800-01-01',
      unknown: true,
    })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['admittedOn', 'chambers', 'name', 'unknown'])
    const notJson = await call('POST', '/api/v1/advocates', head, ['not', 'an', 'object'])
    expect(notJson.statusCode).toBe(400)
    const forbidden = await call('POST', '/api/v1/advocates', prosecutor, { name: 'x' })
    expect(forbidden.statusCode).toBe(403)
    const investigator = await apiSignIn(app, 'investigator.avon@casebridge.example')
    expect((await call('GET', '/api/v1/advocates', investigator)).statusCode).toBe(403)
    const thames = await apiSignIn(app, 'prosecutor.thames@casebridge.example')
    const avonId = (await call('GET', '/api/v1/advocates', prosecutor)).json().advocates[0].id
    expect((await call('GET', `/api/v1/advocates/${avonId}`, thames)).statusCode).toBe(404)
    expect((await call('GET', '/api/v1/advocates/../../etc', prosecutor)).statusCode).toBe(404)
    const doc = (await app.inject('/api/v1/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/advocates', '/advocates/{id}/training']))
  })
})
