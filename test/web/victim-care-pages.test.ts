import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appFor, form, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld, validReport } from '../helpers/database'
import { victimCareOf } from '../../src/modules/victim-care/service'

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

const postForm = (url: string, cookie: string, values: Record<string, string | string[]>) =>
  app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(values),
  })

describe('victim care pages', () => {
  it('serves the public walkthrough without sign-in, and keeps every case page in scope', async () => {
    const walkthrough = await app.inject('/walkthrough')
    expect(walkthrough.statusCode).toBe(200)
    expect(walkthrough.body).toContain('What happens after you report rape or sexual assault')

    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport())
    const complainant = detail.people.find((p) => p.role === 'complainant')!.id
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    const thames = await formSignIn(app, 'investigator.thames@casebridge.example')
    const isva = await formSignIn(app, 'isva.avon@casebridge.example')
    const prosecutor = await formSignIn(app, 'prosecutor.avon@casebridge.example')
    for (const url of [
      `/cases/${detail.id}/victim-care`,
      `/cases/${detail.id}/victim-care/walkthrough/${complainant}`,
      `/cases/${detail.id}/victim-care/contact-details/${complainant}`,
      `/cases/${detail.id}/victim-care/letters/new?complainant=${complainant}&template=hello`,
    ]) {
      for (const who of [thames, isva]) {
        const response = await app.inject({ url, headers: { cookie: who.cookie } })
        expect(response.statusCode, url).toBe(404)
        expect(response.body).not.toContain('Test Complainant')
      }
    }
    const { cookie, csrf } = await formSignIn(app, 'investigator.avon@casebridge.example')
    expect(
      (await app.inject({ url: `/cases/${detail.id}/victim-care/walkthrough/${suspect}`, headers: { cookie } }))
        .statusCode,
    ).toBe(404)
    expect(
      (
        await app.inject({
          url: `/cases/${detail.id}/victim-care/contact-details/${complainant}`,
          headers: { cookie: prosecutor.cookie },
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await app.inject({
          url: `/cases/${detail.id}/victim-care/letters/new?complainant=${complainant}&template=ransom`,
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(404)
    expect(
      (await app.inject({ url: `/cases/${detail.id}/victim-care/letters/99999999`, headers: { cookie } })).statusCode,
    ).toBe(404)

    // Safe contact details: the error is on the field, the value typed is kept, and nothing is saved.
    const bad = await postForm(`/cases/${detail.id}/victim-care/contact-details/${complainant}`, cookie, {
      _csrf: csrf,
      email: '<script>alert(1)</script>',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Enter an email address in the correct format')
    expect(bad.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(bad.body).not.toContain('<script>alert(1)</script>')
    expect((await victimCareOf(world.services).safeContact(inv, detail.id, complainant)).details).toBeNull()
    // Without the CSRF token nothing is saved either.
    const forged = await postForm(`/cases/${detail.id}/victim-care/contact-details/${complainant}`, cookie, {
      phone: '01632 960 001',
    })
    expect(forged.statusCode).toBe(403)
    expect((await victimCareOf(world.services).safeContact(inv, detail.id, complainant)).details).toBeNull()

    // A letter sent without a channel and with a term to avoid: 400, each message on its field, nothing sent.
    const letter = await postForm(`/cases/${detail.id}/victim-care/letters`, cookie, {
      _csrf: csrf,
      action: 'send',
      complainantId: complainant,
      template: 'hello',
      expectedVersion: String(detail.version),
      subject: 'Your report',
      body: 'Dear Test Complainant, the case is RUI.',
    })
    expect(letter.statusCode).toBe(400)
    expect(letter.body).toContain('Select how to send it: email or post')
    expect(letter.body).toContain('Instead of “RUI”')
    expect((await world.services.cases.get(inv, detail.id)).version).toBe(detail.version)
    // Checking shows the reading ease and changes nothing.
    const check = await postForm(`/cases/${detail.id}/victim-care/letters`, cookie, {
      _csrf: csrf,
      action: 'check',
      complainantId: complainant,
      template: 'hello',
      subject: 'Your report',
      body: 'Dear Test Complainant. We will call you soon. Thank you.',
    })
    expect(check.statusCode).toBe(200)
    expect(check.body).toMatch(/data-qa="reading-ease">\d+</)
  })
})
