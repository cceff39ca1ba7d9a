import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '../../src/services/context'
import type { CaseDetail } from '../../src/services/case'
import { AppError } from '../../src/services/errors'
import { createWorld, type TestWorld, validReport } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const REFERRAL = { category: 'green', linesCompleted: 'l', linesNotPursued: 'n', victimEngagement: 'v' }

const publicInterest = {
  publicInterestSeriousness: 'Very serious',
  publicInterestCulpability: 'High',
  publicInterestHarm: 'Significant',
  publicInterestAge: 'Adult',
  publicInterestCommunity: 'Some',
  publicInterestProportionate: 'Yes',
  publicInterestSources: 'No',
}

async function flow(start: CaseDetail) {
  let c = start
  return {
    get current() {
      return c
    },
    async apply(ctx: RequestContext, type: string, data: Record<string, unknown> = {}) {
      c = (await world.services.cases.applyEvent(ctx, c.id, { type, data, expectedVersion: c.version })).detail
      return c
    },
  }
}

/** A reported case with two identified suspects. */
async function twoSuspects(inv: RequestContext) {
  const report = validReport({ suspects: [{ name: 'First Suspect' }, { name: 'Second Suspect' }] })
  const f = await flow((await world.services.cases.recordReport(inv, report)).detail)
  const [first, second] = f.current.people.filter((p) => p.role === 'suspect').map((p) => p.id) as [string, string]
  return { f, first, second }
}

