import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/core/calendar'
import { DEFAULT_LADDER } from '../../src/modules/pre-charge/escalation'
import { caseWithActionPlan, createWorld, tasksOn, type TestWorld } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  // No waiting period, so the test can reach administrative finalisation.
  // The scheduled job does not finalise here, so a unit head can; its own finalisation is tested on its own.
  world = await createWorld({ ADMIN_FINALISATION_MONTHS: '0', SCHEDULED_FINALISATION: 'false' })
})
afterAll(async () => world?.close())

const caseWithPlan = () => caseWithActionPlan(world)

describe('the escalation ladder', () => {
  it('climbs one step at a time as the days pass, each step once, with tasks, notifications and timeline rows', async () => {
    const c = await caseWithPlan()
    const scheduler = world.services.scheduler
    // The demo data's own plans escalate too; count this case's steps.
    const steps = async () =>
      (
        await world.database.db
          .selectFrom('escalations')
          .select('step')
          .where('case_id', '=', c.id)
          .orderBy('step_index')
          .execute()
      ).map((r) => r.step)
    await scheduler.tick('2027-02-26')
    expect(await steps()).toEqual([])
    await scheduler.tick('2027-03-01')
    expect(await steps()).toEqual(['reminder'])
    expect((await scheduler.tick('2027-03-01')).escalations).toBe(0) // nothing new on the same day
    await scheduler.tick('2027-03-08')
    expect(await steps()).toEqual(['reminder', 'police_supervisor'])
    const tasks = await tasksOn(world, await world.as('police_supervisor'), c.id)
    expect(tasks.map((t) => [t.urn, t.role, t.kind])).toContainEqual([
      c.urn,
      'police_supervisor',
      'action_plan_escalation',
    ])
    expect(await tasksOn(world, await world.as('police_supervisor', 'thames'), c.id)).toEqual([])
    // Two processes at once take each remaining step exactly once.
    const [a, b] = await Promise.all([scheduler.tick('2027-04-30'), scheduler.tick('2027-04-30')])
    expect(a.escalations + b.escalations).toBe(2)
    const rows = await world.database.db
      .selectFrom('escalations')
      .select(['step'])
      .where('case_id', '=', c.id)
      .orderBy('step_index')
      .execute()
    expect(rows.map((r) => r.step)).toEqual(DEFAULT_LADDER.map((s) => s.id))
    expect(await tasksOn(world, await world.as('cps_unit_head'), c.id)).toHaveLength(2)
    // The inspector is told at the third and fourth steps.
    expect(await tasksOn(world, await world.as('police_inspector'), c.id)).toHaveLength(2)
    const outbox = await world.database.db.selectFrom('notification_outbox').selectAll().execute()
    // This case's rows (the demo's own plans escalate too): everyone each step tells, in the app and by email.
    const ours = await world.database.db
      .selectFrom('notification_outbox as n')
      .innerJoin('tasks as t', 't.id', 'n.task_id')
      .select(['n.channel', 'n.recipient_role'])
      .where('t.case_id', '=', c.id)
      .execute()
    expect(ours.map((n) => `${n.channel} ${n.recipient_role}`).sort()).toEqual([
      'email cps_unit_head',
      'email cps_unit_head',
      'email investigator',
      'email police_inspector',
      'email police_inspector',
      'email police_supervisor',
      'email police_supervisor',
      'in_app cps_unit_head',
      'in_app cps_unit_head',
      'in_app investigator',
      'in_app police_inspector',
      'in_app police_inspector',
      'in_app police_supervisor',
      'in_app police_supervisor',
    ])
    expect(JSON.stringify(outbox)).not.toContain('Test Complainant')
    const timeline = await world.services.cases.timeline(await world.as('investigator'), c.id)
    expect(timeline.events.filter((e) => e.type === 'escalate_action_item')).toHaveLength(4)
    expect(await world.services.repos.audit.verify()).toMatchObject({ ok: true })
  })

  it('allows administrative finalisation only after the ladder has run out, and the case can be reopened', async () => {
    const c = await caseWithPlan()
    const unitHead = await world.as('cps_unit_head')
    const early = await world.services.cases
      .applyEvent(unitHead, c.id, {
        type: 'administratively_finalise',
        data: { reasons: 'No answer' },
        expectedVersion: c.version,
      })
      .catch((e: unknown) => e)
    expect(early).toMatchObject({ status: 422, message: expect.stringMatching(/ladder has not run out/) })
    await world.services.scheduler.tick('2027-06-01')
    const current = await world.services.cases.get(unitHead, c.id)
    expect(current.availableEvents.map((e) => e.type)).toContain('administratively_finalise')
    const done = (
      await world.services.cases.applyEvent(unitHead, c.id, {
        type: 'administratively_finalise',
        data: { reasons: 'No answer after every step' },
        expectedVersion: current.version,
      })
    ).detail
    expect(done).toMatchObject({ stage: 'finalised', finalOutcome: 'administratively_finalised' })
    const reopened = (
      await world.services.cases.applyEvent(await world.as('prosecutor'), c.id, {
        type: 'reopen',
        data: { toStage: 'awaiting_charging_decision', reason: 'Answers received' },
        expectedVersion: done.version,
      })
    ).detail
    expect(reopened.stage).toBe('awaiting_charging_decision')
  })

  it('closes the item’s tasks when it is answered', async () => {
    const c = await caseWithPlan()
    await world.services.scheduler.tick(addDays('2027-03-01', 10))
    const inv = await world.as('investigator')
    const planTasks = async () => (await tasksOn(world, inv, c.id)).filter((t) => t.kind !== 'victim_update')
    const before = await planTasks()
    expect(before.map((t) => t.kind).sort()).toEqual(['action_plan_escalation', 'answer_action_plan'])
    const current = await world.services.cases.get(inv, c.id)
    await world.services.cases.applyEvent(inv, c.id, {
      type: 'answer_action_item',
      data: { itemNumber: 1, answer: 'done', details: 'Obtained' },
      expectedVersion: current.version,
    })
    expect(await planTasks()).toEqual([])
  })
})

describe('more time on an item', () => {
  it('is asked for by the police and accepted by the prosecutor, re-dating the item', async () => {
    const c = await caseWithPlan()
    const inv = await world.as('investigator')
    const pros = await world.as('prosecutor')
    let current = await world.services.cases.get(inv, c.id)
    current = (
      await world.services.cases.applyEvent(inv, c.id, {
        type: 'request_more_time',
        data: { itemNumber: 1, proposedDueOn: '2027-04-15', reason: 'Court order needed' },
        expectedVersion: current.version,
      })
    ).detail
    const twice = await world.services.cases
      .applyEvent(inv, c.id, {
        type: 'request_more_time',
        data: { itemNumber: 1, proposedDueOn: '2027-04-20', reason: 'r' },
        expectedVersion: current.version,
      })
      .catch((e: unknown) => e)
    expect(twice).toMatchObject({ status: 422 })
    current = (
      await world.services.cases.applyEvent(pros, c.id, {
        type: 'decide_more_time',
        data: { itemNumber: 1, decision: 'accept' },
        expectedVersion: current.version,
      })
    ).detail
    expect(current.actionPlan[0]).toMatchObject({ dueOn: '2027-04-15', proposedDueOn: null })
    const clock = (await world.services.cases.deadlines(inv, c.id)).clocks.find((k) => k.ruleId === 'action_plan_item')!
    expect(clock.due).toBe('2027-04-15')
  })
})
