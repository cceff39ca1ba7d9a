import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '../../src/services/context'
import {
  applySteps,
  createWorld,
  PHONE_REQUEST_TO_NOTICE,
  phoneRequest,
  REQUEST_AGREED,
  REQUEST_NOTICE,
  tasksOn,
  type TestWorld,
  validReport,
} from '../helpers/database'
import { victimCareOf } from '../../src/modules/victim-care/service'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const complainantOf = (detail: { people: { id: string; role: string }[] }) =>
  detail.people.find((p) => p.role === 'complainant')!.id

async function newCase(report: Record<string, unknown> = {}) {
  const inv = await world.as('investigator')
  const { detail } = await world.services.cases.recordReport(inv, validReport(report))
  return applySteps(world, detail.id, detail.version, [['investigator', 'start_investigation', {}]])
}

async function requestRow(caseId: string, number = 1) {
  const { rows } = await sql<{
    state: string
    scope_stage: number
    held: boolean
    agreed_on: string | null
    holder_status: string | null
    fair_trial_conclusion: string | null
  }>`SELECT state, scope_stage, held, agreed_on, holder_status, fair_trial_conclusion FROM material_requests WHERE case_id = ${caseId} AND number = ${number}`.execute(
    world.database.db,
  )
  return rows[0]
}
async function countRows(caseId: string) {
  const { rows } = await sql<{
    n: number
  }>`SELECT count(*)::int AS n FROM material_requests WHERE case_id = ${caseId}`.execute(world.database.db)
  return rows[0]!.n
}

describe('a targeted phone request, agreed and returned', () => {
  it('goes from proposal to the device back with its owner, with the clock, tasks, history and what she is told', async () => {
    let detail = await newCase()
    const me = complainantOf(detail)
    detail = await applySteps(world, detail.id, detail.version, [
      ['investigator', 'propose_material_request', phoneRequest(me)],
    ])
    expect(detail.materialRequests).toEqual([
      expect.objectContaining({ number: 1, kind: 'device', state: 'awaiting_approval', scopeStage: 1 }),
    ])
    // Not asked yet: nothing is shown to her (or an ISVA) about it.
    expect(detail.victimRequests).toEqual([])
    const sup = await world.as('police_supervisor')
    expect((await tasksOn(world, sup, detail.id)).map((t) => t.kind)).toContain('material_request_decision')

    detail = await applySteps(world, detail.id, detail.version, [
      ['police_supervisor', 'decide_material_request', { requestNumber: 1, decision: 'approve', reasons: 'Targeted' }],
      ['investigator', 'give_material_notice', REQUEST_NOTICE],
    ])
    expect((await tasksOn(world, sup, detail.id)).map((t) => t.kind)).not.toContain('material_request_decision')
    expect(detail.victimRequests).toEqual([
      {
        number: 1,
        personId: me,
        what: 'Your mobile phone',
        status: 'The police asked if you agree. You do not have to agree.',
      },
    ])
    detail = await applySteps(world, detail.id, detail.version, [
      ['investigator', 'record_material_answer', REQUEST_AGREED],
      [
        'investigator',
        'record_device_taken',
        { requestNumber: 1, takenOn: '2026-02-02', device: 'Black smartphone', voluntary: true },
      ],
    ])
    const inv = await world.as('investigator')
    expect((await tasksOn(world, inv, detail.id)).map((t) => [t.kind, t.dueOn])).toContainEqual([
      'return_device',
      '2026-02-03',
    ])
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'record_extraction',
        {
          requestNumber: 1,
          extractedOn: '2026-02-02',
          method: 'selective',
          scopeApplied: 'narrower',
          scopeNote: 'Only the two days before and after',
          outsideScope: 'deleted',
          outsideScopeNote: 'Other conversations picked up by the kiosk were deleted the same day',
        },
      ],
      [
        'investigator',
        'record_device_returned',
        { requestNumber: 1, returnedOn: '2026-02-04', returnedTo: 'the_person' },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ state: 'agreed', held: false, agreed_on: '2026-02-01' })
    expect((await tasksOn(world, inv, detail.id)).map((t) => t.kind)).not.toContain('return_device')

    const record = await world.services.cases.digitalRecord(inv, detail.id)
    const request = record.requests[0]!
    expect(request.daysWithoutDevice).toBe(2)
    expect(request.spells).toEqual([
      expect.objectContaining({
        device: 'Black smartphone',
        taken_on: '2026-02-02',
        extracted_on: '2026-02-02',
        method: 'selective',
        scope_applied: 'narrower',
        outside_scope: 'deleted',
        returned_on: '2026-02-04',
      }),
    ])
    expect(request.scopes).toEqual([
      expect.objectContaining({ stage: 1, decision: 'approve', notice_on: '2026-02-01', answer: 'agreed' }),
    ])
    // Days without the device: 1 calendar day by default, met late on the 4th.
    expect(request.clocks.find((k) => k.ruleId === 'device_return')).toMatchObject({
      due: '2026-02-03',
      status: 'met',
      late: true,
    })
    expect(request.history.map((h) => h.type)).toEqual([
      'propose_material_request',
      'decide_material_request',
      'give_material_notice',
      'record_material_answer',
      'record_device_taken',
      'record_extraction',
      'record_device_returned',
    ])
    expect(record.case.victimRequests[0]).toMatchObject({ status: 'The police gave it back.' })

    // Her walkthrough tells her in plain words, from the same record.
    const walk = await victimCareOf(world.services).walkthrough(inv, detail.id, me)
    const said = walk.happened.map((h) => h.text)
    expect(said).toContain('The police took your device, to copy only the information they need.')
    expect(said).toContain('The police gave your device back.')
    expect(said.join(' ')).not.toMatch(/sorry|party|suspect messaged/)

    // The page read is audited, with why.
    const { rows } = await sql<{ action: string; purpose: string }>`
      SELECT action, justification AS purpose FROM audit_log WHERE ${detail.id} = ANY(record_ids) AND action = 'view_digital_evidence'`.execute(
      world.database.db,
    )
    // One read of the page here, as the test's user, whose purpose is 'test'.
    expect(rows).toEqual([{ action: 'view_digital_evidence', purpose: 'test' }])
    for (const row of rows)
      expect(row).toEqual({ action: 'view_digital_evidence', purpose: expect.stringMatching(/\S/) })
  })
})

