import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayIso } from '../../src/core/fields'
import {
  createWorld,
  noChargeOnTheEvidence,
  tasksOn,
  TO_THE_CPS,
  type TestWorld,
  validReport,
} from '../helpers/database'
import { fullCodeCharge } from '../helpers/facts'
import { victimCareOf } from '../../src/modules/victim-care/service'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const twoComplainants = () =>
  validReport({
    complainants: [
      { name: 'First Complainant', sex: 'female', ageBand: '25_34' },
      { name: 'Second Complainant', sex: 'female', ageBand: '18_24' },
    ],
  })

async function reported(report = twoComplainants()) {
  const inv = await world.as('investigator')
  const detail = (await world.services.cases.recordReport(inv, report)).detail
  const [first, second] = detail.people.filter((p) => p.role === 'complainant')
  return { inv, detail, first: first!.id, second: second?.id }
}

const isvaId = async () => (await world.as('isva')).user.id

describe('victim care', () => {
  it('starts each complainant’s entitlements at the report, and a referral and a contact meet them', async () => {
    const { inv, detail, first, second } = await reported()
    let care = await victimCareOf(world.services).overview(inv, detail.id)
    expect(care.complainants.map((c) => c.name)).toEqual(['First Complainant', 'Second Complainant'])
    expect(care.complainants[0]!.entitlements.map((k) => [k.ruleId, k.from, k.due, k.status])).toEqual([
      ['vc_support_referral', '2026-01-10', '2026-01-13', 'overdue'],
      ['vc_needs_assessment', '2026-01-10', '2026-01-13', 'overdue'],
      ['vc_vps_offered', '2026-01-10', '2026-01-23', 'overdue'],
    ])
    // The officer's queue carries one task for telling complainants, dated by the earliest entitlement.
    expect((await tasksOn(world, inv, detail.id)).map((t) => [t.kind, t.dueOn])).toEqual([
      ['victim_update', '2026-01-13'],
    ])

    const svc = world.services.cases
    let version = detail.version
    const apply = async (type: string, data: Record<string, unknown>, as = inv) => {
      const result = await svc.applyEvent(as, detail.id, { type, data, expectedVersion: version })
      version = result.detail.version
      return result
    }
    await apply('refer_to_support', { complainantId: first, service: 'isva', referredOn: '2026-01-12', consent: true })
    await apply('record_victim_contact', {
      complainantId: first,
      contactedOn: '2026-01-14',
      channel: 'phone',
      direction: 'to_victim',
      summary: 'Needs discussed; VPS explained and offered',
      entitlements: ['vc_needs_assessment', 'vc_vps_offered'],
    })
    care = await victimCareOf(world.services).overview(inv, detail.id)
    const firstCare = care.complainants[0]!
    expect(firstCare.entitlements.map((k) => [k.ruleId, k.status, k.late])).toEqual([
      ['vc_support_referral', 'met', false],
      ['vc_needs_assessment', 'met', true],
      ['vc_vps_offered', 'met', false],
    ])
    expect(firstCare.contacts).toEqual([
      expect.objectContaining({
        contactedOn: '2026-01-14',
        channel: 'phone',
        met: [
          { ruleId: 'vc_needs_assessment', name: expect.any(String), late: true },
          { ruleId: 'vc_vps_offered', name: expect.any(String), late: false },
        ],
      }),
    ])
    expect(firstCare.referrals).toEqual([expect.objectContaining({ service: 'isva', consent: true })])
    // The second complainant's entitlements are their own and still overdue.
    expect(care.complainants[1]!.entitlements.every((k) => k.status === 'overdue')).toBe(true)
    expect(second).toBeDefined()
    const audit = await world.services.repos.audit.forRecord(detail.id)
    expect(audit.some((a) => a.action === 'view_victim_care')).toBe(true)
  })

  it('assigns an ISVA to one complainant only after a referral with consent; they see only that complainant', async () => {
    const { inv, detail, first, second } = await reported()
    const svc = world.services.cases
    const isva = await world.as('isva')
    const assign = { complainantId: first, isvaId: await isvaId() }
    await expect(
      svc.applyEvent(inv, detail.id, { type: 'assign_isva', data: assign, expectedVersion: detail.version }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^Refer the complainant to an ISVA/) })
    await expect(victimCareOf(world.services).overview(isva, detail.id)).rejects.toMatchObject({ status: 404 })

    let v = (
      await svc.applyEvent(inv, detail.id, {
        type: 'refer_to_support',
        data: { complainantId: first, service: 'isva', referredOn: '2026-01-11', consent: true },
        expectedVersion: detail.version,
      })
    ).detail.version
    // An ISVA id that is not an ISVA is named on its field, and nothing is written.
    await expect(
      svc.applyEvent(inv, detail.id, {
        type: 'assign_isva',
        data: { ...assign, isvaId: inv.user.id },
        expectedVersion: v,
      }),
    ).rejects.toMatchObject({ status: 400, fields: { 'data.isvaId': 'Select an ISVA from the list' } })
    v = (await svc.applyEvent(inv, detail.id, { type: 'assign_isva', data: assign, expectedVersion: v })).detail.version

    const seen = await svc.get(isva, detail.id)
    expect(seen.view).toBe('victim_support')
    expect(seen.people.map((p) => p.name)).toEqual(['First Complainant'])
    expect(seen.availableEvents.map((e) => e.type)).toEqual(['record_isva_note'])
    const care = await victimCareOf(world.services).overview(isva, detail.id)
    expect(care.complainants.map((c) => c.id)).toEqual([first])
    expect(care.complainants[0]!.safeContactDetails.canView).toBe(false)
    expect(care.complainants[0]!.isvas).toEqual([expect.objectContaining({ userId: isva.user.id })])

    // The ISVA records a concern about their complainant, never about another.
    await expect(
      svc.applyEvent(isva, detail.id, {
        type: 'record_isva_note',
        data: { complainantId: second, kind: 'concern', note: 'x' },
        expectedVersion: v,
      }),
    ).rejects.toMatchObject({ status: 400, fields: { 'data.complainantId': 'Select the complainant you support' } })
    await expect(
      svc.applyEvent(isva, detail.id, {
        type: 'record_victim_contact',
        data: {},
        expectedVersion: v,
      }),
    ).rejects.toMatchObject({ status: 403 })
    v = (
      await svc.applyEvent(isva, detail.id, {
        type: 'record_isva_note',
        data: { complainantId: first, kind: 'concern', note: 'She has heard nothing since the arrest' },
        expectedVersion: v,
      })
    ).detail.version
    const police = await victimCareOf(world.services).overview(inv, detail.id)
    expect(police.complainants[0]!.notes).toEqual([
      expect.objectContaining({ kind: 'concern', note: 'She has heard nothing since the arrest' }),
    ])
    // The ISVA's timeline holds the events about their complainant, as summaries; nothing about the other one.
    const timeline = await svc.timeline(isva, detail.id)
    expect(timeline.events.map((e) => e.type)).toEqual([
      'record_isva_note',
      'assign_isva',
      'refer_to_support',
      'record_report',
    ])
    expect(timeline.events.every((e) => e.data === undefined)).toBe(true)

    // Ending the assignment ends the access.
    await svc.applyEvent(inv, detail.id, {
      type: 'end_isva_assignment',
      data: { isvaId: isva.user.id, reason: 'Moved to another service' },
      expectedVersion: v,
    })
    await expect(svc.get(isva, detail.id)).rejects.toMatchObject({ status: 404 })
  })

  it('keeps safe contact details off the timeline, for the contact roles only, every read audited', async () => {
    const { inv, detail, first } = await reported(validReport())
    const care = victimCareOf(world.services)
    expect((await care.safeContact(inv, detail.id, first)).details).toBeNull()
    for (const [body, fields] of [
      [{}, { phone: 'Enter at least one way to reach them safely: a phone number, an email address or an address' }],
      [{ phone: 'call me' }, { phone: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982' }],
      [{ email: 'not-an-email' }, { email: 'Enter an email address in the correct format, like name@example.com' }],
      [{ phone: 12345678 }, { phone: 'Enter the phone number as text' }],
      [{ address: 'x'.repeat(501) }, { address: 'The address must be 500 characters or fewer' }],
      [{ phone: '01632 960 001', extra: 1 }, { extra: 'extra is not a field of this form' }],
      ['not an object', { body: 'Send an object with the fields of this form' }],
    ] as const) {
      await expect(care.setSafeContact(inv, detail.id, first, body)).rejects.toMatchObject({ status: 400, fields })
    }
    await care.setSafeContact(inv, detail.id, first, {
      phone: '01632 960 001',
      address: "<script>alert(1)</script> 1 Safe Street'; DROP TABLE cases; --",
      notes: 'Text first',
    })
    const read = await care.safeContact(await world.as('witness_care'), detail.id, first)
    expect(read.details).toMatchObject({
      phone: '01632 960 001',
      email: null,
      address: "<script>alert(1)</script> 1 Safe Street'; DROP TABLE cases; --",
    })
    await expect(care.safeContact(await world.as('prosecutor'), detail.id, first)).rejects.toMatchObject({
      status: 403,
    })
    await expect(care.safeContact(await world.as('investigator', 'thames'), detail.id, first)).rejects.toMatchObject({
      status: 404,
    })
    await expect(
      care.safeContact(inv, detail.id, detail.people.find((p) => p.role === 'suspect')!.id),
    ).rejects.toMatchObject({
      status: 404,
    })
    const events = await world.services.repos.cases.events(detail.id)
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('01632')
    const audit = await world.services.repos.audit.forRecord(detail.id)
    expect(audit.filter((a) => a.action === 'view_safe_contact_details').map((a) => a.outcome)).toEqual(
      expect.arrayContaining(['ok', 'forbidden']),
    )
    expect(audit.some((a) => a.action === 'change_safe_contact_details' && a.operation === 'alteration')).toBe(true)
  })

  it('opens the prosecutor’s special measures task at charge and closes it with the application', async () => {
    const { inv, detail, first } = await reported(validReport())
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    const svc = world.services.cases
    const pros = await world.as('prosecutor')
    let c = detail
    const steps: [string, string, Record<string, unknown>][] = [
      ['investigator', 'start_investigation', {}],
      [
        'investigator',
        'record_special_measures',
        { complainantId: first, eligibility: ['s17_4'], optedOut: false, measures: ['s25', 's28'] },
      ],
      ...TO_THE_CPS.slice(1),
      ['prosecutor', 'record_charging_decision', fullCodeCharge(suspect)],
    ]
    for (const [role, type, data] of steps) {
      c = (await svc.applyEvent(await world.as(role), c.id, { type, data, expectedVersion: c.version })).detail
    }
    expect((await tasksOn(world, pros, c.id)).map((t) => t.kind)).toContain('special_measures_application')
    c = (
      await svc.applyEvent(pros, c.id, {
        type: 'apply_special_measures',
        data: { complainantId: first, appliedOn: '2026-11-20', measures: ['s25', 's28'] },
        expectedVersion: c.version,
      })
    ).detail
    expect((await tasksOn(world, pros, c.id)).map((t) => t.kind)).not.toContain('special_measures_application')
    // Withdrawal of support is recorded with its reasons, without closing the case.
    c = (
      await svc.applyEvent(inv, c.id, {
        type: 'record_withdrawal_of_support',
        data: {
          complainantId: first,
          withdrawnOn: '2026-11-21',
          reasons: ['delay'],
          details: 'It has taken too long',
          continueWithout: 'undecided',
        },
        expectedVersion: c.version,
      })
    ).detail
    expect(c.stage).toBe('charged')
    const care = await victimCareOf(world.services).overview(inv, c.id)
    expect(care.complainants[0]!.specialMeasures.application).toMatchObject({ measures: ['s25', 's28'] })
    expect(care.complainants[0]!.withdrawal).toMatchObject({ reasons: ['delay'], continueWithout: 'undecided' })
    expect(
      care.complainants[0]!.entitlements.find((k) => k.ruleId === 'vc_special_measures_application'),
    ).toMatchObject({ status: 'met' })
  })
})

describe('a complainant added after the report', () => {
  it('has entitlements from the day they were added, not breaches from before', async () => {
    const { inv, detail } = await reported(validReport())
    const svc = world.services.cases
    let c = (
      await svc.applyEvent(inv, detail.id, { type: 'start_investigation', data: {}, expectedVersion: detail.version })
    ).detail
    const suspect = c.people.find((p) => p.role === 'suspect')!.id
    c = (
      await svc.applyEvent(inv, c.id, {
        type: 'record_arrest',
        data: { suspectId: suspect, arrestedOn: '2026-01-12' },
        expectedVersion: c.version,
      })
    ).detail
    c = (
      await svc.applyEvent(inv, c.id, {
        type: 'add_person',
        data: { role: 'complainant', name: 'Later Complainant' },
        expectedVersion: c.version,
      })
    ).detail
    const later = c.people.find((p) => p.name === 'Later Complainant')!.id
    const care = await victimCareOf(world.services).overview(inv, c.id)
    const theirs = care.complainants.find((p) => p.id === later)!
    expect(theirs.entitlements.map((k) => [k.ruleId, k.from])).toEqual([
      ['vc_support_referral', todayIso()],
      ['vc_needs_assessment', todayIso()],
      ['vc_vps_offered', todayIso()],
    ])
  })
})

describe('Victims’ Right to Review', () => {
  it('a CPS decision not to charge: request, local resolution, independent review overturns and reopens', async () => {
    const { detail, first } = await reported(validReport())
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    const svc = world.services.cases
    let c = detail
    const step = async (role: string, type: string, data: Record<string, unknown>) => {
      c = (await svc.applyEvent(await world.as(role), c.id, { type, data, expectedVersion: c.version })).detail
      return c
    }
    for (const [role, type, data] of TO_THE_CPS) await step(role, type, data)
    await step('prosecutor', 'record_charging_decision', noChargeOnTheEvidence(suspect))
    expect(c.stage).toBe('finalised')
    const witnessCare = await world.as('witness_care')
    let care = await victimCareOf(world.services).overview(witnessCare, c.id)
    expect(care.complainants[0]!.review).toMatchObject({ schemes: ['cps'], inProgress: null })
    // The police scheme does not cover a CPS decision; named, and nothing written.
    await expect(
      svc.applyEvent(witnessCare, c.id, {
        type: 'request_vrr',
        data: { complainantId: first, scheme: 'police', toldOn: '2026-11-02', receivedOn: '2026-11-04' },
        expectedVersion: c.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^The police scheme covers/) })
    await step('witness_care', 'request_vrr', {
      complainantId: first,
      scheme: 'cps',
      toldOn: '2026-11-02',
      receivedOn: '2026-11-04',
      details: 'She does not understand why the CCTV was not enough',
    })
    care = await victimCareOf(world.services).overview(witnessCare, c.id)
    const review = care.complainants[0]!.review
    expect(review.inProgress).toEqual({ complainantId: first, scheme: 'cps', stage: 'requested' })
    expect(review.history[0]!.window).toEqual({ normallyBy: '2026-11-16', latest: '2027-02-02' })
    expect(
      care.complainants[0]!.entitlements.filter((k) => k.ruleId.startsWith('vrr_')).map((k) => [k.ruleId, k.due]),
    ).toEqual([
      ['vrr_local_resolution', '2026-11-18'],
      ['vrr_review', '2026-12-16'],
    ])
    await expect(
      svc.applyEvent(await world.as('cps_unit_head'), c.id, {
        type: 'decide_vrr',
        data: { complainantId: first, outcome: 'upheld', reasons: 'r' },
        expectedVersion: c.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: 'Record local resolution before the independent review' })
    // The prosecutor who decided cannot review it.
    await expect(
      svc.applyEvent(await world.as('prosecutor'), c.id, {
        type: 'record_vrr_local_resolution',
        data: { complainantId: first, result: 'resolved', explanation: 'x' },
        expectedVersion: c.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^You took part in the decision/) })
    await step('cps_unit_head', 'record_vrr_local_resolution', {
      complainantId: first,
      result: 'independent_review',
      explanation: 'Explained the identification evidence; she remains dissatisfied',
    })
    await step('cps_unit_head', 'decide_vrr', {
      complainantId: first,
      outcome: 'overturned',
      reopenTo: 'awaiting_charging_decision',
      reasons: 'The CCTV and the first account together meet the evidential stage',
    })
    expect(c.stage).toBe('awaiting_charging_decision')
    expect(c.finalisedOn).toBeNull()
    expect((await tasksOn(world, await world.as('prosecutor'), c.id)).map((t) => t.kind)).toContain('charging_decision')
    care = await victimCareOf(world.services).overview(witnessCare, c.id)
    expect(care.complainants[0]!.review.inProgress).toBeNull()
    expect(care.complainants[0]!.entitlements.filter((k) => k.ruleId.startsWith('vrr_')).map((k) => k.status)).toEqual([
      'met',
      'met',
    ])
  })
})

describe('the walkthrough for a complainant', () => {
  it('is built for a case in each stage, from the demo data, and never names the suspect', async () => {
    const wcu = await world.as('witness_care')
    const list = await world.services.cases.list(wcu, world.services.cases.parseListQuery({}))
    const stages = new Map<string, string>()
    for (const item of list.items) if (!stages.has(item.stage)) stages.set(item.stage, item.id)
    expect([...stages.keys()].sort()).toEqual(
      ['action_plan', 'awaiting_charging_decision', 'charged', 'finalised', 'investigation', 'reported'].sort(),
    )
    for (const [stage, id] of stages) {
      const detail = await world.services.cases.get(wcu, id)
      const complainant = detail.people.find((p) => p.role === 'complainant')!
      const walkthrough = await victimCareOf(world.services).walkthrough(wcu, id, complainant.id)
      expect(walkthrough.guide.stage).toBe(stage)
      expect(walkthrough.happened[0]!.text).toBe('You reported what happened to the police.')
      expect(walkthrough.contacts[0]).toMatchObject({ role: 'Officer in charge of your case' })
      const text = JSON.stringify(walkthrough)
      for (const suspect of detail.people.filter((p) => p.role === 'suspect' && p.name))
        expect(text, stage).not.toContain(suspect.name)
      if (stage === 'charged')
        expect(walkthrough.contacts).toContainEqual({ role: 'About court', name: 'The Witness Care Unit' })
    }
    const audit = await world.services.repos.audit.forRecord([...stages.values()][0]!)
    expect(audit.some((a) => a.action === 'view_walkthrough')).toBe(true)
  })

  it('answers 404 for a person who is not a complainant the caller may see', async () => {
    const { inv, detail, first, second } = await reported()
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    await expect(victimCareOf(world.services).walkthrough(inv, detail.id, suspect)).rejects.toMatchObject({
      status: 404,
    })
    await expect(
      victimCareOf(world.services).walkthrough(await world.as('investigator', 'thames'), detail.id, first),
    ).rejects.toMatchObject({ status: 404 })
    // An ISVA assigned to the first complainant sees only their walkthrough.
    const svc = world.services.cases
    const v = (
      await svc.applyEvent(inv, detail.id, {
        type: 'refer_to_support',
        data: { complainantId: first, service: 'isva', referredOn: '2026-01-11', consent: true },
        expectedVersion: detail.version,
      })
    ).detail.version
    const isva = await world.as('isva')
    await svc.applyEvent(inv, detail.id, {
      type: 'assign_isva',
      data: { complainantId: first, isvaId: isva.user.id },
      expectedVersion: v,
    })
    expect((await victimCareOf(world.services).walkthrough(isva, detail.id, first)).contacts).toContainEqual(
      expect.objectContaining({ role: 'Your ISVA' }),
    )
    await expect(victimCareOf(world.services).walkthrough(isva, detail.id, second!)).rejects.toMatchObject({
      status: 404,
    })
  })
})

describe('letters', () => {
  it('sends a checked letter by post, kept on the timeline as sent, once for a double submit', async () => {
    const { inv, detail, first, second } = await reported()
    const care = victimCareOf(world.services)
    const drafts = await care.letterDrafts(inv, detail.id, first)
    expect(drafts.templates.map((t) => [t.id, t.unavailable])).toEqual([
      ['hello', null],
      ['charge', 'Nobody has been charged on this case'],
      ['nfa', 'There is no decision to take no further action on this case'],
      ['material_notice', 'There is no approved request for their device or records waiting for written notice'],
      ['walkthrough', null],
    ])
    // The walkthrough goes as a letter too: the same words as the printable page.
    const walkthrough = drafts.templates.find((t) => t.id === 'walkthrough')!
    expect(walkthrough.draft.body).toContain('Where your case is now: You report what happened.')
    expect(walkthrough.draft.body).toContain('You reported what happened to the police.')
    expect(walkthrough.draft.body).not.toContain('Test Suspect')
    expect(walkthrough.check.problems).toEqual([])
    const hello = drafts.templates[0]!
    expect(hello.draft.body).toMatch(/^Dear First Complainant,/)
    expect(hello.check.problems).toEqual([])
    const base = {
      complainantId: first,
      template: 'hello',
      channel: 'post',
      ...hello.draft,
      expectedVersion: detail.version,
    }

    // Nasty input: each problem on its field, nothing written.
    const bad: [Record<string, unknown>, Record<string, string>][] = [
      [
        { ...base, body: `${hello.draft.body}\nSecond Complainant also reported.` },
        { body: expect.stringMatching(/^Remove details of another person/) as never },
      ],
      [
        { ...base, body: 'The evidential stage was not met.' },
        { body: expect.stringMatching(/^Instead of “evidential stage”/) as never },
      ],
      [
        { ...base, channel: 'email' },
        { channel: 'There is no safe email address for them: add one, or send it by post' },
      ],
      [
        { ...base, template: 'threatening' },
        { template: 'Select a letter: hello, charge, nfa, material_notice, walkthrough' },
      ],
      [{ ...base, body: 'x'.repeat(10001) }, { body: 'The letter must be 10000 characters or fewer' }],
      [{ ...base, expectedVersion: 'one' }, { expectedVersion: 'Enter expectedVersion as a whole number' }],
    ]
    for (const [body, fields] of bad) {
      await expect(care.sendLetter(inv, detail.id, body)).rejects.toMatchObject({ status: 400, fields })
    }
    await expect(care.sendLetter(inv, detail.id, { ...base, template: 'charge' })).rejects.toMatchObject({
      status: 422,
      message: 'Nobody has been charged on this case',
    })
    // The generic event endpoint cannot bypass the checks.
    await expect(
      world.services.cases.applyEvent(inv, detail.id, {
        type: 'send_victim_letter',
        data: { complainantId: first, template: 'hello', channel: 'post', subject: 's', body: 'NFA' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, code: 'use_its_own_endpoint' })
    expect((await world.services.cases.get(inv, detail.id)).version).toBe(detail.version)

    const script = `${hello.draft.body}\n\n<script>alert('x')</script>`
    const [a, b] = await Promise.all([
      care.sendLetter(inv, detail.id, { ...base, body: script, idempotencyKey: 'letter-1' }),
      care.sendLetter(inv, detail.id, { ...base, body: script, idempotencyKey: 'letter-1' }),
    ])
    expect(a.seq).toBe(b.seq)
    const letter = await care.letter(inv, detail.id, a.seq)
    expect(letter).toMatchObject({ template: 'hello', channel: 'post', body: script, delivery: { state: 'to_post' } })
    const overview = await care.overview(inv, detail.id)
    expect(overview.complainants[0]!.letters).toEqual([expect.objectContaining({ seq: a.seq, template: 'hello' })])
    expect(overview.complainants[1]!.letters).toEqual([])
    // A letter is a contact in the log too.
    expect(overview.complainants[0]!.contacts[0]).toMatchObject({
      seq: a.seq,
      channel: 'letter_post',
      summary: `Letter: ${hello.draft.subject}`,
    })
    // A letter to the second complainant is not visible as theirs, and the prosecutor cannot send letters.
    await expect(care.letterDrafts(await world.as('prosecutor'), detail.id, second!)).rejects.toMatchObject({
      status: 403,
    })
  })

  it('the letter at charge tells the complainant of the decision: the entitlement is met', async () => {
    const inv = await world.as('investigator')
    const list = await world.services.cases.list(inv, world.services.cases.parseListQuery({ stage: 'charged' }))
    let found: { id: string; complainant: string; version: number } | undefined
    for (const item of list.items) {
      const care = await victimCareOf(world.services).overview(inv, item.id)
      const c = care.complainants[0]!
      if (c.entitlements.some((k) => k.ruleId === 'vc_decision' && k.status !== 'met'))
        found = { id: item.id, complainant: c.id, version: care.case.version }
    }
    expect(found).toBeDefined()
    const drafts = await victimCareOf(world.services).letterDrafts(inv, found!.id, found!.complainant)
    const charge = drafts.templates.find((t) => t.id === 'charge')!
    expect(charge.unavailable).toBeNull()
    await victimCareOf(world.services).sendLetter(inv, found!.id, {
      complainantId: found!.complainant,
      template: 'charge',
      channel: 'post',
      ...charge.draft,
      expectedVersion: found!.version,
    })
    const after = await victimCareOf(world.services).overview(inv, found!.id)
    expect(after.complainants[0]!.entitlements.filter((k) => k.ruleId === 'vc_decision').map((k) => k.status)).toEqual([
      'met',
    ])
  })
})

describe('Victims’ Right to Review, police scheme', () => {
  it('a police decision after an interview: acknowledged within 10 working days, reviewed by a police reviewer', async () => {
    const { inv, detail, first } = await reported(validReport())
    const suspect = detail.people.find((p) => p.role === 'suspect')!.id
    const svc = world.services.cases
    let c = detail
    const step = async (as: string, type: string, data: Record<string, unknown>) => {
      c = (await svc.applyEvent(await world.as(as), c.id, { type, data, expectedVersion: c.version })).detail
    }
    await step('investigator', 'start_investigation', {})
    await step('investigator', 'record_interview', {
      suspectId: suspect,
      interviewedOn: '2026-11-02',
      interviewType: 'voluntary',
    })
    await step('investigator', 'propose_police_outcome', { outcomeCode: 15, rationale: 'Evidential difficulties' })
    await step('police-supervisor-2.avon@casebridge.example', 'sign_off_police_outcome', {})
    expect((await victimCareOf(world.services).overview(inv, c.id)).complainants[0]!.review.schemes).toEqual(['police'])
    await step('investigator', 'request_vrr', {
      complainantId: first,
      scheme: 'police',
      toldOn: '2026-11-09',
      receivedOn: '2026-11-10',
    })
    let care = await victimCareOf(world.services).overview(inv, c.id)
    expect(
      care.complainants[0]!.entitlements.filter((k) => k.ruleId.startsWith('vrr_')).map((k) => [k.ruleId, k.due]),
    ).toEqual([
      ['vrr_acknowledge', '2026-11-24'],
      ['vrr_review', '2026-12-22'],
    ])
    await step('police_supervisor', 'acknowledge_vrr', { complainantId: first, reviewer: 'DI Independent' })
    await expect(
      svc.applyEvent(await world.as('prosecutor'), c.id, {
        type: 'decide_vrr',
        data: { complainantId: first, outcome: 'upheld', reasons: 'r' },
        expectedVersion: c.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^A police request is reviewed by/) })
    await step('police_supervisor', 'decide_vrr', {
      complainantId: first,
      outcome: 'upheld',
      reasons: 'The identification evidence could not be strengthened',
    })
    expect(c.stage).toBe('finalised')
    care = await victimCareOf(world.services).overview(inv, c.id)
    expect(care.complainants[0]!.review.inProgress).toBeNull()
    expect(care.complainants[0]!.review.history.map((h) => h.type)).toEqual([
      'request_vrr',
      'acknowledge_vrr',
      'decide_vrr',
    ])
  })
})

describe('hearings (court stage, first part)', () => {
  it('a listing starts witness care’s 1 working day clock for each complainant; an adjournment names who asked', async () => {
    const wcu = await world.as('witness_care')
    const list = await world.services.cases.list(wcu, world.services.cases.parseListQuery({ stage: 'charged' }))
    const c = await world.services.cases.get(wcu, list.items[0]!.id)
    const complainant = c.people.find((p) => p.role === 'complainant')!.id
    const svc = world.services.cases
    // Received on Friday 20 November 2026: due by the end of Monday 23 November.
    let detail = (
      await svc.applyEvent(wcu, c.id, {
        type: 'list_hearing',
        data: { hearingType: 'ptph', hearingOn: '2026-12-14', court: 'Bristol Crown Court', receivedOn: '2026-11-20' },
        expectedVersion: c.version,
      })
    ).detail
    expect(detail.hearings).toEqual([
      expect.objectContaining({ number: 1, type: 'ptph', on: '2026-12-14', status: 'listed', requestedBy: null }),
    ])
    let care = await victimCareOf(world.services).overview(wcu, c.id)
    expect(care.complainants[0]!.entitlements.find((k) => k.ruleId === 'vc_hearing_date')).toMatchObject({
      from: '2026-11-20',
      due: '2026-11-23',
    })
    expect((await tasksOn(world, wcu, c.id)).map((t) => [t.kind, t.dueOn])).toEqual([
      ['victim_hearing_update', '2026-11-23'],
    ])
    // Told by phone: the clock is met (late) and the task closes.
    detail = (
      await svc.applyEvent(wcu, c.id, {
        type: 'record_victim_contact',
        data: {
          complainantId: complainant,
          contactedOn: '2026-11-24',
          channel: 'phone',
          direction: 'to_victim',
          summary: 'Told her the plea hearing date',
          entitlements: ['vc_hearing_date'],
        },
        expectedVersion: detail.version,
      })
    ).detail
    care = await victimCareOf(world.services).overview(wcu, c.id)
    expect(care.complainants[0]!.entitlements.find((k) => k.ruleId === 'vc_hearing_date')).toMatchObject({
      status: 'met',
      late: true,
    })
    expect((await tasksOn(world, wcu, c.id)).map((t) => t.kind)).toEqual([])

    // An adjournment must say who asked and why; a hearing's outcome is recorded once.
    await expect(
      svc.applyEvent(wcu, c.id, {
        type: 'record_hearing_outcome',
        data: { hearingNumber: 1, result: 'adjourned' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({
      status: 400,
      fields: { 'data.requestedBy': 'Select who asked for it', 'data.reason': 'Enter why' },
    })
    await expect(
      svc.applyEvent(wcu, c.id, {
        type: 'record_hearing_outcome',
        data: { hearingNumber: 7, result: 'held' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422, message: 'Select a hearing listed on this case' })
    detail = (
      await svc.applyEvent(wcu, c.id, {
        type: 'record_hearing_outcome',
        data: { hearingNumber: 1, result: 'adjourned', requestedBy: 'defence', reason: 'Expert report not ready' },
        expectedVersion: detail.version,
      })
    ).detail
    expect(detail.hearings[0]).toMatchObject({ status: 'adjourned', requestedBy: 'defence' })
    await expect(
      svc.applyEvent(wcu, c.id, {
        type: 'record_hearing_outcome',
        data: { hearingNumber: 1, result: 'held' },
        expectedVersion: detail.version,
      }),
    ).rejects.toMatchObject({ status: 422 })
    // The walkthrough tells the complainant, in plain words.
    const walkthrough = await victimCareOf(world.services).walkthrough(wcu, c.id, complainant)
    expect(walkthrough.happened.map((h) => h.text)).toEqual(
      expect.arrayContaining([
        'The court set a date for a hearing (plea and trial preparation hearing) on 14 December 2026.',
        'A hearing was moved. We will tell you the new date when the court sets it.',
      ]),
    )
  })
})
