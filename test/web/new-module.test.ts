import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { apiSignIn, appFor } from '../helpers/app'
import { createWorld, type TestWorld, validReport } from '../helpers/database'

// The manifest with one more line: the module written for this test (test/fixtures/probe-module). No other file knows it.
vi.mock('../../src/modules/index', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/modules/index')>()
  const { probe } = await import('../fixtures/probe-module')
  return { MODULES: [...real.MODULES, probe] }
})

let world: TestWorld
let app: FastifyInstance
let cookie: string
beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
  cookie = await apiSignIn(app, 'investigator.avon@casebridge.example')
})
afterAll(async () => {
  await app?.close()
  await world?.close()
})

describe('a module added with one folder and one line in the manifest', () => {
  it('contributes an event, a clock, a task and a section of the case', async () => {
    const { detail } = await world.services.cases.recordReport(await world.as('investigator'), validReport())
    const started = await world.services.cases.applyEvent(await world.as('investigator'), detail.id, {
      type: 'start_investigation',
      data: {},
      expectedVersion: detail.version,
    })
    const page = await app.inject({ url: `/cases/${detail.id}`, headers: { cookie } })
    expect(page.statusCode).toBe(200)
    // Its section is a tab and a link on the overview, which counts its event among what the caller can record there.
    expect(page.body).toMatch(
      new RegExp(`class="moj-sub-navigation__link"[^>]*href="/cases/${detail.id}/probe">\\s*Probe\\s*<`),
    )
    expect(page.body).toContain(
      'data-qa="probe-link">Probe</a>: notes from the module added in a test (1 thing you can record).',
    )
    const form = await app.inject({ url: `/cases/${detail.id}/events/record_probe_note`, headers: { cookie } })
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Record a probe note')

    const applied = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${detail.id}/events`,
      headers: { cookie },
      payload: {
        type: 'record_probe_note',
        data: { text: 'Checked with the module' },
        expectedVersion: started.detail.version,
      },
    })
    expect(applied.statusCode).toBe(201)
    // Its part of the case view, from its own read of the case.
    expect(applied.json().probeNotes).toEqual(['Checked with the module'])
    const read = await app.inject({ url: `/api/v1/cases/${detail.id}`, headers: { cookie } })
    expect(read.json().probeNotes).toEqual(['Checked with the module'])
    expect(read.json().waitingFor).toContainEqual(expect.objectContaining({ kind: 'probe_follow_up' }))

    // Its clock, derived from the timeline like every other.
    const deadlines = await app.inject({ url: `/api/v1/cases/${detail.id}/deadlines`, headers: { cookie } })
    const clock = deadlines.json().clocks.find((k: { ruleId: string }) => k.ruleId === 'probe_follow_up')
    expect(clock).toMatchObject({ name: 'Probe follow-up', status: 'running', key: null })
    expect(read.json().waitingFor.find((t: { kind: string }) => t.kind === 'probe_follow_up').dueOn).toBe(clock.due)
  })
})
