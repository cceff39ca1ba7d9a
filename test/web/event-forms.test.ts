import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIGITAL_EVENT_TYPES } from '../../src/modules/digital/events'
import { DISCLOSURE_EVENT_TYPES } from '../../src/modules/disclosure/rules'
import { eventDefinition } from '../../src/modules/registry'
import { appFor, form, formSignIn } from '../helpers/app'
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

/** Every form a person may open on every demo case of their area draws, and an empty post names its problems. */
describe('every event form on every demo case', () => {
  // The police's forms: those of digital evidence and disclosure (their others are drawn by the journeys).
  const police = (type: string) => DIGITAL_EVENT_TYPES.has(type) || DISCLOSURE_EVENT_TYPES.has(type)
  for (const [email, which, least] of [
    ['prosecutor.avon@casebridge.example', () => true, 20],
    ['witness-care.avon@casebridge.example', () => true, 20],
    ['investigator.avon@casebridge.example', police, 10],
    ['police-supervisor.avon@casebridge.example', police, 5],
  ] as const) {
    it(`draws for ${email.split('.')[0]}, and an empty post is answered on the page`, async () => {
      const { cookie, csrf } = await formSignIn(app, email)
      const ctx = await world.as(email)
      const list = await world.services.cases.list(ctx, world.services.cases.parseListQuery({ page: '1' }))
      let forms = 0
      for (const item of list.items) {
        const detail = await world.services.cases.get(ctx, item.id)
        for (const { type } of detail.availableEvents) {
          const definition = eventDefinition(type)!
          // Letters have their own page (the letter service checks more than the data).
          if (definition.serviceOnly || !which(type)) continue
          const page = await app.inject({ method: 'GET', url: `/cases/${item.id}/events/${type}`, headers: { cookie } })
          expect(page.statusCode, `${type} on ${item.urn}`).toBe(200)
          expect(page.body).toContain(definition.title.replace(/’/g, '&#8217;').slice(0, 10))
          forms++
          const posted = await app.inject({
            method: 'POST',
            url: `/cases/${item.id}/events/${type}`,
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            payload: form({ _csrf: csrf, expectedVersion: String(detail.version) }),
          })
          // Either it needs nothing (applied, 303) or the form is shown again with its problems; never a 500.
          expect([303, 400, 409, 422], `${type} on ${item.urn}: ${posted.statusCode}`).toContain(posted.statusCode)
          if (posted.statusCode === 303) break
        }
      }
      expect(forms).toBeGreaterThan(least)
    })
  }
})
