import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseGovUkBankHolidays, WorkingDayCalendar } from '../../src/core/calendar'
import { deriveClocks } from '../../src/modules/registry'
import {
  daysWithoutDevice,
  DIGITAL_CLOCK_RULES,
  type MaterialRequestFacts,
  nextRequestState,
  prosecutorEngaged,
  victimViewOf,
} from '../../src/modules/digital/rules'
import { eventDefinition } from '../../src/modules/registry'
import type { Actor } from '../../src/core/event-model'
import { complainantWalkthrough } from '../../src/modules/victim-care/walkthrough'
import { caseFacts, COMPLAINANT, requestFacts, SUSPECT } from '../helpers/facts'

const INVESTIGATOR: Actor = { id: 'inv-1', roles: ['investigator'], orgCode: 'avon-and-somerset' }
const SUPERVISOR: Actor = { id: 'sup-1', roles: ['police_supervisor'], orgCode: 'avon-and-somerset' }
const WITNESS = '44444444-4444-4444-8444-444444444444'
const shipped = parseGovUkBankHolidays(JSON.parse(fs.readFileSync('reference-data/bank-holidays.json', 'utf8')))
const calendar = new WorkingDayCalendar(shipped.holidays, shipped)

const request = requestFacts
const withRequest = (r: Partial<MaterialRequestFacts>, more = {}) =>
  caseFacts({ materialRequests: [request(r)], ...more })
const rule = (type: string) => eventDefinition(type)!
const errorsOf = (type: string, data: Record<string, unknown>) => {
  const parsed = rule(type).schema.safeParse(data)
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]))
}

describe('a request’s state', () => {
  it('moves only by its events', () => {
    expect(nextRequestState('propose_material_request', {})).toBe('awaiting_approval')
    expect(nextRequestState('rescope_material_request', {})).toBe('awaiting_approval')
    expect(nextRequestState('decide_material_request', { decision: 'approve' })).toBe('approved')
    expect(nextRequestState('decide_material_request', { decision: 'approve_for_review' })).toBe('awaiting_review')
    expect(nextRequestState('decide_material_request', { decision: 'not_approve' })).toBe('not_approved')
    expect(nextRequestState('review_material_request', { view: 'narrow' })).toBe('new_scope_needed')
    expect(nextRequestState('review_material_request', { view: 'do_not_pursue' })).toBe('not_pursued')
    expect(nextRequestState('record_material_answer', { answer: 'refused' })).toBe('refused')
    expect(nextRequestState('withdraw_material_agreement', {})).toBe('withdrawn')
    expect(nextRequestState('record_device_taken', {})).toBeNull()
  })

  it('needs the prosecutor when the CPS is engaged: early advice open, or the case with the CPS', () => {
    expect(prosecutorEngaged({ stage: 'investigation', earlyAdvice: null })).toBe(false)
    expect(prosecutorEngaged({ stage: 'investigation', earlyAdvice: 'declined' })).toBe(false)
    expect(prosecutorEngaged({ stage: 'investigation', earlyAdvice: 'requested' })).toBe(true)
    expect(prosecutorEngaged({ stage: 'action_plan', earlyAdvice: 'given' })).toBe(true)
    expect(prosecutorEngaged({ stage: 'charged', earlyAdvice: null })).toBe(true)
  })
})

describe('proposing a request', () => {
  const valid = {
    personId: COMPLAINANT,
    material: 'phone',
    lineOfEnquiry: 'l',
    alternatives: ['screenshots'],
    whyNotEnough: 'w',
    necessity: 'n',
    dateFrom: '2026-01-01',
    dateTo: '2026-01-02',
    categories: ['messages'],
  }
  it('asks a device for its kinds of data, and records for their holder', () => {
    expect(errorsOf('propose_material_request', valid)).toEqual({})
    expect(errorsOf('propose_material_request', { ...valid, categories: undefined })).toEqual({
      categories: 'Select the kinds of data in scope',
    })
    expect(errorsOf('propose_material_request', { ...valid, holder: 'GP' })).toEqual({
      holder: 'Leave this empty for a device: the person holds it',
    })
    expect(errorsOf('propose_material_request', { ...valid, material: 'medical', categories: undefined })).toEqual({
      holder: 'Enter who holds the records',
    })
    expect(errorsOf('propose_material_request', { ...valid, dateTo: '2025-12-31' })).toEqual({
      dateTo: 'The end of the date range cannot be before its start',
    })
    expect(errorsOf('propose_material_request', { ...valid, categories: ['everything'] })).toEqual({
      categories: 'Select the kinds of data from the list',
    })
  })
  it('is for a complainant or a witness, never a suspect', () => {
    const guard = rule('propose_material_request').guard!
    const facts = caseFacts({
      people: [...caseFacts().people, { id: WITNESS, role: 'witness', unknown: false }],
    })
    expect(guard(facts, INVESTIGATOR, { personId: COMPLAINANT })).toBeNull()
    expect(guard(facts, INVESTIGATOR, { personId: WITNESS })).toBeNull()
    expect(guard(facts, INVESTIGATOR, { personId: SUSPECT })).toMatch(/^A suspect’s devices are seized/)
    expect(guard(facts, INVESTIGATOR, { personId: '55555555-5555-4555-8555-555555555555' })).toBe(
      'Select a person on this case',
    )
  })
})

