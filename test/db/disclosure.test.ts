import { disclosureOf } from '../../src/modules/disclosure/service'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applySteps, chargedCase, createWorld, pastHearing, tasksOn, type TestWorld } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const NON_SENSITIVE = {
  schedule: 'mg6c',
  items: [
    { description: 'Notes of the first account to PC 1234' },
    { description: 'CCTV from the bar, 22:00 to 02:00, reviewed: nothing relevant' },
  ],
}
const SENSITIVE = {
  schedule: 'mg6d',
  items: [{ description: 'Counselling notes, first session', reason: 'Confidential therapy notes of the complainant' }],
}

describe('disclosure schedules, versions and sign-off', () => {
  it('versions a schedule, signs each off, has the prosecutor decide each item and serves what meets the test', async () => {
    let detail = await chargedCase(world)
    detail = await applySteps(world, detail.id, detail.version, [
      ['investigator', 'record_schedule_version', NON_SENSITIVE],
      ['investigator', 'record_schedule_version', SENSITIVE],
    ])
    const sup = await world.as('police_supervisor')
    expect((await tasksOn(world, sup, detail.id)).map((t) => t.kind)).toContain('schedule_sign_off')
    // A second version waits for the first to be signed off; the prosecutor cannot decide unsigned items.
    await expect(
      world.services.cases.applyEvent(await world.as('investigator'), detail.id, {
        type: 'record_schedule_version',
        data: NON_SENSITIVE,
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^Version 1 of this schedule is waiting/) })
    expect(detail.availableEvents.map((e) => e.type)).not.toContain('review_disclosure_items')
    detail = await applySteps(world, detail.id, detail.version, [
      ['police_supervisor', 'sign_off_schedule', { schedule: 'mg6c' }],
      ['police_supervisor', 'sign_off_schedule', { schedule: 'mg6d' }],
      [
        'investigator',
        'record_schedule_version',
        {
          schedule: 'mg6c',
          items: [{ description: 'Phone download report (messages, three days)' }],
          amendments: [
            {
              itemRef: 'C2',
              description: 'CCTV from the bar, 22:00 to 02:00: she is seen leaving at 01:10 alone',
              why: 'The first description left out what it shows',
            },
          ],
        },
      ],
      ['police_supervisor', 'sign_off_schedule', { schedule: 'mg6c' }],
      [
        'prosecutor',
        'review_disclosure_items',
        {
          decisions: [
            { itemRef: 'C1', decision: 'disclose', reason: 'The first account differs on the time' },
            { itemRef: 'C2', decision: 'not_disclosable', reason: 'Consistent with the prosecution case' },
            { itemRef: 'D1', decision: 'withhold_pii', reason: 'Nothing in it meets the test; confidential' },
          ],
        },
      ],
    ])
    const pros = await world.as('prosecutor')
    let record = await disclosureOf(world.services).record(pros, detail.id)
    expect(record.versions.map((v) => [v.schedule, v.version, v.added, v.amended, v.signed_off_on !== null])).toEqual([
      ['mg6c', 1, 2, 0, true],
      ['mg6c', 2, 1, 1, true],
      ['mg6d', 1, 1, 0, true],
    ])
    expect(record.items.map((i) => [i.schedule, i.number, i.added_version, i.amended_version, i.decision])).toEqual([
      ['mg6c', 1, 1, null, 'disclose'],
      ['mg6c', 2, 1, 2, 'not_disclosable'],
      ['mg6c', 3, 2, null, null],
      ['mg6d', 1, 1, null, 'withhold_pii'],
    ])

    // A not guilty plea starts the initial disclosure clock (the first plea only) and the prosecutor's task.
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(1, 'ptph', '2026-10-01'),
      ['prosecutor', 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: 1 }],
      ['prosecutor', 'record_plea', { chargeNumber: 2, plea: 'not_guilty', hearingNumber: 1 }],
    ])
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).toContain('initial_disclosure')
    // Continuing disclosure comes only after initial disclosure.
    await expect(
      world.services.cases.applyEvent(pros, detail.id, {
        type: 'record_disclosure_served',
        data: { stage: 'continuing', servedOn: '2026-10-10' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: 'Serve initial disclosure first' })
    record = await disclosureOf(world.services).record(pros, detail.id)
    expect(record.clocks.filter((k) => k.ruleId === 'disclosure_initial')).toHaveLength(1)
    detail = await applySteps(world, detail.id, detail.version, [
      ['prosecutor', 'record_disclosure_served', { stage: 'initial', servedOn: '2026-10-20' }],
      ['prosecutor', 'record_defence_statement', { receivedOn: '2026-11-10', issues: 'Consent and timing' }],
    ])
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).toEqual(
      expect.arrayContaining(['continuing_disclosure']),
    )
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).not.toContain('initial_disclosure')
    record = await disclosureOf(world.services).record(pros, detail.id)
    expect(record.items.filter((i) => i.served_on).map((i) => i.number)).toEqual([1])
    expect(record.clocks.map((k) => [k.ruleId, k.status, k.due])).toEqual(
      expect.arrayContaining([
        ['defence_statement', 'met', '2026-11-17'],
        ['continuing_disclosure', expect.any(String), '2026-11-24'],
      ]),
    )
    await expect(
      world.services.cases.applyEvent(pros, detail.id, {
        type: 'record_disclosure_served',
        data: { stage: 'initial', servedOn: '2026-11-20' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/already been served/) })
  })
})

describe('bad input and who may see disclosure', () => {
  it('names each bad field, refuses the preparer signing off, and keeps it from the ISVA and other forces', async () => {
    let detail = await chargedCase(world)
    const inv = await world.as('investigator')
    const attempt = (type: string, data: Record<string, unknown>, ctx = inv) =>
      world.services.cases.applyEvent(ctx, detail.id, { type, data, expectedVersion: detail.version })
    await expect(
      attempt('record_schedule_version', { schedule: 'mg6d', items: [{ description: 'Notes' }], amendments: [] }),
    ).rejects.toMatchObject({ status: 400, fields: { 'data.items.0.reason': 'Enter why the item is sensitive' } })
    await expect(
      attempt('record_schedule_version', { schedule: 'mg6c', nil: true, items: [{ description: 'x' }] }),
    ).rejects.toMatchObject({
      status: 400,
      fields: { 'data.nil': 'A schedule endorsed nil has no items: remove them or answer no' },
    })
    await expect(attempt('record_schedule_version', { schedule: 'mg6x', items: 'lots' })).rejects.toMatchObject({
      status: 400,
      fields: { 'data.schedule': 'Select the schedule', 'data.items': 'Add the items' },
    })
    // A supervisor who prepared a version cannot sign it off.
    const sup = await world.as('police_supervisor')
    detail = await applySteps(world, detail.id, detail.version, [
      ['police_supervisor', 'record_schedule_version', { schedule: 'mg6e', nil: true }],
    ])
    await expect(attempt('sign_off_schedule', { schedule: 'mg6e' }, sup)).rejects.toMatchObject({
      status: 422,
      message: 'You prepared this version: another supervisor must sign it off',
    })
    await expect(
      attempt(
        'review_disclosure_items',
        {
          decisions: [{ itemRef: 'C9', decision: 'disclose', reason: 'r' }],
        },
        await world.as('prosecutor'),
      ),
    ).rejects.toMatchObject({ status: 422 })
    await expect(disclosureOf(world.services).record(await world.as('isva'), detail.id)).rejects.toMatchObject({
      status: 404,
    })
    await expect(
      disclosureOf(world.services).record(await world.as('prosecutor', 'thames'), detail.id),
    ).rejects.toMatchObject({ status: 404 })
  })
})