describe('the pre-charge loop', () => {
  it('early advice, a referral signed off by a supervisor, and a Full Code Test charge', async () => {
    const inv = await world.as('investigator')
    const sup = await world.as('police_supervisor')
    const pros = await world.as('prosecutor')
    const f = await flow((await world.services.cases.recordReport(inv, validReport())).detail)
    const suspect = f.current.people.find((p) => p.role === 'suspect')!.id
    await f.apply(inv, 'start_investigation')
    await f.apply(inv, 'request_early_advice', { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' })
    expect(f.current.availableEvents.map((e) => e.type)).not.toContain('request_early_advice')
    expect((await world.services.cases.get(pros, f.current.id)).availableEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['give_early_advice', 'decline_early_advice']),
    )
    await f.apply(pros, 'give_early_advice', { advice: 'Get the phone records' })
    await f.apply(inv, 'prepare_charging_referral', REFERRAL)
    await expect(
      world.services.cases.applyEvent(inv, f.current.id, {
        type: 'sign_off_charging_referral',
        data: {},
        expectedVersion: f.current.version,
      }),
    ).rejects.toMatchObject({ status: 403 })
    await f.apply(sup, 'sign_off_charging_referral')
    expect(f.current.stage).toBe('awaiting_charging_decision')
    await f.apply(pros, 'record_charging_decision', {
      suspectId: suspect,
      test: 'full_code',
      evidentialStage: 'met',
      evidentialReasoning: 'r',
      ...publicInterest,
      publicInterest: 'prosecution_required',
      outcome: 'charge',
      charges: 'Rape',
    })
    expect(f.current.stage).toBe('charged')
    const decisions = await world.database.db
      .selectFrom('charging_decisions')
      .selectAll()
      .where('case_id', '=', f.current.id)
      .execute()
    expect(decisions).toEqual([expect.objectContaining({ suspect_id: suspect, test: 'full_code', outcome: 'charge' })])
    const clocks = (await world.services.cases.deadlines(inv, f.current.id)).clocks.filter(
      (c) => !c.ruleId.startsWith('vc_'),
    )
    expect(clocks.map((c) => [c.ruleId, c.status])).toEqual([
      ['early_advice_response', 'met'],
      ['referral_sign_off', 'met'],
      ['charging_decision_time', 'met'],
    ])
  })

  it('a supervisor who prepared a referral cannot sign it off; a returned referral can be prepared again', async () => {
    const inv = await world.as('investigator')
    const sup = await world.as('police_supervisor')
    const f = await flow((await world.services.cases.recordReport(inv, validReport())).detail)
    await f.apply(inv, 'start_investigation')
    await f.apply(sup, 'prepare_charging_referral', { ...REFERRAL, category: 'red' })
    const refused = await world.services.cases
      .applyEvent(sup, f.current.id, {
        type: 'sign_off_charging_referral',
        data: {},
        expectedVersion: f.current.version,
      })
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ status: 422, message: expect.stringMatching(/other than the person who prepared/) })
    await f.apply(await world.as('police-supervisor-2.avon@casebridge.example'), 'return_charging_referral', {
      reason: 'Add forensics',
    })
    expect((await world.services.cases.get(inv, f.current.id)).availableEvents.map((e) => e.type)).toContain(
      'prepare_charging_referral',
    )
  })

  it('a Threshold Test charge, then the Full Code Test by the review date; no further action finalises', async () => {
    const inv = await world.as('investigator')
    const sup2 = await world.as('police-supervisor-2.avon@casebridge.example')
    const pros = await world.as('prosecutor')
    const { f, first, second } = await twoSuspects(inv)
    await f.apply(inv, 'start_investigation')
    await f.apply(inv, 'prepare_charging_referral', { ...REFERRAL, category: 'green_priority' })
    await f.apply(sup2, 'sign_off_charging_referral')
    await f.apply(pros, 'record_charging_decision', {
      suspectId: second,
      test: 'full_code',
      evidentialStage: 'not_met',
      evidentialReasoning: 'No corroboration',
      outcome: 'nfa_evidential',
    })
    expect(f.current.stage).toBe('awaiting_charging_decision')
    const tt = {
      thresholdReasonableSuspicion: 'yes',
      thresholdFurtherEvidence: 'yes',
      thresholdSeriousness: 'yes',
      thresholdBail: 'yes',
      thresholdPublicInterest: 'yes',
    }
    await f.apply(pros, 'record_charging_decision', {
      suspectId: first,
      test: 'threshold',
      ...tt,
      fullCodeReviewBy: '2099-06-01',
      outcome: 'charge',
      charges: 'Rape',
    })
    expect(f.current.stage).toBe('charged')
    let clocks = (await world.services.cases.deadlines(inv, f.current.id)).clocks
    expect(clocks.find((c) => c.ruleId === 'threshold_full_code_review')).toMatchObject({
      key: first,
      due: '2099-06-01',
      status: 'running',
    })
    await expect(
      world.services.cases.applyEvent(pros, f.current.id, {
        type: 'record_charging_decision',
        data: {
          suspectId: second,
          test: 'full_code',
          evidentialStage: 'not_met',
          evidentialReasoning: 'r',
          outcome: 'nfa_evidential',
        },
        expectedVersion: f.current.version,
      }),
    ).rejects.toMatchObject({ status: 422 })
    await f.apply(pros, 'record_charging_decision', {
      suspectId: first,
      test: 'full_code',
      evidentialStage: 'met',
      evidentialReasoning: 'r',
      ...publicInterest,
      publicInterest: 'prosecution_required',
      outcome: 'charge',
      charges: 'Rape',
    })
    clocks = (await world.services.cases.deadlines(inv, f.current.id)).clocks
    expect(clocks.find((c) => c.ruleId === 'threshold_full_code_review')!.status).toBe('met')

    // No further action on the only suspect finalises the case.
    const g = await flow((await world.services.cases.recordReport(inv, validReport())).detail)
    await g.apply(inv, 'start_investigation')
    await g.apply(inv, 'prepare_charging_referral', REFERRAL)
    await g.apply(sup2, 'sign_off_charging_referral')
    await g.apply(pros, 'record_charging_decision', {
      suspectId: g.current.people.find((p) => p.role === 'suspect')!.id,
      test: 'full_code',
      evidentialStage: 'met',
      evidentialReasoning: 'r',
      ...publicInterest,
      publicInterest: 'prosecution_not_required',
      outcome: 'nfa_public_interest',
    })
    expect(g.current).toMatchObject({ stage: 'finalised', finalOutcome: 'cps_no_further_action' })
  })
})

