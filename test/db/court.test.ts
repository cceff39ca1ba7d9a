import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/core/calendar'
import { todayIso } from '../../src/core/fields'
import {
  applySteps,
  chargedCase,
  createWorld,
  pastHearing,
  tasksOn,
  type TestWorld,
  TWO_CHARGES,
} from '../helpers/database'
import { victimCareOf } from '../../src/modules/victim-care/service'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const suspectOf = (detail: { people: { id: string; role: string }[] }) =>
  detail.people.find((p) => p.role === 'suspect')!.id
const complainantOf = (detail: { people: { id: string; role: string }[] }) =>
  detail.people.find((p) => p.role === 'complainant')!.id

async function chargeRows(caseId: string) {
  const { rows } = await sql<{
    number: number
    plea: string | null
    plea_at_first_hearing: boolean | null
    result: string | null
    dropped_at_hearing: number | null
  }>`SELECT number, plea, plea_at_first_hearing, result, dropped_at_hearing FROM charges WHERE case_id = ${caseId} ORDER BY number`.execute(
    world.database.db,
  )
  return rows
}

describe('charges, pleas and results (court stage)', () => {
  it('a guilty plea at the first hearing, the other charge left on file, then the sentence finalises the case', async () => {
    let detail = await chargedCase(world)
    const suspect = suspectOf(detail)
    expect(detail.charges.map((c) => [c.number, c.offenceCode, c.plea, c.result])).toEqual([
      [1, '19C', null, null],
      [2, '20A', null, null],
    ])
    // Sent to the Crown Court at the first appearance, where the magistrates take no plea to rape (sources section 16).
    detail = await applySteps(world, detail.id, detail.version, pastHearing(1, 'first_appearance', '2026-08-18'))
    await expect(
      applySteps(world, detail.id, detail.version, [
        ['prosecutor', 'record_plea', { chargeNumber: 1, plea: 'guilty', hearingNumber: 1 }],
      ]),
    ).rejects.toMatchObject({
      status: 422,
      message:
        'Rape is tried only in the Crown Court: the magistrates send the case there at the first appearance and take no plea. Record the plea at the plea and trial preparation hearing',
    })
    // The first hearing in the Crown Court: the plea and trial preparation hearing.
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(2, 'ptph', '2026-09-01'),
      ['prosecutor', 'record_plea', { chargeNumber: 1, plea: 'guilty', hearingNumber: 2 }],
    ])
    expect(detail.stage).toBe('charged')
    expect(detail.charges[0]).toMatchObject({ plea: 'guilty', result: 'convicted_plea', pleaAtFirstHearing: true })

    // A charge left on file is a CPS decision the complainant is told of within 1 working day, by the CPS.
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'prosecutor',
        'end_charge',
        {
          chargeNumber: 2,
          how: 'left_on_file',
          reason: 'acceptable_plea',
          reasonDetail: 'The guilty plea to rape reflects the offending',
          decidedOn: '2026-09-01',
          hearingNumber: 2,
        },
      ],
    ])
    expect(detail.stage).toBe('charged')
    const prosecutor = await world.as('prosecutor')
    // (The special measures application, due 28 days from the charge, is the prosecutor's task too.)
    expect((await tasksOn(world, prosecutor, detail.id)).map((t) => [t.kind, t.dueOn])).toEqual([
      ['victim_cps_decision', '2026-09-02'],
      ['special_measures_application', expect.any(String)],
    ])
    const care = await victimCareOf(world.services).overview(prosecutor, detail.id)
    expect(care.complainants[0]!.entitlements.find((k) => k.ruleId === 'vc_charge_dropped')).toMatchObject({
      from: '2026-09-01',
      due: '2026-09-02',
      status: 'overdue',
    })

    // Sentence: every charge has its result and the convicted defendant is sentenced, so the case is finalised.
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(3, 'sentence', '2026-10-05'),
      [
        'prosecutor',
        'record_sentence',
        {
          suspectId: suspect,
          sentence: 'immediate_custody',
          custodyMonths: 84,
          hearingNumber: 3,
          receivedOn: '2026-10-05',
        },
      ],
    ])
    expect(detail).toMatchObject({
      stage: 'finalised',
      finalOutcome: 'convicted_plea',
      finalisedOn: expect.any(String),
    })
    expect(detail.sentences).toEqual([
      {
        suspectId: suspect,
        sentence: 'immediate_custody',
        sentenceText: 'Immediate custody',
        custodyMonths: 84,
        on: '2026-10-05',
      },
    ])
    // Left on file at the second hearing the case reached (the first appearance, then the PTPH).
    expect(await chargeRows(detail.id)).toEqual([
      { number: 1, plea: 'guilty', plea_at_first_hearing: true, result: 'convicted_plea', dropped_at_hearing: null },
      { number: 2, plea: null, plea_at_first_hearing: null, result: 'left_on_file', dropped_at_hearing: 2 },
    ])
    // Finalised: the case's work closes, except telling the complainant of the CPS decision; a conviction is not
    // reopened here.
    expect((await tasksOn(world, prosecutor, detail.id)).map((t) => t.kind)).toEqual(['victim_cps_decision'])
    expect(detail.availableEvents.map((e) => e.type)).not.toContain('reopen')
    const supervisor = await world.as('police_supervisor')
    await expect(
      world.services.cases.applyEvent(supervisor, detail.id, {
        type: 'reopen',
        data: { toStage: 'investigation', reason: 'New evidence' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/not reopened here/) })
  })

  it('an acquittal after trial; a hung jury first leaves the charge open for a retrial', async () => {
    let detail = await chargedCase(world)
    const wcu = await world.as('witness_care')
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(1, 'ptph', '2026-06-01'),
      ['prosecutor', 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: 1 }],
      ['prosecutor', 'record_plea', { chargeNumber: 2, plea: 'not_guilty', hearingNumber: 1 }],
      ...pastHearing(2, 'trial', '2026-09-07'),
      [
        'witness_care',
        'record_verdict',
        { chargeNumber: 1, verdict: 'no_verdict', hearingNumber: 2, receivedOn: '2026-09-11' },
      ],
      [
        'witness_care',
        'record_verdict',
        { chargeNumber: 2, verdict: 'not_guilty', hearingNumber: 2, receivedOn: '2026-09-11' },
      ],
    ])
    expect(detail.stage).toBe('charged')
    expect(detail.charges.map((c) => c.result)).toEqual([null, 'acquitted'])
    // Witness care tells her of each verdict within 1 working day of receiving it (Friday 11 September 2026).
    const care = await victimCareOf(world.services).overview(wcu, detail.id)
    expect(
      care.complainants[0]!.entitlements.filter((k) => k.ruleId === 'vc_outcome').map((k) => [k.from, k.due]),
    ).toEqual([
      ['2026-09-11', '2026-09-14'],
      ['2026-09-11', '2026-09-14'],
    ])
    expect((await tasksOn(world, wcu, detail.id)).map((t) => t.kind)).toEqual(['victim_hearing_update'])
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(3, 'trial', '2026-11-02'),
      [
        'witness_care',
        'record_verdict',
        { chargeNumber: 1, verdict: 'not_guilty', hearingNumber: 3, receivedOn: '2026-11-06' },
      ],
    ])
    expect(detail).toMatchObject({ stage: 'finalised', finalOutcome: 'acquitted' })
    const walkthrough = await victimCareOf(world.services).walkthrough(wcu, detail.id, complainantOf(detail))
    expect(walkthrough.happened.map((h) => h.text)).toEqual(
      expect.arrayContaining([
        'The jury could not reach a verdict on a charge. The prosecutor will decide whether to ask for a new trial.',
        'The court found the defendant not guilty of a charge.',
      ]),
    )
    // An acquittal is not a decision the CPS review scheme covers.
    expect(detail.availableEvents.map((e) => e.type)).not.toContain('request_vrr')
  })

  it('no evidence offered at the third hearing: counted as dropped at hearing 3 and open to the CPS review scheme', async () => {
    let detail = await chargedCase(world)
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(1, 'first_appearance', '2026-05-04'),
      ...pastHearing(2, 'ptph', '2026-06-01', 'vacated'),
      ...pastHearing(3, 'ptph', '2026-06-15'),
      ['prosecutor', 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: 3 }],
      ...pastHearing(4, 'further', '2026-08-03', 'adjourned'),
      [
        'prosecutor',
        'end_charge',
        {
          chargeNumber: 2,
          how: 'discontinued',
          reason: 'evidence_changed',
          reasonDetail: 'The medical evidence does not support this charge',
          decidedOn: '2026-07-20',
        },
      ],
      [
        'prosecutor',
        'end_charge',
        {
          chargeNumber: 1,
          how: 'no_evidence_offered',
          reason: 'complainant_withdrew',
          reasonDetail: 'She no longer supports the prosecution; the remaining evidence is not enough',
          decidedOn: '2026-08-03',
          hearingNumber: 4,
        },
      ],
    ])
    expect(detail).toMatchObject({ stage: 'finalised', finalOutcome: 'no_evidence_offered' })
    // Hearing 2 was vacated, so hearing 4 is the third the case reached; the discontinuance by notice counts every
    // hearing held before today (three).
    expect((await chargeRows(detail.id)).map((c) => [c.result, c.dropped_at_hearing])).toEqual([
      ['no_evidence_offered', 3],
      ['discontinued', 3],
    ])
    expect(detail.availableEvents.map((e) => e.type)).toContain('request_vrr')
    expect(detail.availableEvents.map((e) => e.type)).toContain('reopen')
  })

  it('refuses bad input with the field named and writes nothing', async () => {
    const detail = await chargedCase(world)
    const prosecutor = await world.as('prosecutor')
    const apply = (type: string, data: Record<string, unknown>) =>
      world.services.cases.applyEvent(prosecutor, detail.id, { type, data, expectedVersion: detail.version })
    const suspect = suspectOf(detail)
    await expect(
      apply('record_charges', { suspectId: suspect, charges: [{ offenceCode: '99Z', description: 'x' }] }),
    ).rejects.toMatchObject({
      status: 400,
      fields: { 'data.charges.0.offenceCode': 'Select an offence from the list' },
    })
    await expect(
      apply('record_charges', {
        suspectId: suspect,
        charges: [{ offenceCode: "19C'; DROP TABLE charges;--", description: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 400, fields: { 'data.charges.0.offenceCode': expect.any(String) } })
    await expect(apply('record_plea', { chargeNumber: 'one', plea: 'guilty', hearingNumber: 1 })).rejects.toMatchObject(
      {
        status: 400,
        fields: { 'data.chargeNumber': 'Select the charge' },
      },
    )
    await expect(apply('record_plea', { chargeNumber: 1e12, plea: 'maybe', hearingNumber: 1 })).rejects.toMatchObject({
      status: 400,
      fields: { 'data.chargeNumber': 'Select the charge', 'data.plea': 'Select the plea' },
    })
    // No hearing has taken place yet.
    await expect(apply('record_plea', { chargeNumber: 1, plea: 'guilty', hearingNumber: 1 })).rejects.toMatchObject({
      status: 422,
      message: 'Select a hearing on this case',
    })
    await expect(
      apply('record_sentence', {
        suspectId: suspect,
        sentence: 'community',
        hearingNumber: 1,
        receivedOn: '2999-01-01',
      }),
    ).rejects.toMatchObject({
      status: 400,
      fields: { 'data.receivedOn': expect.stringMatching(/today or in the past/) },
    })
    expect(await chargeRows(detail.id)).toHaveLength(TWO_CHARGES.length)
    const after = await world.services.cases.get(prosecutor, detail.id)
    expect(after.version).toBe(detail.version)

    // A double submit with the same key records one plea; a stale version is refused.
    const withHearing = await applySteps(world, detail.id, detail.version, pastHearing(1, 'ptph', '2026-06-01'))
    const plea = {
      type: 'record_plea',
      data: { chargeNumber: 1, plea: 'guilty', hearingNumber: 1 },
      expectedVersion: withHearing.version,
      idempotencyKey: 'plea-double-submit-1',
    }
    const [a, b] = await Promise.all([
      world.services.cases.applyEvent(prosecutor, detail.id, plea),
      world.services.cases.applyEvent(prosecutor, detail.id, plea),
    ])
    expect(a.detail.version).toBe(b.detail.version)
    expect([a.replayed, b.replayed].sort()).toEqual([false, true])
    await expect(
      world.services.cases.applyEvent(prosecutor, detail.id, {
        type: 'record_plea',
        data: { chargeNumber: 2, plea: 'guilty', hearingNumber: 1 },
        expectedVersion: withHearing.version,
      }),
    ).rejects.toMatchObject({ status: 409, code: 'stale_version' })
  })
})

describe('judge’s directions', () => {
  // Dates after today, so that the directions not yet due are running whenever the test runs.
  const defenceDue = addDays(todayIso(), 21)
  const thirdDue = addDays(todayIso(), 28)
  const variedDue = addDays(todayIso(), 63)
  it('the prosecution’s directions are the prosecutor’s tasks until complied with; a new date re-dates them', async () => {
    let detail = await chargedCase(world)
    const prosecutor = await world.as('prosecutor')
    detail = await applySteps(world, detail.id, detail.version, [
      ...pastHearing(1, 'ptph', '2026-10-05'),
      [
        'prosecutor',
        'record_directions',
        {
          hearingNumber: 1,
          directions: [
            { description: 'Serve the case and initial disclosure', party: 'prosecution', dueOn: '2026-11-02' },
            { description: 'Serve the defence statement', party: 'defence', dueOn: defenceDue },
            { description: 'Apply for special measures', party: 'prosecution', dueOn: thirdDue },
          ],
        },
      ],
    ])
    expect(detail.directions.map((d) => [d.number, d.party, d.dueOn, d.status])).toEqual([
      [1, 'prosecution', '2026-11-02', 'open'],
      [2, 'defence', defenceDue, 'open'],
      [3, 'prosecution', thirdDue, 'open'],
    ])
    // An open direction past its date says so (issue 20: "a direction due 5 December shows Open on 7 December").
    expect(detail.directions.map((d) => [d.number, d.overdue])).toEqual([
      [1, '2026-11-02' < todayIso()],
      [2, defenceDue < todayIso()],
      [3, thirdDue < todayIso()],
    ])
    expect(detail.waitingFor.filter((w) => w.kind === 'court_direction').map((w) => [w.dueOn, w.overdue])).toEqual([
      ['2026-11-02', '2026-11-02' < todayIso()],
    ])
    const directionTasks = async () =>
      (await tasksOn(world, prosecutor, detail.id)).filter((t) => t.kind === 'court_direction').map((t) => t.dueOn)
    expect(await directionTasks()).toEqual(['2026-11-02'])
    const clocks = await world.services.cases.deadlines(prosecutor, detail.id)
    expect(
      clocks.clocks
        .filter((c) => c.ruleId.startsWith('court_direction'))
        .map((c) => [c.ruleId, c.key, c.status])
        .sort((a, b) => a[1]!.localeCompare(b[1]!)),
    ).toEqual([
      ['court_direction_prosecution', '1', 'overdue'],
      ['court_direction_other', '2', 'running'],
      ['court_direction_prosecution', '3', 'running'],
    ])
    await expect(
      world.services.cases.applyEvent(prosecutor, detail.id, {
        type: 'record_direction_compliance',
        data: { directionNumber: 1, outcome: 'varied' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({
      status: 400,
      fields: { 'data.newDueOn': 'Enter the new date', 'data.reason': 'Enter why' },
    })
    detail = await applySteps(world, detail.id, detail.version, [
      [
        'prosecutor',
        'record_direction_compliance',
        { directionNumber: 1, outcome: 'complied', compliedOn: '2026-11-04' },
      ],
      [
        'prosecutor',
        'record_direction_compliance',
        {
          directionNumber: 3,
          outcome: 'varied',
          newDueOn: variedDue,
          reason: 'Listed for a ground rules hearing first',
        },
      ],
    ])
    expect(detail.directions.map((d) => [d.status, d.dueOn, d.compliedOn])).toEqual([
      ['complied', '2026-11-02', '2026-11-04'],
      ['open', defenceDue, null],
      ['open', variedDue, null],
    ])
    expect(await directionTasks()).toEqual([variedDue])
    const after = await world.services.cases.deadlines(prosecutor, detail.id)
    expect(after.clocks.find((c) => c.key === '1' && c.ruleId === 'court_direction_prosecution')).toMatchObject({
      status: 'met',
      late: true,
    })
    await expect(
      world.services.cases.applyEvent(prosecutor, detail.id, {
        type: 'record_direction_compliance',
        data: { directionNumber: 1, outcome: 'complied', compliedOn: '2026-11-05' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: 'This direction is already complied with' })
  })
})
