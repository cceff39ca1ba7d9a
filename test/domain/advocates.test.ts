import { describe, expect, it } from 'vitest'
import {
  ADVOCATE_FORMS,
  type AdvocateRecord,
  advocateEligibility,
  continuityOfCounsel,
} from '../../src/modules/advocates/rules'
import { eventDefinition } from '../../src/modules/registry'
import { caseFacts } from '../helpers/facts'

const TODAY = '2026-11-26'
const CASE = 'case-1'
const advocate = (over: Partial<AdvocateRecord> = {}): AdvocateRecord => ({
  id: 'a-1',
  kind: 'external',
  active: true,
  rassoPanel: true,
  admittedOn: '2023-04-01',
  accreditationExpiresOn: '2028-03-31',
  training: [{ course: 'rasso_core', completedOn: '2025-01-10', expiresOn: '2028-01-10' }],
  unavailable: [],
  conflictCaseIds: [],
  ...over,
})
const check = (a: AdvocateRecord, hearingDates: string[] = []) =>
  advocateEligibility(a, TODAY, { caseId: CASE, hearingDates, warnDays: 90 })

describe('advocate eligibility', () => {
  it('an accredited advocate with training in date can be instructed, with nothing to warn of', () => {
    expect(check(advocate())).toEqual({ eligible: true, reasons: [], warnings: [], probationEndsOn: '2024-04-01' })
  })

  it('is refused off the list, after accreditation lapses, without required training, or with a conflict', () => {
    expect(check(advocate({ rassoPanel: false })).reasons).toEqual(['Not on the RASSO list'])
    expect(check(advocate({ active: false })).reasons).toEqual(['No longer on the panel'])
    expect(check(advocate({ accreditationExpiresOn: '2026-11-25' })).reasons).toEqual([
      'RASSO accreditation expired on 25 November 2026',
    ])
    expect(check(advocate({ training: [] })).reasons[0]).toMatch(/^Required training not completed/)
    expect(
      check(advocate({ training: [{ course: 'rasso_core', completedOn: '2020-01-01', expiresOn: '2026-11-25' }] }))
        .reasons[0],
    ).toMatch(/^Required training expired on 25 November 2026/)
    // Other courses do not count for the required one.
    expect(
      check(advocate({ training: [{ course: 'disclosure', completedOn: '2025-01-01', expiresOn: null }] })).eligible,
    ).toBe(false)
    expect(check(advocate({ conflictCaseIds: [CASE] })).reasons).toEqual([
      'Has declared a conflict of interest with this case',
    ])
    expect(check(advocate({ admittedOn: '2027-01-01' })).reasons).toEqual(['Joins the RASSO list on 1 January 2027'])
  })

  it('warns of accreditation or training expiring within the window, probation and hearings they cannot do', () => {
    const soon = check(
      advocate({
        accreditationExpiresOn: '2027-02-24',
        training: [{ course: 'rasso_core', completedOn: '2024-01-01', expiresOn: '2026-12-01' }],
      }),
    )
    expect(soon.eligible).toBe(true)
    expect(soon.warnings).toEqual([
      'RASSO accreditation expires on 24 February 2027',
      'Required training expires on 1 December 2026: RASSO advocacy: trauma-informed advocacy, myths and stereotypes, section 41',
    ])
    // 91 days away is outside the 90-day window.
    expect(check(advocate({ accreditationExpiresOn: '2027-02-25' })).warnings).toEqual([])
    const newMember = check(advocate({ admittedOn: '2026-06-01' }))
    expect(newMember).toMatchObject({ eligible: true, probationEndsOn: '2027-06-01' })
    expect(newMember.warnings).toEqual(['On probation until 1 June 2027: a counsel report after trial is expected'])
    const away = check(
      advocate({ unavailable: [{ fromOn: '2027-01-04', toOn: '2027-01-29', reason: 'Another trial' }] }),
      ['2026-10-01', '2027-01-11'],
    )
    expect(away.warnings).toEqual(['Not available on 11 January 2027, when a hearing is listed'])
  })
})