describe('a refused request', () => {
  it('asks the prosecutor to consider a fair trial and never blocks the rest of the case', async () => {
    let detail = await newCase()
    const me = complainantOf(detail)
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    detail = await applySteps(world, detail.id, detail.version, [
      ...PHONE_REQUEST_TO_NOTICE(me),
      [
        'investigator',
        'record_material_answer',
        { requestNumber: 1, answer: 'refused', answeredOn: '2026-02-01', answeredBy: 'the_person' },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ state: 'refused', agreed_on: null })
    const pros = await world.as('prosecutor')
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).toContain('fair_trial_consideration')
    // A refused device cannot be taken, and the investigation carries on.
    await expect(
      world.services.cases.applyEvent(await world.as('investigator'), detail.id, {
        type: 'record_device_taken',
        data: { requestNumber: 1, takenOn: '2026-02-02', device: 'Phone', voluntary: true },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422 })
    detail = await applySteps(world, detail.id, detail.version, [
      ['investigator', 'record_arrest', { suspectId: suspect, arrestedOn: '2026-02-03' }],
      [
        'prosecutor',
        'record_fair_trial_consideration',
        { requestNumber: 1, conclusion: 'defence_told', reasons: 'The messages are on his account too' },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ fair_trial_conclusion: 'defence_told' })
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).not.toContain('fair_trial_consideration')
    expect(detail.victimRequests[0]!.status).toMatch(/^You did not agree\. The case carries on/)
    expect(detail.availableEvents.map((e) => e.type)).not.toContain('record_fair_trial_consideration')
  })
})

describe('a wider scope needs a new decision and a new agreement', () => {
  it('records the second stage, goes back to the supervisor and is agreed afresh', async () => {
    let detail = await newCase()
    const me = complainantOf(detail)
    detail = await applySteps(world, detail.id, detail.version, [
      ...PHONE_REQUEST_TO_NOTICE(me),
      ['investigator', 'record_material_answer', REQUEST_AGREED],
      [
        'investigator',
        'rescope_material_request',
        {
          requestNumber: 1,
          whyNewScope: 'The messages refer to photos he sent the same night',
          necessity: 'Only photos exchanged with him that night',
          dateFrom: '2026-01-08',
          dateTo: '2026-01-08',
          categories: ['messages', 'photos'],
        },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ state: 'awaiting_approval', scope_stage: 2, agreed_on: null })
    // The earlier agreement does not cover the wider scope: nothing can be taken until it is agreed again.
    expect(detail.availableEvents.map((e) => e.type)).not.toContain('record_device_taken')
    detail = await applySteps(world, detail.id, detail.version, [
      ['police_supervisor', 'decide_material_request', { requestNumber: 1, decision: 'approve', reasons: 'Found' }],
      ['investigator', 'give_material_notice', { ...REQUEST_NOTICE, givenOn: '2026-02-05' }],
      ['investigator', 'record_material_answer', { ...REQUEST_AGREED, answeredOn: '2026-02-05' }],
    ])
    const record = await world.services.cases.digitalRecord(await world.as('investigator'), detail.id)
    expect(record.requests[0]!.scopes.map((x) => [x.stage, x.categories, x.decision, x.answer])).toEqual([
      [1, ['messages'], 'approve', 'agreed'],
      [2, ['messages', 'photos'], 'approve', 'agreed'],
    ])
    // Each scope has its own approval clock, keyed by the request.
    expect(
      record.requests[0]!.clocks.filter((k) => k.ruleId === 'material_request_approval').map((k) => k.status),
    ).toEqual(['met', 'met'])
  })
})

describe('a device held while a new scope waits for a decision', () => {
  it('can still be given back', async () => {
    let detail = await newCase()
    detail = await applySteps(world, detail.id, detail.version, [
      ...PHONE_REQUEST_TO_NOTICE(complainantOf(detail)),
      ['investigator', 'record_material_answer', REQUEST_AGREED],
      [
        'investigator',
        'record_device_taken',
        { requestNumber: 1, takenOn: '2026-02-02', device: 'Phone', voluntary: true },
      ],
      [
        'investigator',
        'rescope_material_request',
        {
          requestNumber: 1,
          whyNewScope: 'Photos are mentioned',
          necessity: 'One night only',
          dateFrom: '2026-01-08',
          dateTo: '2026-01-08',
          categories: ['photos'],
        },
      ],
    ])
    expect(detail.availableEvents.map((e) => e.type)).toContain('record_device_returned')
    expect(detail.availableEvents.map((e) => e.type)).not.toContain('record_extraction')
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'record_device_returned',
        { requestNumber: 1, returnedOn: '2026-02-03', returnedTo: 'the_person' },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ state: 'awaiting_approval', held: false })
  })
})