describe('deciding and reviewing', () => {
  const decide = rule('decide_material_request')
  it('is for a supervisor who did not record the scope, and for the prosecutor’s review when the CPS is engaged', () => {
    const facts = withRequest({})
    expect(decide.precondition!(facts, SUPERVISOR)).toBeNull()
    expect(decide.precondition!(withRequest({ state: 'approved' }), SUPERVISOR)).toMatch(/No request/)
    expect(decide.guard!(facts, SUPERVISOR, { requestNumber: 1, decision: 'approve' })).toBeNull()
    expect(decide.guard!(withRequest({ scopeBy: SUPERVISOR.id }), SUPERVISOR, { requestNumber: 1 })).toBe(
      'You recorded this scope: another supervisor must decide it',
    )
    const engaged = withRequest({}, { earlyAdvice: 'accepted' })
    expect(decide.guard!(engaged, SUPERVISOR, { requestNumber: 1, decision: 'approve' })).toMatch(
      /prosecutor’s review first$/,
    )
    expect(decide.guard!(engaged, SUPERVISOR, { requestNumber: 1, decision: 'approve_for_review' })).toBeNull()
    expect(decide.guard!(engaged, SUPERVISOR, { requestNumber: 2, decision: 'not_approve' })).toBe(
      'Select a request on this case',
    )
  })
  it('a new scope is recorded only when no decision is awaited and the person has not said no', () => {
    const rescope = rule('rescope_material_request')
    for (const state of ['not_approved', 'new_scope_needed', 'not_pursued', 'approved', 'agreed'] as const)
      expect(
        rescope.guard!(withRequest({ state }), INVESTIGATOR, { requestNumber: 1, categories: ['photos'] }),
      ).toBeNull()
    for (const state of ['awaiting_approval', 'awaiting_review', 'refused', 'withdrawn'] as const)
      expect(rescope.guard!(withRequest({ state }), INVESTIGATOR, { requestNumber: 1 })).toMatch(
        /not at the right point/,
      )
    expect(rescope.guard!(withRequest({ state: 'agreed' }), INVESTIGATOR, { requestNumber: 1 })).toBe(
      'A request for a device must say which kinds of data are in scope',
    )
  })
})

