import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/services/errors'
import { createWorld, type TestWorld, validReport } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

describe('the calendar in the database', () => {
  it('ships 2015 to 2027, and an import replaces only the years it covers', async () => {
    const before = await world.services.repos.calendar.load()
    expect([before.firstYear, before.lastYear]).toEqual([2015, 2027])
    await world.services.repos.calendar.import(
      [
        { date: '2028-01-03', title: 'New Year’s Day', notes: 'Substitute day' },
        { date: '2028-04-14', title: 'Good Friday' },
        { date: '2028-12-26', title: 'Boxing Day' },
      ],
      { firstYear: 2028, lastYear: 2028 },
      'test import',
    )
    const after = await world.services.repos.calendar.load()
    expect([after.firstYear, after.lastYear]).toEqual([2015, 2028])
    expect(after.holidaysIn(2026)).toHaveLength(8)
    expect(after.addWorkingDays('2027-12-31', 1).due).toBe('2028-01-04')
  })
})

/** A case's own clocks, leaving out the complainants' Victims' Code clocks. */
async function own(ctx: Parameters<TestWorld['services']['cases']['deadlines']>[0], id: string) {
  const result = await world.services.cases.deadlines(ctx, id)
  return { ...result, clocks: result.clocks.filter((k) => !k.ruleId.startsWith('vc_')) }
}

describe('deadlines of a case', () => {
  it('derives the clocks from the timeline, with explanations, and audits the read', async () => {
    const inv = await world.as('investigator')
    let c = (await world.services.cases.recordReport(inv, validReport())).detail
    const suspect = c.people.find((p) => p.role === 'suspect')!.id
    for (const [type, data] of [
      ['start_investigation', {}],
      ['record_bail', { suspectId: suspect, bailedOn: '2026-01-11', returnOn: '2026-02-11' }],
      ['propose_police_outcome', { outcomeCode: 16, rationale: 'Victim withdrew support' }],
    ] as const) {
      c = (await world.services.cases.applyEvent(inv, c.id, { type, data, expectedVersion: c.version })).detail
    }
    const all = await world.services.cases.deadlines(inv, c.id)
    // The complainant's Victims' Code clocks run alongside, one per complainant, on the enhanced period.
    const complainant = c.people.find((p) => p.role === 'complainant')!.id
    expect(all.clocks.filter((k) => k.ruleId.startsWith('vc_')).map((k) => [k.ruleId, k.key])).toEqual([
      ['vc_support_referral', complainant],
      ['vc_needs_assessment', complainant],
      ['vc_vps_offered', complainant],
      ['vc_suspect_update', complainant],
    ])
    expect(all.clocks.find((k) => k.ruleId === 'vc_suspect_update')).toMatchObject({
      from: '2026-01-11',
      due: '2026-01-12',
    })
    const result = await own(inv, c.id)
    expect(result.clocks.map((k) => k.ruleId)).toEqual(['bail_return', 'police_outcome_sign_off'])
    expect(result.clocks[0]).toMatchObject({ key: suspect, due: '2026-02-11', status: 'overdue' })
    expect(result.clocks[1]).toMatchObject({ status: 'running' })
    expect(result.clocks[1]!.explanation.at(-1)).toMatch(/^Due by the end of/)
    const audit = await world.services.repos.audit.forRecord(c.id)
    expect(audit.some((a) => a.action === 'view_deadlines')).toBe(true)

    // A changed period re-dates every case's clock at once.
    await world.services.calendar.setClockDays(await world.as('admin'), 'police_outcome_sign_off', '0')
    const redated = await own(inv, c.id)
    expect(redated.clocks[1]!.due).toBe(redated.clocks[1]!.from)

    c = (
      await world.services.cases.applyEvent(await world.as('police-supervisor-2.avon@casebridge.example'), c.id, {
        type: 'sign_off_police_outcome',
        data: {},
        expectedVersion: c.version,
      })
    ).detail
    const stopped = await own(inv, c.id)
    expect(stopped.clocks.map((k) => k.status)).toEqual(['cancelled', 'met'])
  })

  it('shows an ISVA no investigation clocks, and another force nothing at all', async () => {
    const isva = await world.as('isva')
    const list = await world.services.cases.list(isva, world.services.cases.parseListQuery({}))
    expect((await world.services.cases.deadlines(isva, list.items[0]!.id)).clocks).toEqual([])
    const c = (await world.services.cases.recordReport(await world.as('investigator'), validReport())).detail
    await expect(world.services.cases.deadlines(await world.as('investigator', 'thames'), c.id)).rejects.toMatchObject({
      status: 404,
    })
  })

  it('names the bad value when an administrator sets a period, and refuses rules that are not configurable', async () => {
    const admin = await world.as('admin')
    for (const bad of ['', 'ten', '-1', '1.5', '100000']) {
      const error = await world.services.calendar
        .setClockDays(admin, 'police_outcome_sign_off', bad)
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect(Object.keys((error as AppError).fields)).toEqual(['days'])
    }
    await expect(world.services.calendar.setClockDays(admin, 'bail_return', '3')).rejects.toMatchObject({ status: 404 })
  })

  it('works out a due date by hand, and refuses one past the known calendar', async () => {
    const { deadline, explanation } = await world.services.calendar.due('2026-12-24', 1, 'working')
    expect(deadline.due).toBe('2026-12-29')
    expect(explanation).toEqual([
      'Start: 2026-12-24 (day 0, the day of the event)',
      '2026-12-25 skipped: Bank holiday: Christmas Day',
      '2026-12-26 skipped: Saturday',
      '2026-12-27 skipped: Sunday',
      '2026-12-28 skipped: Bank holiday: Boxing Day (substitute day)',
      '2026-12-29 working day 1',
      'Due by the end of 2026-12-29 (1 working day after 2026-12-24)',
    ])
    await expect(world.services.calendar.due('2031-01-01', 1, 'working')).rejects.toMatchObject({ status: 422 })
    await expect(world.services.calendar.due('2026-02-30', 1, 'working')).rejects.toMatchObject({ status: 400 })
  })
})