describe('agreement withdrawn while the police hold the device', () => {
  it('asks the prosecutor to consider a fair trial, stops extraction, and the device is still returned', async () => {
    let detail = await newCase()
    const me = complainantOf(detail)
    detail = await applySteps(world, detail.id, detail.version, [
      ...PHONE_REQUEST_TO_NOTICE(me),
      ['investigator', 'record_material_answer', REQUEST_AGREED],
      [
        'investigator',
        'record_device_taken',
        { requestNumber: 1, takenOn: '2026-02-02', device: 'Phone', voluntary: true },
      ],
    ])
    await expect(
      world.services.cases.applyEvent(await world.as('investigator'), detail.id, {
        type: 'withdraw_material_agreement',
        data: { requestNumber: 1, withdrawnOn: '2026-01-31', answeredBy: 'the_person', materialObtained: 'None' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: 'It cannot be withdrawn before it was given' })
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'withdraw_material_agreement',
        {
          requestNumber: 1,
          withdrawnOn: '2026-02-03',
          answeredBy: 'the_person',
          materialObtained: 'Nothing had been extracted; the phone goes back today',
        },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ state: 'withdrawn', held: true })
    const types = detail.availableEvents.map((e) => e.type)
    expect(types).not.toContain('record_extraction')
    expect(types).toContain('record_device_returned')
    expect((await tasksOn(world, await world.as('prosecutor'), detail.id)).map((t) => t.kind)).toContain(
      'fair_trial_consideration',
    )
    expect(detail.victimRequests[0]!.status).toBe('The police have it. They will give it back as soon as they can.')
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'record_device_returned',
        { requestNumber: 1, returnedOn: '2026-02-03', returnedTo: 'the_person' },
      ],
    ])
    expect(detail.victimRequests[0]!.status).toBe('The police gave it back.')
  })
})