describe('notice and answer', () => {
  it('names each "who" field in its own words when it is missing', () => {
    const missing = (type: string, data: Record<string, unknown>, field: string) =>
      eventDefinition(type)!
        .schema.safeParse(data)
        .error?.issues.find((i) => i.path[0] === field)?.message
    expect(missing('record_device_returned', { requestNumber: 1, returnedOn: '2026-02-02' }, 'returnedTo')).toBe(
      'Select who it was returned to',
    )
    expect(missing('give_material_notice', { requestNumber: 1, givenOn: '2026-02-01', told: [] }, 'givenTo')).toBe(
      'Select who it was given to',
    )
  })

  it('the notice says every point the law requires, and for a device how long they may be without it', () => {
    const notice = { requestNumber: 1, givenOn: '2026-01-05', givenTo: 'the_person' }
    expect(errorsOf('give_material_notice', { ...notice, told: ['what', 'why'] })).toEqual({
      told: 'The notice must tell them how it will be dealt with: kept, used and shared; that they need not agree; that refusing does not on its own end the investigation',
    })
    const five = ['what', 'why', 'handling', 'need_not_agree', 'refusal']
    const guard = rule('give_material_notice').guard!
    expect(guard(withRequest({ state: 'approved' }), INVESTIGATOR, { ...notice, told: five })).toBe(
      'For a device, the notice must tell them how long they may be without it',
    )
    expect(
      guard(withRequest({ state: 'approved', kind: 'third_party' }), INVESTIGATOR, { ...notice, told: five }),
    ).toBeNull()
    expect(guard(withRequest({ state: 'awaiting_review' }), INVESTIGATOR, { ...notice, told: five })).toMatch(
      /waiting for the prosecutor’s review/,
    )
  })

  it('someone answering for a child or an adult without capacity records why, and the person’s views', () => {
    const base = { requestNumber: 1, answer: 'agreed', answeredOn: '2026-01-06', inWriting: true }
    expect(errorsOf('record_material_answer', { ...base, answeredBy: 'the_person' })).toEqual({})
    expect(errorsOf('record_material_answer', { ...base, answeredBy: 'parent_guardian' })).toEqual({
      whySomeoneElse: 'Select why someone else answered for them',
      personViews: 'Enter the person’s own views, or why they could not give them',
    })
    expect(errorsOf('record_material_answer', { ...base, answeredBy: 'the_person', whySomeoneElse: 'child' })).toEqual({
      whySomeoneElse: 'Leave this empty when the person answered themselves',
    })
    expect(errorsOf('record_material_answer', { ...base, inWriting: undefined, answeredBy: 'the_person' })).toEqual({
      inWriting: 'Select whether the agreement was confirmed in writing',
    })
    expect(errorsOf('record_material_answer', { ...base, answer: 'refused', answeredBy: 'the_person' })).toEqual({
      inWriting: 'Leave this empty when the request was refused',
    })
  })

  it('a child under the age set answers through a parent or guardian (date of birth known)', () => {
    const guard = rule('record_material_answer').guard!
    const facts = withRequest(
      { state: 'notice_given' },
      { people: [{ id: COMPLAINANT, role: 'complainant', unknown: false, agreesAloneFrom: '2027-03-01' }] },
    )
    const answer = { requestNumber: 1, answeredBy: 'the_person', answeredOn: '2027-02-28' }
    expect(guard(facts, INVESTIGATOR, answer)).toMatch(/^They were too young to agree alone/)
    expect(guard(facts, INVESTIGATOR, { ...answer, answeredOn: '2027-03-01' })).toBeNull()
    expect(guard(facts, INVESTIGATOR, { ...answer, answeredBy: 'parent_guardian' })).toBeNull()
  })
})

describe('the device’s journey', () => {
  it('is taken only when agreed and provided voluntarily, extracted while held, returned after it was taken', () => {
    expect(
      errorsOf('record_device_taken', { requestNumber: 1, takenOn: '2026-01-06', device: 'Phone', voluntary: false }),
    ).toEqual({ voluntary: 'A device can be taken for extraction only when its user provides it voluntarily' })
    const take = rule('record_device_taken')
    const agreed = withRequest({ state: 'agreed', agreedOn: '2026-01-06' })
    expect(take.guard!(agreed, INVESTIGATOR, { requestNumber: 1, takenOn: '2026-01-06' })).toBeNull()
    expect(take.guard!(agreed, INVESTIGATOR, { requestNumber: 1, takenOn: '2026-01-05' })).toBe(
      'A device cannot be taken before the person agreed',
    )
    expect(
      take.guard!(withRequest({ state: 'agreed', held: true }), INVESTIGATOR, {
        requestNumber: 1,
        takenOn: '2026-01-06',
      }),
    ).toBe('The police already hold this device')
    expect(take.guard!(withRequest({ state: 'agreed', kind: 'third_party' }), INVESTIGATOR, { requestNumber: 1 })).toBe(
      'That request is not for a device',
    )
    expect(
      errorsOf('record_extraction', {
        requestNumber: 1,
        extractedOn: '2026-01-06',
        method: 'kiosk',
        scopeApplied: 'narrower',
        outsideScope: 'sealed',
      }),
    ).toEqual({
      scopeNote: 'Enter how the scope was narrower',
      outsideScopeNote: 'Enter what was done with it, and why',
    })
    const give = rule('record_device_returned')
    const held = withRequest({ state: 'withdrawn', held: true, takenOn: '2026-01-06' }, { stage: 'finalised' })
    expect(give.precondition!(held, INVESTIGATOR)).toBeNull()
    expect(give.guard!(held, INVESTIGATOR, { requestNumber: 1, returnedOn: '2026-01-05' })).toBe(
      'It cannot be returned before it was taken',
    )
    expect(give.guard!(held, INVESTIGATOR, { requestNumber: 1, returnedOn: '2026-01-07' })).toBeNull()
  })

  it('counts the days without it over every spell', () => {
    expect(
      daysWithoutDevice(
        [
          { takenOn: '2026-01-06', returnedOn: '2026-01-07' },
          { takenOn: '2026-02-01', returnedOn: null },
        ],
        '2026-02-04',
      ),
    ).toBe(4)
  })

  it('has a clock of days without it (1 calendar day unless set), and an approval clock per request by number', () => {
    const timeline = [
      { seq: 2, type: 'propose_material_request', occurredOn: '2026-01-05', data: {} },
      { seq: 3, type: 'propose_material_request', occurredOn: '2026-01-05', data: {} },
      {
        seq: 4,
        type: 'decide_material_request',
        occurredOn: '2026-01-06',
        data: { requestNumber: 2, decision: 'approve' },
      },
      {
        seq: 5,
        type: 'record_device_taken',
        occurredOn: '2026-01-09',
        data: { requestNumber: 2, takenOn: '2026-01-08' },
      },
      {
        seq: 6,
        type: 'record_device_returned',
        occurredOn: '2026-01-12',
        data: { requestNumber: 2, returnedOn: '2026-01-10' },
      },
    ]
    const clocks = deriveClocks(timeline, calendar, '2026-01-20', {}, DIGITAL_CLOCK_RULES)
    expect(clocks.map((k) => [k.ruleId, k.key, k.status, k.due])).toEqual([
      ['material_request_approval', '1', 'overdue', '2026-01-07'],
      ['material_request_approval', '2', 'met', '2026-01-07'],
      ['device_return', '2', 'met', '2026-01-09'],
    ])
    expect(clocks[2]!.late).toBe(true)
    const set = deriveClocks(timeline, calendar, '2026-01-20', { device_return: 3 }, DIGITAL_CLOCK_RULES)
    expect(set.find((k) => k.ruleId === 'device_return')).toMatchObject({ due: '2026-01-11', late: false })
  })
})

