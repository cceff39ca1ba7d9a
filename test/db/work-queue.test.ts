import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/core/calendar'
import { todayIso } from '../../src/core/fields'
import type { RequestContext } from '../../src/services/context'
import { AppError } from '../../src/services/errors'
import { applySteps, caseWithActionPlan, createWorld, tasksOn, type TestWorld, validReport } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld({ ADMIN_FINALISATION_MONTHS: '0' })
})
afterAll(async () => world?.close())

const ADVICE_REQUEST = { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' }

async function investigation() {
  const { detail } = await world.services.cases.recordReport(await world.as('investigator'), validReport())
  return applySteps(world, detail.id, detail.version, [['investigator', 'start_investigation', {}]])
}

/** The kinds of task a person has on a case, leaving out the Victims' Code task (tested on its own below). */
const kinds = async (ctx: RequestContext, caseId: string, view: 'mine' | 'awaiting' | 'overdue' | 'team' = 'mine') =>
  (await tasksOn(world, ctx, caseId, view)).map((t) => t.kind).filter((k) => k !== 'victim_update')

describe('the work queue follows the case', () => {
  it('early advice declined, challenged by an inspector, overturned by the unit head, then given with a plan', async () => {
    const [inv, pros, head, insp] = await Promise.all([
      world.as('investigator'),
      world.as('prosecutor'),
      world.as('cps_unit_head'),
      world.as('police_inspector'),
    ])
    let c = await investigation()
    c = await applySteps(world, c.id, c.version, [['investigator', 'request_early_advice', ADVICE_REQUEST]])
    const [request] = await tasksOn(world, pros, c.id, 'awaiting')
    // Due by the early advice response clock: 10 working days from today by default.
    const clock = (await world.services.cases.deadlines(pros, c.id)).clocks.find(
      (k) => k.ruleId === 'early_advice_response',
    )!
    expect(request).toMatchObject({
      kind: 'early_advice_request',
      role: 'prosecutor',
      decision: true,
      dueOn: clock.due,
    })
    expect(await kinds(await world.as('prosecutor', 'thames'), c.id)).toEqual([])

    c = await applySteps(world, c.id, c.version, [['prosecutor', 'decline_early_advice', { reason: 'Too early' }]])
    expect(await kinds(pros, c.id)).toEqual([])
    // Only an inspector may challenge; a supervisor is refused.
    const bySupervisor = await world.services.cases
      .applyEvent(await world.as('police_supervisor'), c.id, {
        type: 'challenge_early_advice_decline',
        data: { reason: 'r' },
        expectedVersion: c.version,
      })
      .catch((e: unknown) => e)
    expect(bySupervisor).toMatchObject({ status: 403 })
    expect(c.availableEvents.map((e) => e.type)).not.toContain('challenge_early_advice_decline')
    expect((await world.services.cases.get(insp, c.id)).availableEvents.map((e) => e.type)).toEqual([
      'challenge_early_advice_decline',
    ])
    c = await applySteps(world, c.id, c.version, [
      ['police_inspector', 'challenge_early_advice_decline', { reason: 'Early advice is offered in every rape case' }],
    ])
    expect(await kinds(head, c.id, 'awaiting')).toEqual(['early_advice_challenge'])
    // A new request waits for the challenge.
    const again = await world.services.cases
      .applyEvent(inv, c.id, { type: 'request_early_advice', data: ADVICE_REQUEST, expectedVersion: c.version })
      .catch((e: unknown) => e)
    expect(again).toMatchObject({ status: 422, message: expect.stringMatching(/challenge/) })

    c = await applySteps(world, c.id, c.version, [
      ['cps_unit_head', 'decide_early_advice_challenge', { decision: 'overturn', reason: 'Agreed' }],
    ])
    expect(await kinds(head, c.id)).toEqual([])
    expect(await kinds(pros, c.id, 'awaiting')).toEqual(['early_advice_request'])

    c = await applySteps(world, c.id, c.version, [
      [
        'prosecutor',
        'give_early_advice',
        {
          advice: 'Obtain the CCTV first',
          items: [
            { description: 'Obtain the CCTV', owner: 'investigator', dueOn: '2027-03-01', proportionality: 'p' },
            { description: 'Statement', owner: 'police_supervisor', dueWorkingDays: 5, proportionality: 'p' },
          ],
        },
      ],
    ])
    expect(c.stage).toBe('action_plan')
    expect(c.actionPlan.map((i) => [i.number, i.owner, i.status])).toEqual([
      [1, 'investigator', 'open'],
      [2, 'police_supervisor', 'open'],
    ])
    expect(await kinds(pros, c.id)).toEqual([])
    const answer = (await tasksOn(world, inv, c.id)).find((t) => t.kind === 'answer_action_plan')
    const itemClocks = (await world.services.cases.deadlines(inv, c.id)).clocks.filter(
      (k) => k.ruleId === 'action_plan_item',
    )
    expect(itemClocks.map((k) => k.key)).toEqual(['1', '2'])
    expect(answer).toMatchObject({ kind: 'answer_action_plan', decision: false, dueOn: itemClocks[1]!.due })

    // More time asked for: the prosecutor has a decision waiting, dated by the proposed date.
    c = await applySteps(world, c.id, c.version, [
      ['investigator', 'request_more_time', { itemNumber: 1, proposedDueOn: '2027-04-01', reason: 'Court order' }],
    ])
    expect(await tasksOn(world, pros, c.id, 'awaiting')).toEqual([
      expect.objectContaining({ kind: 'more_time_decision', dueOn: '2027-04-01' }),
    ])
    c = await applySteps(world, c.id, c.version, [
      ['investigator', 'answer_action_item', { itemNumber: 2, answer: 'done', details: 'Taken' }],
    ])
    expect(await kinds(inv, c.id)).toEqual(['answer_action_plan'])
    expect(await kinds(pros, c.id)).toEqual(['more_time_decision'])
    c = await applySteps(world, c.id, c.version, [
      ['investigator', 'answer_action_item', { itemNumber: 1, answer: 'not_possible', details: 'Overwritten' }],
    ])
    // The last answer closes the plan's task and the request for more time on that item.
    expect(await kinds(inv, c.id)).toEqual([])
    expect(await kinds(pros, c.id)).toEqual([])
    const rows = await world.database.db
      .selectFrom('tasks')
      .select(['kind', 'opened_seq', 'closed_seq', 'done_at'])
      .where('case_id', '=', c.id)
      .where('kind', '!=', 'victim_update')
      .orderBy('opened_seq')
      .execute()
    expect(rows.every((r) => r.done_at !== null && r.closed_seq! > r.opened_seq!)).toBe(true)
  })

  it('upheld: the decline stands, no one is waiting, and a new request can be made', async () => {
    const c = await investigation()
    let d = await applySteps(world, c.id, c.version, [
      ['investigator', 'request_early_advice', ADVICE_REQUEST],
      ['prosecutor', 'decline_early_advice', { reason: 'Too early' }],
      ['police_inspector', 'challenge_early_advice_decline', { reason: 'r' }],
      ['cps_unit_head', 'decide_early_advice_challenge', { decision: 'uphold', reason: 'Interview first' }],
    ])
    expect(await kinds(await world.as('prosecutor'), d.id)).toEqual([])
    expect(await kinds(await world.as('cps_unit_head'), d.id)).toEqual([])
    const timeline = await world.services.cases.timeline(await world.as('investigator'), d.id)
    expect(timeline.events[0]!.summary).toBe('Challenge rejected: the decision to decline early advice stands')
    d = await applySteps(world, d.id, d.version, [['investigator', 'request_early_advice', ADVICE_REQUEST]])
    expect(await kinds(await world.as('prosecutor'), d.id)).toEqual(['early_advice_request'])
  })

  it('referral sign-off, charging decision and police outcome sign-off are decisions someone waits for', async () => {
    let c = await investigation()
    const sup = await world.as('police_supervisor')
    const pros = await world.as('prosecutor')
    c = await applySteps(world, c.id, c.version, [
      [
        'investigator',
        'prepare_charging_referral',
        { category: 'red', linesCompleted: 'l', linesNotPursued: 'n', victimEngagement: 'v' },
      ],
    ])
    expect(await kinds(sup, c.id, 'awaiting')).toEqual(['referral_sign_off'])
    c = await applySteps(world, c.id, c.version, [['police_supervisor', 'sign_off_charging_referral', {}]])
    expect(await kinds(sup, c.id)).toEqual([])
    const [decision] = await tasksOn(world, pros, c.id, 'awaiting')
    expect(decision).toMatchObject({ kind: 'charging_decision', dueOn: addDays(todayIso(), 28) })
    c = await applySteps(world, c.id, c.version, [
      [
        'prosecutor',
        'set_action_plan',
        { items: [{ description: 'd', owner: 'investigator', dueWorkingDays: 3, proportionality: 'p' }] },
      ],
    ])
    expect(await kinds(pros, c.id)).toEqual([])
    expect(await kinds(await world.as('investigator'), c.id)).toEqual(['answer_action_plan'])
    c = await applySteps(world, c.id, c.version, [
      ['investigator', 'propose_police_outcome', { outcomeCode: 16, rationale: 'Victim withdraws support' }],
    ])
    expect(await kinds(sup, c.id, 'awaiting')).toEqual(['police_outcome_sign_off'])
    c = await applySteps(world, c.id, c.version, [['police_supervisor', 'sign_off_police_outcome', {}]])
    // Finalising the case closes every open task on it except telling the complainant of the decision, which
    // follows the Victims' Code clock that the sign-off starts.
    expect(c.stage).toBe('finalised')
    const open = await world.database.db
      .selectFrom('tasks')
      .select('kind')
      .where('case_id', '=', c.id)
      .where('done_at', 'is', null)
      .execute()
    expect(open).toEqual([{ kind: 'victim_update' }])
  })
})

describe('views, counts and filters', () => {
  it('shows overdue tasks, counts every view, and gives supervisors a team view with counts', async () => {
    const c = await caseWithActionPlan(world)
    await world.database.db
      .updateTable('tasks')
      .set({ due_on: '2026-01-05' })
      .where('case_id', '=', c.id)
      .where('kind', '=', 'answer_action_plan')
      .execute()
    const inv = await world.as('investigator')
    const overdue = await world.services.workQueue.list(inv, world.services.workQueue.parseQuery({ view: 'overdue' }))
    expect(overdue.tasks.find((t) => t.caseId === c.id)).toMatchObject({ overdue: true, dueOn: '2026-01-05' })
    expect(overdue.tasks.every((t) => t.overdue)).toBe(true)
    expect(overdue.counts.overdue).toBe(overdue.tasks.length)
    // Due today: for example telling a complainant of yesterday's arrest, within 1 working day.
    await world.database.db
      .updateTable('tasks')
      .set({ due_on: todayIso() })
      .where('case_id', '=', c.id)
      .where('kind', '=', 'victim_update')
      .execute()
    const today = await world.services.workQueue.list(inv, world.services.workQueue.parseQuery({ view: 'today' }))
    expect(today.tasks.find((t) => t.caseId === c.id)).toMatchObject({ kind: 'victim_update', overdue: false })
    expect(today.tasks.every((t) => t.dueOn === todayIso())).toBe(true)
    expect(today.counts.today).toBe(today.tasks.length)
    expect(overdue.counts).not.toHaveProperty('team')
    // Sorted by due date, soonest first, undated last.
    const mine = await world.services.workQueue.list(inv, world.services.workQueue.parseQuery({}))
    const dates = mine.tasks.map((t) => t.dueOn ?? '9999-12-31')
    expect(dates).toEqual([...dates].sort())
    expect(mine.counts.mine).toBe(mine.tasks.length)

    await expect(
      world.services.workQueue.list(inv, world.services.workQueue.parseQuery({ view: 'team' })),
    ).rejects.toMatchObject({ status: 403 })
    const sup = await world.as('police_supervisor')
    const team = await world.services.workQueue.list(sup, world.services.workQueue.parseQuery({ view: 'team' }))
    expect(team.tasks.map((t) => t.role)).toContain('investigator')
    expect(team.breakdown).toContainEqual(
      expect.objectContaining({ role: 'investigator', kind: 'answer_action_plan', overdue: expect.any(Number) }),
    )
    expect(team.breakdown.reduce((n, b) => n + b.open, 0)).toBe(team.counts.team)
    // Telling complainants, by the officer in the case, with what is due today and overdue.
    const updates = team.breakdown.find((b) => b.kind === 'victim_update')!
    expect(team.victimUpdatesByOfficer.reduce((n, o) => n + o.open, 0)).toBe(updates.open)
    expect(team.victimUpdatesByOfficer.reduce((n, o) => n + o.overdue, 0)).toBe(updates.overdue)
    expect(team.victimUpdatesByOfficer.reduce((n, o) => n + o.today, 0)).toBe(updates.today)
    const filtered = await world.services.workQueue.list(
      sup,
      world.services.workQueue.parseQuery({
        view: 'team',
        kind: 'answer_action_plan',
        role: 'investigator',
        q: c.urn.toLowerCase(),
      }),
    )
    expect(filtered.tasks.map((t) => t.caseId)).toEqual([c.id])
    // Every read of the queue is on the audit log with the cases it showed.
    const audit = await world.database.db
      .selectFrom('audit_log')
      .select(['action', 'record_ids'])
      .where('action', '=', 'list_tasks')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(audit.record_ids).toEqual([c.id])
  })

  it('names the filter that is wrong', () => {
    const parse = (query: unknown) => {
      try {
        world.services.workQueue.parseQuery(query)
        return null
      } catch (error) {
        return (error as AppError).fields
      }
    }
    expect(parse({ view: 'everything' })).toEqual({ view: 'Select a view from the list' })
    expect(parse({ kind: "'; DROP TABLE tasks; --" })).toEqual({ kind: 'Select a kind of task from the list' })
    expect(parse({ q: 'x'.repeat(61) })).toEqual({ q: 'A URN is at most 60 characters' })
    expect(parse({ view: ['mine', 'team'] })).toEqual({ view: 'Select a view from the list' })
    expect(parse({ view: '', kind: '' })).toBeNull()
  })

  it('keeps a restricted case’s tasks from anyone not on its access list', async () => {
    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport({ restricted: true }))
    const c = await applySteps(world, detail.id, detail.version, [
      ['investigator', 'start_investigation', {}],
      [
        'investigator',
        'prepare_charging_referral',
        { category: 'red', linesCompleted: 'l', linesNotPursued: 'n', victimEngagement: 'v' },
      ],
    ])
    expect(await kinds(await world.as('police_supervisor'), c.id)).toEqual([])
    const team = await world.services.workQueue.list(
      await world.as('police_supervisor'),
      world.services.workQueue.parseQuery({ view: 'team' }),
    )
    expect(team.tasks.map((t) => t.caseId)).not.toContain(c.id)
    await world.database.db
      .insertInto('case_access')
      .values({ case_id: c.id, user_id: (await world.as('police_supervisor')).user.id, kind: 'restricted' })
      .execute()
    expect(await tasksOn(world, await world.as('police_supervisor'), c.id)).toEqual([
      expect.objectContaining({ kind: 'referral_sign_off', restricted: true }),
    ])
  })
})