describe('a third-party request with the CPS engaged', () => {
  it('needs the prosecutor’s review before the person is asked, then is sent and answered', async () => {
    let detail = await newCase()
    const me = complainantOf(detail)
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'request_early_advice',
        { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' },
      ],
      [
        'investigator',
        'propose_material_request',
        {
          personId: me,
          material: 'counselling',
          holder: 'The counselling service',
          lineOfEnquiry:
            'She told her counsellor about the night within a week; the account is relevant to consistency',
          alternatives: ['none_available'],
          whyNotEnough: 'Only the service holds the notes',
          necessity: 'Only the notes of the first session after the report',
          dateFrom: '2026-01-10',
          dateTo: '2026-01-17',
        },
      ],
    ])
    const sup = await world.as('police_supervisor')
    await expect(
      world.services.cases.applyEvent(sup, detail.id, {
        type: 'decide_material_request',
        data: { requestNumber: 1, decision: 'approve', reasons: 'Fine' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/prosecutor’s review first/) })
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'police_supervisor',
        'decide_material_request',
        { requestNumber: 1, decision: 'approve_for_review', reasons: 'Fine' },
      ],
    ])
    const pros = await world.as('prosecutor')
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).toContain('material_request_review')
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'prosecutor',
        'review_material_request',
        { requestNumber: 1, view: 'proceed', advice: 'The first session only' },
      ],
      [
        'investigator',
        'give_material_notice',
        { ...REQUEST_NOTICE, told: ['what', 'why', 'handling', 'need_not_agree', 'refusal'] },
      ],
      ['investigator', 'record_material_answer', REQUEST_AGREED],
      ['investigator', 'record_material_request_sent', { requestNumber: 1, sentOn: '2026-02-02' }],
      [
        'investigator',
        'record_holder_response',
        { requestNumber: 1, response: 'part', respondedOn: '2026-02-10', outsideScope: 'none' },
      ],
    ])
    expect((await tasksOn(world, pros, detail.id)).map((t) => t.kind)).not.toContain('material_request_review')
    expect(await requestRow(detail.id)).toMatchObject({ state: 'agreed', holder_status: 'part' })
    expect(detail.victimRequests[0]).toMatchObject({
      what: 'Your counselling or therapy notes',
      status: 'You agreed. The police have the records they asked for.',
    })
  })
})

describe('bad input and the rules', () => {
  let inv: RequestContext
  beforeAll(async () => {
    inv = await world.as('investigator')
  })

  it('names each bad field and writes nothing', async () => {
    const detail = await newCase()
    const attempt = (data: Record<string, unknown>) =>
      world.services.cases.applyEvent(inv, detail.id, {
        type: 'propose_material_request',
        data,
        expectedVersion: detail.version,
      })
    await expect(attempt({})).rejects.toMatchObject({
      status: 400,
      fields: expect.objectContaining({
        'data.personId': expect.any(String),
        'data.lineOfEnquiry': 'Enter the line of enquiry',
        'data.dateFrom': 'Enter the start of the date range',
      }),
    })
    const me = complainantOf(detail)
    await expect(
      attempt({ ...phoneRequest(me), categories: undefined, dateTo: '2025-12-31', lineOfEnquiry: 'x'.repeat(5001) }),
    ).rejects.toMatchObject({
      status: 400,
      fields: {
        'data.categories': 'Select the kinds of data in scope',
        'data.dateTo': 'The end of the date range cannot be before its start',
        'data.lineOfEnquiry': 'The line of enquiry must be 5000 characters or fewer',
      },
    })
    await expect(
      attempt({ ...phoneRequest(me), dateFrom: '2026-02-30', material: 'everything' }),
    ).rejects.toMatchObject({
      status: 400,
      fields: {
        'data.dateFrom': 'The start of the date range must be a real date',
        'data.material': 'Select the material',
      },
    })
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    await expect(attempt(phoneRequest(suspect))).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/^A suspect’s devices are seized/),
    })
    expect(await countRows(detail.id)).toBe(0)
  })

  it('keeps script and SQL as text, replays a double submit and refuses a stale version', async () => {
    const detail = await newCase()
    const nasty = `<script>alert(1)</script>'); DROP TABLE material_requests; --`
    const body = {
      type: 'propose_material_request',
      data: { ...phoneRequest(complainantOf(detail)), searchTerms: nasty },
      expectedVersion: detail.version,
      idempotencyKey: 'digital-double-submit-1',
    }
    const first = await world.services.cases.applyEvent(inv, detail.id, body)
    const again = await world.services.cases.applyEvent(inv, detail.id, body)
    expect(again.seq).toBe(first.seq)
    expect(await countRows(detail.id)).toBe(1)
    const record = await world.services.cases.digitalRecord(inv, detail.id)
    expect(record.requests[0]!.scopes[0]!.search_terms).toBe(nasty)
    await expect(
      world.services.cases.applyEvent(inv, detail.id, { ...body, idempotencyKey: undefined }),
    ).rejects.toMatchObject({ status: 409, code: 'stale_version' })
  })

  it('refuses a supervisor deciding their own scope, a notice without the statutory points and a child answering alone', async () => {
    let detail = await newCase({
      complainants: [{ name: 'Young Complainant', sex: 'female', ageBand: '13_15', dateOfBirth: '2012-05-01' }],
    })
    const me = complainantOf(detail)
    detail = await applySteps(world, detail.id, detail.version, [
      ['police_supervisor', 'propose_material_request', phoneRequest(me)],
    ])
    const sup = await world.as('police_supervisor')
    const apply = (ctx: RequestContext, type: string, data: Record<string, unknown>) =>
      world.services.cases.applyEvent(ctx, detail.id, { type, data, expectedVersion: detail.version })
    await expect(
      apply(sup, 'decide_material_request', { requestNumber: 1, decision: 'approve', reasons: 'Mine' }),
    ).rejects.toMatchObject({ status: 422, message: 'You recorded this scope: another supervisor must decide it' })
    // Another supervisor of the same force decides it.
    await world.services.accounts.addUser(null, {
      email: 'second.supervisor@digital.test',
      name: 'Second Supervisor',
      orgCode: sup.user.orgCode,
      roles: ['police_supervisor'],
      password: 'long-enough-password',
    })
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'second.supervisor@digital.test',
        'decide_material_request',
        { requestNumber: 1, decision: 'approve', reasons: 'Targeted' },
      ],
    ])
    await expect(
      apply(inv, 'give_material_notice', { ...REQUEST_NOTICE, told: ['what', 'why', 'time_without'] }),
    ).rejects.toMatchObject({
      status: 400,
      fields: {
        'data.told':
          'The notice must tell them how it will be dealt with: kept, used and shared; that they need not agree; that refusing does not on its own end the investigation',
      },
    })
    await expect(
      apply(inv, 'give_material_notice', {
        ...REQUEST_NOTICE,
        told: ['what', 'why', 'handling', 'need_not_agree', 'refusal'],
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: 'For a device, the notice must tell them how long they may be without it',
    })
    detail = await applySteps(world, detail.id, detail.version, [
      ['investigator', 'give_material_notice', { ...REQUEST_NOTICE, givenTo: 'parent_guardian' }],
    ])
    // She is 13: she cannot answer alone (MATERIAL_AGREEMENT_AGE, 16 by default).
    await expect(apply(inv, 'record_material_answer', REQUEST_AGREED)).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/^They were too young to agree alone/),
    })
    await expect(
      apply(inv, 'record_material_answer', { ...REQUEST_AGREED, answeredBy: 'parent_guardian' }),
    ).rejects.toMatchObject({
      status: 400,
      fields: {
        'data.whySomeoneElse': 'Select why someone else answered for them',
        'data.personViews': 'Enter the person’s own views, or why they could not give them',
      },
    })
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'record_material_answer',
        {
          ...REQUEST_AGREED,
          answeredBy: 'parent_guardian',
          whySomeoneElse: 'child',
          personViews: 'She wants the police to see the messages but not her photos',
        },
      ],
    ])
    expect(await requestRow(detail.id)).toMatchObject({ state: 'agreed' })
  })
})