describe('action plans', () => {
  it('a prosecutor sets a plan, the police answer each item, and the referral is resubmitted', async () => {
    const inv = await world.as('investigator')
    const sup2 = await world.as('police-supervisor-2.avon@casebridge.example')
    const pros = await world.as('prosecutor')
    const f = await flow((await world.services.cases.recordReport(inv, validReport())).detail)
    await f.apply(inv, 'start_investigation')
    await f.apply(inv, 'prepare_charging_referral', REFERRAL)
    await f.apply(sup2, 'sign_off_charging_referral')
    const bad = await world.services.cases
      .applyEvent(pros, f.current.id, {
        type: 'set_action_plan',
        data: {
          items: [
            { description: 'x', owner: 'investigator', proportionality: 'p' },
            { description: '', owner: 'chief', dueWorkingDays: 3, dueOn: '2099-01-01', proportionality: 'p' },
          ],
        },
        expectedVersion: f.current.version,
      })
      .catch((e: unknown) => e)
    expect(Object.keys((bad as AppError).fields).sort()).toEqual([
      'data.items.0.dueWorkingDays',
      'data.items.1.description',
      'data.items.1.dueWorkingDays',
      'data.items.1.owner',
    ])
    await f.apply(pros, 'set_action_plan', {
      items: [
        {
          description: 'Obtain the CCTV from the venue',
          owner: 'investigator',
          dueWorkingDays: 10,
          proportionality: 'Identification is disputed',
        },
        {
          description: 'Statement from the taxi driver',
          owner: 'investigator',
          dueOn: '2099-01-01',
          proportionality: 'Only independent witness',
        },
      ],
    })
    expect(f.current.stage).toBe('action_plan')
    expect(f.current.actionPlan.map((i) => [i.number, i.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
    ])
    expect(f.current.availableEvents.map((e) => e.type)).not.toContain('prepare_charging_referral')
    await expect(
      world.services.cases.applyEvent(inv, f.current.id, {
        type: 'answer_action_item',
        data: { itemNumber: 7, answer: 'done', details: 'x' },
        expectedVersion: f.current.version,
      }),
    ).rejects.toMatchObject({ status: 422 })
    await f.apply(inv, 'answer_action_item', {
      itemNumber: 1,
      answer: 'done',
      details: 'CCTV obtained: shows both leaving together',
    })
    await f.apply(inv, 'answer_action_item', {
      itemNumber: 2,
      answer: 'not_possible',
      details: 'The driver cannot be traced',
    })
    expect(f.current.actionPlan.map((i) => i.status)).toEqual(['done', 'not_possible'])
    const clocks = (await world.services.cases.deadlines(inv, f.current.id)).clocks.filter(
      (c) => c.ruleId === 'action_plan_item',
    )
    expect(clocks.map((c) => [c.key, c.status])).toEqual([
      ['1', 'met'],
      ['2', 'met'],
    ])
    await f.apply(inv, 'prepare_charging_referral', {
      category: 'green',
      linesCompleted: 'l + CCTV',
      linesNotPursued: 'taxi driver',
      victimEngagement: 'v',
    })
    await f.apply(sup2, 'sign_off_charging_referral')
    expect(f.current.stage).toBe('awaiting_charging_decision')
  })
})

describe('referring suspects one at a time', () => {
  it('the CPS decides the referred suspect; the case returns to the investigation of the other, who is referred later', async () => {
    const inv = await world.as('investigator')
    const pros = await world.as('prosecutor')
    const sup = await world.as('police_supervisor')
    const { f, first, second } = await twoSuspects(inv)
    await f.apply(inv, 'start_investigation')
    await f.apply(inv, 'request_early_advice', { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' })
    await f.apply(pros, 'accept_early_advice', { note: 'Advice by Friday' })
    await f.apply(pros, 'give_early_advice', { advice: 'a' })
    await f.apply(inv, 'prepare_charging_referral', { ...REFERRAL, suspectIds: [first] })
    await f.apply(sup, 'sign_off_charging_referral')
    const refused = await world.services.cases
      .applyEvent(pros, f.current.id, {
        type: 'record_charging_decision',
        data: {
          suspectId: second,
          test: 'full_code',
          evidentialStage: 'not_met',
          evidentialReasoning: 'r',
          outcome: 'nfa_evidential',
        },
        expectedVersion: f.current.version,
      })
      .catch((e: unknown) => e)
    expect(refused).toMatchObject({ status: 422, message: expect.stringMatching(/not in the referral/) })
    await f.apply(pros, 'record_charging_decision', {
      suspectId: first,
      test: 'full_code',
      evidentialStage: 'not_met',
      evidentialReasoning: 'r',
      outcome: 'nfa_evidential',
    })
    expect(f.current.stage).toBe('investigation')
    expect((await world.services.cases.get(inv, f.current.id)).availableEvents.map((e) => e.type)).toContain(
      'prepare_charging_referral',
    )
    await f.apply(inv, 'prepare_charging_referral', { ...REFERRAL, suspectIds: [second] })
    await f.apply(sup, 'sign_off_charging_referral')
    await f.apply(pros, 'record_charging_decision', {
      suspectId: second,
      test: 'full_code',
      evidentialStage: 'met',
      evidentialReasoning: 'r',
      ...publicInterest,
      publicInterest: 'prosecution_required',
      outcome: 'charge',
      charges: 'Rape',
    })
    expect(f.current.stage).toBe('charged')
    const row = await world.database.db
      .selectFrom('cases')
      .select(['referral_suspect_ids', 'early_advice_status'])
      .where('id', '=', f.current.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ referral_suspect_ids: [second], early_advice_status: 'given' })
    const timeline = await world.services.cases.timeline(inv, f.current.id)
    expect(timeline.events.map((e) => e.summary)).toContain('Early advice request accepted')
  })
})