describe('scheduled administrative finalisation', () => {
  it('finalises once the ladder has run out and the period has passed, once, with reasons, even from two processes', async () => {
    const c = await caseWithActionPlan(world)
    const scheduler = world.services.scheduler
    // Before the last step nothing is finalised.
    await scheduler.tick('2027-03-10')
    expect((await world.services.cases.get(await world.as('prosecutor'), c.id)).stage).toBe('action_plan')
    const [a, b] = await Promise.all([scheduler.tick('2027-06-01'), scheduler.tick('2027-06-01')])
    // Between them they report each case finalised that day exactly once: this one and any demo case due then too.
    const finalisedThatDay = await world.database.db
      .selectFrom('cases')
      .select('id')
      .where('final_outcome', '=', 'administratively_finalised')
      .where('finalised_on', '=', '2027-06-01')
      .execute()
    expect(finalisedThatDay.map((r) => r.id)).toContain(c.id)
    expect(a.finalised + b.finalised).toBe(finalisedThatDay.length)
    const after = await world.services.cases.get(await world.as('prosecutor'), c.id)
    expect(after).toMatchObject({
      stage: 'finalised',
      finalOutcome: 'administratively_finalised',
      finalisedOn: '2027-06-01',
    })
    const timeline = await world.services.cases.timeline(await world.as('prosecutor'), c.id)
    const finalisations = timeline.events.filter((e) => e.type === 'administratively_finalise')
    expect(finalisations).toHaveLength(1)
    expect(finalisations[0]!.data).toMatchObject({
      reasons: expect.stringMatching(/Action plan item 1 was due on 2027-03-01/),
    })
    expect(await kinds(await world.as('investigator'), c.id)).toEqual([])
    expect((await scheduler.tick('2027-06-02')).finalised).toBe(0)
    // Reopened by resubmission.
    const reopened = await applySteps(world, c.id, after.version, [
      ['prosecutor', 'reopen', { toStage: 'awaiting_charging_decision', reason: 'The police answered the plan' }],
    ])
    expect(reopened.stage).toBe('awaiting_charging_decision')
    expect(await kinds(await world.as('prosecutor'), c.id, 'awaiting')).toEqual(['charging_decision'])
    expect(await world.services.repos.audit.verify()).toMatchObject({ ok: true })
  })
})