describe('who sees a request', () => {
  it('an ISVA sees only what the complainant was told; the record is for the case team; out of scope is 404', async () => {
    let detail = await newCase()
    const me = complainantOf(detail)
    const inv = await world.as('investigator')
    const isva = await world.as('isva')
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'investigator',
        'refer_to_support',
        { complainantId: me, service: 'isva', referredOn: '2026-01-11', consent: true },
      ],
      ['investigator', 'assign_isva', { complainantId: me, isvaId: isva.user.id }],
      ['investigator', 'propose_material_request', phoneRequest(me)],
      ['police_supervisor', 'decide_material_request', { requestNumber: 1, decision: 'approve', reasons: 'Targeted' }],
    ])
    let seen = await world.services.cases.get(isva, detail.id)
    expect(seen.materialRequests).toEqual([])
    expect(seen.victimRequests).toEqual([])
    await applySteps(world, detail.id, detail.version, [['investigator', 'give_material_notice', REQUEST_NOTICE]])
    seen = await world.services.cases.get(isva, detail.id)
    expect(seen.victimRequests).toEqual([expect.objectContaining({ what: 'Your mobile phone' })])
    const json = JSON.stringify(seen)
    for (const secret of ['party, sorry', 'suspect messaged', 'Messages between', '2026-01-07'])
      expect(json).not.toContain(secret)
    const care = await victimCareOf(world.services).overview(isva, detail.id)
    expect(care.complainants[0]!.requestsTold).toEqual([expect.objectContaining({ what: 'Your mobile phone' })])
    await expect(world.services.cases.digitalRecord(isva, detail.id)).rejects.toMatchObject({ status: 403 })
    await expect(
      world.services.cases.digitalRecord(await world.as('investigator', 'thames'), detail.id),
    ).rejects.toMatchObject({ status: 404 })
    expect((await world.services.cases.digitalRecord(inv, detail.id)).requests).toHaveLength(1)
  })
})