describe('advocate events and forms', () => {
  it('replacing an advocate needs a reason, and only when one is instructed', () => {
    const instruct = eventDefinition('instruct_advocate')!
    const actor = { id: 'p', roles: ['prosecutor' as const], orgCode: 'cps-south-west' }
    const none = caseFacts({ stage: 'charged' })
    const one = caseFacts({ stage: 'charged', advocate: { current: 'a-1', instructed: ['a-1'] } })
    expect(instruct.guard!(none, actor, { advocateId: 'a-2' })).toBeNull()
    expect(instruct.guard!(none, actor, { advocateId: 'a-2', replacementReason: 'x' })).toMatch(/nobody to replace/)
    expect(instruct.guard!(one, actor, { advocateId: 'a-2' })).toMatch(/say why they are replaced/)
    expect(instruct.guard!(one, actor, { advocateId: 'a-1', replacementReason: 'x' })).toMatch(/already instructed/)
    expect(instruct.guard!(one, actor, { advocateId: 'a-2', replacementReason: 'Brief returned' })).toBeNull()
    expect(eventDefinition('record_returned_brief')!.precondition!(none, actor)).toMatch(/No advocate/)
  })

  it('a counsel report follows a trial held, about an advocate instructed on the case', () => {
    const report = eventDefinition('record_counsel_report')!
    const actor = { id: 'p', roles: ['prosecutor' as const], orgCode: 'cps-south-west' }
    const beforeTrial = caseFacts({
      stage: 'charged',
      advocate: { current: 'a-1', instructed: ['a-1'] },
      hearings: [{ number: 1, type: 'ptph', on: '2026-06-01', status: 'held' }],
    })
    expect(report.precondition!(beforeTrial, actor)).toMatch(/no trial/)
    const afterTrial = caseFacts({
      ...beforeTrial,
      hearings: [...beforeTrial.hearings, { number: 2, type: 'trial', on: '2026-10-01', status: 'held' }],
    })
    expect(report.precondition!(afterTrial, actor)).toBeNull()
    expect(report.guard!(afterTrial, actor, { advocateId: 'a-9', hearingNumber: 2 })).toMatch(/instructed on this case/)
    expect(report.guard!(afterTrial, actor, { advocateId: 'a-1', hearingNumber: 1 })).toMatch(/trial that was held/)
    expect(report.guard!(afterTrial, actor, { advocateId: 'a-1', hearingNumber: 2 })).toBeNull()
  })

  it('continuity of counsel compares the advocate at the PTPH with the one at the trial', () => {
    const held = (type: string, advocateId: string | null) => ({ type, status: 'held', advocateId })
    expect(continuityOfCounsel([held('ptph', 'a'), held('trial', 'a')])).toEqual({
      ptph: 'a',
      trial: 'a',
      continuous: true,
    })
    expect(continuityOfCounsel([held('ptph', 'a'), held('trial', 'b')]).continuous).toBe(false)
    expect(continuityOfCounsel([held('ptph', 'a')]).continuous).toBeNull()
    expect(continuityOfCounsel([held('ptph', null), held('trial', 'b')]).continuous).toBeNull()
  })

  it('forms name each bad field: dates in order, an accreditation date for a list member', () => {
    const add = ADVOCATE_FORMS.advocate.schema.safeParse({
      name: 'A Barrister',
      kind: 'external',
      chambers: 'Guildhall Chambers',
      rassoPanel: true,
      accreditationExpiresOn: '2027-01-01',
    })
    expect(add.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['admittedOn', 'Enter the accreditation date'],
    ])
    const training = ADVOCATE_FORMS.training.schema.safeParse({
      course: 'rasso_core',
      completedOn: '2026-01-01',
      expiresOn: '2025-01-01',
    })
    expect(training.error?.issues[0]).toMatchObject({ path: ['expiresOn'] })
    const away = ADVOCATE_FORMS.unavailability.schema.safeParse({
      fromOn: '2027-01-10',
      toOn: '2027-01-01',
      reason: 'r',
    })
    expect(away.error?.issues[0]).toMatchObject({ path: ['toOn'] })
    expect(ADVOCATE_FORMS.conflict.schema.safeParse({ urn: 'x', reason: 'y', extra: 1 }).success).toBe(false)
  })
})