describe('what the person is told', () => {
  const view = (over: Partial<Parameters<typeof victimViewOf>[0]>) =>
    victimViewOf({
      material: 'phone',
      kind: 'device',
      state: 'agreed',
      held: false,
      everTaken: false,
      holder: null,
      ...over,
    })
  it('nothing before they are asked; then in plain words, never the scope', () => {
    for (const state of ['awaiting_approval', 'awaiting_review', 'approved', 'not_approved'] as const)
      expect(view({ state })).toBeNull()
    expect(view({ state: 'notice_given' })).toEqual({
      what: 'Your mobile phone',
      status: 'The police asked if you agree. You do not have to agree.',
    })
    expect(view({ held: true })!.status).toBe('The police have it. They will give it back as soon as they can.')
    expect(view({ everTaken: true })!.status).toBe('The police gave it back.')
    // A wider scope being considered after the phone came back: she knows of the request already.
    expect(view({ state: 'awaiting_approval', everTaken: true })!.status).toBe('The police gave it back.')
    expect(view({ material: 'medical', kind: 'third_party', holder: 'sent' })).toEqual({
      what: 'Your medical records',
      status: 'You agreed. The police asked for the records.',
    })
  })

  it('a complainant’s walkthrough tells her of her own requests only', () => {
    const walk = complainantWalkthrough({
      stage: 'investigation',
      complainantId: COMPLAINANT,
      events: [
        {
          seq: 2,
          type: 'give_material_notice',
          occurredOn: '2026-01-05',
          data: { requestNumber: 1, givenOn: '2026-01-04' },
        },
        {
          seq: 3,
          type: 'record_device_taken',
          occurredOn: '2026-01-06',
          data: { requestNumber: 1, takenOn: '2026-01-06' },
        },
        {
          seq: 4,
          type: 'give_material_notice',
          occurredOn: '2026-01-07',
          data: { requestNumber: 2, givenOn: '2026-01-07' },
        },
      ],
      clocks: [
        { ruleId: 'device_return', key: '1', due: '2026-01-07', status: 'running' },
        { ruleId: 'device_return', key: '2', due: '2026-01-05', status: 'running' },
      ],
      reviewSchemes: [],
      contacts: [],
      requests: [
        { number: 1, personId: COMPLAINANT },
        { number: 2, personId: WITNESS },
      ],
    })
    expect(walk.happened).toEqual([
      { on: '2026-01-04', text: expect.stringMatching(/^The police asked if you agree/) },
      { on: '2026-01-06', text: 'The police took your device, to copy only the information they need.' },
    ])
    expect(walk.coming).toEqual([{ text: 'The police aim to give your device back', by: '2026-01-07' }])
  })
})