describe('escalation ladders per force and area', () => {
  it('a shorter ladder for a force is climbed instead of the default, and lets finalisation come sooner', async () => {
    const admin = await world.as('admin')
    await world.services.calendar.setLadder(admin, {
      forceCode: 'avon-and-somerset',
      areaCode: '',
      steps: [
        { id: 'owner_reminder', afterWorkingDays: 0, roles: ['owner'], title: 'Reminder' },
        { id: 'inspector', afterWorkingDays: 3, roles: ['police_inspector', 'cps_unit_head'], title: 'Inspector now' },
      ],
    })
    const c = await caseWithActionPlan(world)
    await world.services.scheduler.tick('2027-03-04')
    const steps = await world.database.db
      .selectFrom('escalations')
      .select('step')
      .where('case_id', '=', c.id)
      .orderBy('step_index')
      .execute()
    expect(steps.map((s) => s.step)).toEqual(['owner_reminder', 'inspector'])
    const tasks = await world.database.db
      .selectFrom('tasks')
      .select(['role', 'done_at'])
      .where('case_id', '=', c.id)
      .where('kind', '=', 'action_plan_escalation')
      .execute()
    expect(tasks.map((t) => t.role).sort()).toEqual(['cps_unit_head', 'investigator', 'police_inspector'])
    // The ladder ran out at its second step, so (with no waiting period here) the scheduled job finalised the case
    // and its tasks closed with it.
    const finalised = await world.services.cases.get(await world.as('cps_unit_head'), c.id)
    expect(finalised.stage).toBe('finalised')
    expect(tasks.every((t) => t.done_at !== null)).toBe(true)
    // The other force keeps the default ladder.
    const settings = await world.services.calendar.ladderSettings()
    expect(settings.map((l) => [l.force_code, l.area_code])).toEqual([['avon-and-somerset', null]])
    await world.services.calendar.removeLadder(admin, settings[0]!.id)
    expect(await world.services.calendar.ladderSettings()).toEqual([])
  })

  it('names every problem with a ladder on its field and changes nothing', async () => {
    const admin = await world.as('admin')
    const problem = await world.services.calendar
      .setLadder(admin, {
        forceCode: 'cps-south-west',
        areaCode: 'nowhere',
        steps: [
          { id: 'a', afterWorkingDays: 5, roles: ['owner'], title: 't' },
          { id: 'b', afterWorkingDays: 2, roles: ['owner'], title: 't' },
        ],
      })
      .catch((e: unknown) => e)
    expect(problem).toBeInstanceOf(AppError)
    expect((problem as AppError).fields).toEqual({
      'steps.1.afterWorkingDays': 'Each step must come more working days after the due date than the step before',
    })
    const orgs = await world.services.calendar
      .setLadder(admin, {
        forceCode: 'cps-south-west',
        areaCode: 'nowhere',
        steps: [{ id: 'a', afterWorkingDays: 5, roles: ['owner'], title: 't' }],
      })
      .catch((e: unknown) => e)
    expect((orgs as AppError).fields).toEqual({
      forceCode: 'Select a police force from the list',
      areaCode: 'Select a CPS area from the list',
    })
    const wrongTypes = await world.services.calendar
      .setLadder(admin, { forceCode: 7, steps: 'all of them' })
      .catch((e: unknown) => e)
    expect((wrongTypes as AppError).fields).toMatchObject({
      forceCode: 'Select from the list',
      steps: 'Enter the steps as a list',
    })
    expect(await world.services.calendar.ladderSettings()).toEqual([])
    await expect(world.services.calendar.removeLadder(admin, 'not-a-uuid')).rejects.toMatchObject({ status: 404 })
  })
})
