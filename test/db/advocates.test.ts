import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applySteps, chargedCase, createWorld, pastHearing, type TestWorld } from '../helpers/database'
import { advocatesOf } from '../../src/modules/advocates/service'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const NEW_ADVOCATE = {
  name: 'Test Counsel',
  kind: 'external',
  chambers: 'Test Chambers',
  rassoPanel: true,
  admittedOn: '2022-01-10',
  accreditationExpiresOn: '2029-01-10',
}

async function eligibleAdvocate(name = 'Test Counsel') {
  const head = await world.as('cps_unit_head')
  const id = await advocatesOf(world.services).add(head, { ...NEW_ADVOCATE, name })
  await advocatesOf(world.services).addTraining(head, id, {
    course: 'rasso_core',
    completedOn: '2025-02-01',
    expiresOn: '2028-02-01',
  })
  return id
}

async function auditRows(action: string) {
  const { rows } = await sql<{
    operation: string
    record_type: string
    record_ids: string[]
    outcome: string
  }>`SELECT operation, record_type, record_ids, outcome FROM audit_log WHERE action = ${action} ORDER BY id`.execute(
    world.database.db,
  )
  return rows
}

describe('the advocate panel', () => {
  it('a unit head adds an advocate; prosecutors read the panel; everyone else is kept out; all of it audited', async () => {
    const head = await world.as('cps_unit_head')
    const prosecutor = await world.as('prosecutor')
    const id = await advocatesOf(world.services).add(head, NEW_ADVOCATE)
    let advocate = await advocatesOf(world.services).get(prosecutor, id)
    expect(advocate).toMatchObject({ name: 'Test Counsel', eligible: false, probationEndsOn: '2023-01-10' })
    expect(advocate.reasons[0]).toMatch(/^Required training not completed/)
    await advocatesOf(world.services).addTraining(head, id, {
      course: 'rasso_core',
      completedOn: '2025-02-01',
      expiresOn: '2028-02-01',
    })
    advocate = await advocatesOf(world.services).get(prosecutor, id)
    expect(advocate).toMatchObject({ eligible: true, reasons: [], warnings: [] })
    expect((await advocatesOf(world.services).list(prosecutor)).map((a) => a.name)).toContain('Test Counsel')

    await expect(advocatesOf(world.services).add(prosecutor, NEW_ADVOCATE)).rejects.toMatchObject({ status: 403 })
    for (const role of ['investigator', 'isva', 'witness_care', 'analyst']) {
      await expect(advocatesOf(world.services).list(await world.as(role))).rejects.toMatchObject({ status: 403 })
    }
    // Another area's advocate answers 404, as if it did not exist.
    await expect(advocatesOf(world.services).get(await world.as('prosecutor', 'thames'), id)).rejects.toMatchObject({
      status: 404,
    })
    await expect(advocatesOf(world.services).get(prosecutor, 'not-a-uuid')).rejects.toMatchObject({ status: 404 })
    expect((await auditRows('add_advocate')).at(-1)).toMatchObject({ operation: 'alteration', record_ids: [id] })
    expect(await auditRows('view_advocate')).toEqual(
      expect.arrayContaining([
        { operation: 'consultation', record_type: 'advocate', record_ids: [id], outcome: 'ok' },
        { operation: 'consultation', record_type: 'advocate', record_ids: [id], outcome: 'not_found_or_out_of_scope' },
      ]),
    )
  })

  it('names every bad field, refuses a stale version, and writes nothing on bad input', async () => {
    const head = await world.as('cps_unit_head')
    const svc = advocatesOf(world.services)
    await expect(
      svc.add(head, {
        name: '<script>alert(1)</script>'.repeat(20),
        kind: 'barrister',
        chambers: "'; DROP TABLE advocates; --",
        rassoPanel: 'yes',
        admittedOn: '2026-02-30',
      }),
    ).rejects.toMatchObject({
      status: 400,
      fields: {
        name: 'The full name must be 200 characters or fewer',
        kind: 'Select whether in-house or external',
        rassoPanel: 'Select whether the advocate is on the RASSO list',
        admittedOn: 'The accreditation date must be a real date',
      },
    })
    const id = await eligibleAdvocate('Stale Counsel')
    const before = await svc.get(head, id)
    await svc.updateMembership(head, id, {
      rassoPanel: true,
      admittedOn: '2022-01-10',
      accreditationExpiresOn: '2030-01-10',
      active: true,
      version: before.version,
    })
    await expect(
      svc.updateMembership(head, id, { rassoPanel: false, active: true, version: before.version }),
    ).rejects.toMatchObject({ status: 409, code: 'stale_version' })
    expect(await svc.get(head, id)).toMatchObject({ rassoPanel: true, accreditationExpiresOn: '2030-01-10' })
    await expect(
      svc.addUnavailability(head, id, { fromOn: '2027-02-01', toOn: '2027-01-01', reason: 'Trial' }),
    ).rejects.toMatchObject({ status: 400, fields: { toOn: 'The last day must be on or after the first day' } })
    await expect(svc.addConflict(head, id, { urn: 'NOPE', reason: 'Acted for the defendant' })).rejects.toMatchObject({
      status: 400,
      fields: { urn: 'Enter the URN of a case in your CPS area' },
    })
    expect((await svc.get(head, id)).unavailable).toEqual([])
  })

  it('instructs only an eligible advocate, replaces with a reason, records a returned brief and continuity', async () => {
    const hart = await eligibleAdvocate('Continuity Counsel')
    const other = await eligibleAdvocate('Second Counsel')
    const conflicted = await eligibleAdvocate('Conflicted Counsel')
    const lapsed = await advocatesOf(world.services).add(await world.as('cps_unit_head'), NEW_ADVOCATE)
    let detail = await chargedCase(world)
    const prosecutor = await world.as('prosecutor')
    await advocatesOf(world.services).addConflict(await world.as('cps_unit_head'), conflicted, {
      urn: detail.urn,
      reason: 'Prosecuted the complainant’s former partner in a related case',
    })
    // The form offers only the eligible, never the conflicted or untrained.
    const choices = await advocatesOf(world.services).choicesFor(
      prosecutor,
      { id: detail.id, areaCode: detail.areaCode, hearingDates: [], instructed: [] },
      false,
    )
    expect(choices.map((c) => c.id)).toEqual(expect.arrayContaining([hart, other]))
    expect(choices.map((c) => c.id)).not.toContain(conflicted)
    expect(choices.map((c) => c.id)).not.toContain(lapsed)
    expect((await auditRows('choose_advocate')).at(-1)).toMatchObject({
      operation: 'consultation',
      record_type: 'advocate',
      record_ids: choices.map((c) => c.id),
    })
    const apply = (type: string, data: Record<string, unknown>) =>
      world.services.cases.applyEvent(prosecutor, detail.id, { type, data, expectedVersion: detail.version })
    await expect(apply('instruct_advocate', { advocateId: conflicted })).rejects.toMatchObject({
      status: 422,
      message: 'This advocate cannot be instructed: Has declared a conflict of interest with this case',
    })
    await expect(
      apply('instruct_advocate', { advocateId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ status: 400, fields: { 'data.advocateId': 'Select an advocate on your area’s panel' } })
    detail = await applySteps(world, detail.id, detail.version, [
      ['prosecutor', 'instruct_advocate', { advocateId: hart }],
      ...pastHearing(1, 'ptph', '2026-06-01'),
      ['prosecutor', 'record_returned_brief', { reason: 'illness', details: 'Unwell', returnedOn: '2026-07-01' }],
      ['prosecutor', 'instruct_advocate', { advocateId: other }],
      ['prosecutor', 'instruct_advocate', { advocateId: hart, replacementReason: 'Back at work; continuity' }],
      ...pastHearing(2, 'trial', '2026-10-05'),
    ])
    expect(detail.advocates.map((a) => [a.name, a.endReason, a.current])).toEqual([
      ['Continuity Counsel', 'returned', false],
      ['Second Counsel', 'replaced', false],
      ['Continuity Counsel', null, true],
    ])
    expect(detail.continuity).toEqual({ ptph: hart, trial: hart, continuous: true })
    // The counsel report after the trial appears on the advocate's record.
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'prosecutor',
        'record_counsel_report',
        {
          advocateId: hart,
          hearingNumber: 2,
          preparation: 'met',
          complainantCare: 'exceeded',
          section41: 'none',
          advocacy: 'met',
          comments: 'Good ground rules hearing',
        },
      ],
    ])
    const record = await advocatesOf(world.services).get(prosecutor, hart)
    expect(record.reports).toEqual([
      expect.objectContaining({ urn: detail.urn, data: expect.objectContaining({ preparation: 'met' }) }),
    ])
    expect(record.instructions.map((i) => i.endReason)).toEqual(expect.arrayContaining(['returned', null]))
    // The timeline names the advocate.
    const timeline = await world.services.cases.timeline(prosecutor, detail.id)
    expect(timeline.personNames[hart]).toBe('Continuity Counsel')
  })
})
