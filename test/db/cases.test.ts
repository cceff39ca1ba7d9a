import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/services/errors'
import { createWorld, type TestWorld, validReport } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const rejects = async (promise: Promise<unknown>, status: number, code?: string) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error, 'expected an AppError').toBeInstanceOf(AppError)
  expect((error as AppError).status).toBe(status)
  if (code) expect((error as AppError).code).toBe(code)
  return error as AppError
}

describe('recording a report', () => {
  it('creates the case, its people, offences, first timeline row and audit row in one go', async () => {
    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport())
    expect(detail).toMatchObject({
      stage: 'reported',
      version: 1,
      forceCode: 'avon-and-somerset',
      areaCode: 'cps-south-west',
      view: 'full',
    })
    expect(detail.urn).toMatch(/^\d{2}RS\d{5}26$/)
    expect(detail.people.map((p) => p.role)).toEqual(['complainant', 'suspect'])
    expect(detail.offences).toEqual([
      expect.objectContaining({ code: '19C', committedFrom: '2026-01-08', name: 'Rape of a female aged 16 and over' }),
    ])
    const timeline = await world.services.cases.timeline(inv, detail.id)
    expect(timeline.events).toHaveLength(1)
    expect(timeline.events[0]).toMatchObject({
      seq: 1,
      type: 'record_report',
      stageAfter: 'reported',
      actor: { role: 'investigator', organisation: 'avon-and-somerset' },
    })
    const audit = await world.services.repos.audit.forRecord(detail.id)
    expect(audit.map((a) => a.operation)).toContain('collection')
    // The audit log holds ids and actions, never the personal data itself.
    expect(JSON.stringify(audit)).not.toContain('Test Complainant')
  })

  it('gives every case a unique URN, even when reports race', async () => {
    const inv = await world.as('investigator')
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        world.services.cases.recordReport(inv, validReport({ crimeReference: `52/RACE/${i}` })),
      ),
    )
    const urns = results.map((r) => r.detail.urn)
    expect(new Set(urns).size).toBe(5)
  })

  it('returns the first case for a repeated idempotency key, even submitted twice at once', async () => {
    const inv = await world.as('investigator')
    const key = randomUUID()
    const [a, b] = await Promise.all([
      world.services.cases.recordReport(inv, validReport({ idempotencyKey: key })),
      world.services.cases.recordReport(inv, validReport({ idempotencyKey: key })),
    ])
    expect(a.detail.id).toBe(b.detail.id)
    expect([a.replayed, b.replayed].sort()).toEqual([false, true])
    const count = await world.database.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('create_key', '=', key)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1)
  })

  it('refuses roles that do not record reports, and unknown offence codes', async () => {
    await rejects(world.services.cases.recordReport(await world.as('prosecutor'), validReport()), 403)
    await rejects(world.services.cases.recordReport(await world.as('isva'), validReport()), 403)
    const error = await rejects(
      world.services.cases.recordReport(
        await world.as('investigator'),
        validReport({ offences: [{ code: '99Z', committedFrom: '2026-01-01' }] }),
      ),
      400,
    )
    expect(error.fields).toEqual({ 'offences.0.code': 'Select an offence from the list' })
  })

  it('stores script and SQL text exactly as given, without harm', async () => {
    const nasty = "Robert'); DROP TABLE cases;-- <script>alert(1)</script>"
    const { detail } = await world.services.cases.recordReport(
      await world.as('investigator'),
      validReport({ complainants: [{ name: nasty }] }),
    )
    expect(detail.people[0]!.name).toBe(nasty)
    expect(await world.database.db.selectFrom('cases').select('id').limit(1).execute()).toHaveLength(1)
  })
})

describe('scope', () => {
  let avonCase: string
  beforeAll(async () => {
    avonCase = (await world.services.cases.recordReport(await world.as('investigator'), validReport())).detail.id
  })

  it('police see their own force, CPS the forces of their area, others nothing', async () => {
    const get = async (role: string, side: 'avon' | 'thames') =>
      world.services.cases.get(await world.as(role, side), avonCase)
    await expect(get('investigator', 'avon')).resolves.toMatchObject({ id: avonCase })
    await expect(get('police_inspector', 'avon')).resolves.toMatchObject({ id: avonCase, view: 'full' })
    await expect(get('prosecutor', 'avon')).resolves.toMatchObject({ id: avonCase })
    await expect(get('witness_care', 'avon')).resolves.toMatchObject({ id: avonCase })
    for (const [role, side] of [
      ['investigator', 'thames'],
      ['police_inspector', 'thames'],
      ['prosecutor', 'thames'],
      ['witness_care', 'thames'],
      ['isva', 'avon'],
      ['analyst', 'avon'],
      ['admin', 'avon'],
      ['scrutiny_panel', 'avon'],
    ] as const) {
      await rejects(get(role, side), 404, 'not_found')
    }
  })

  it('an out-of-scope attempt is audited and answers exactly like a missing case', async () => {
    const thames = await world.as('investigator', 'thames')
    const missing = await rejects(world.services.cases.get(thames, randomUUID()), 404)
    const hidden = await rejects(world.services.cases.get(thames, avonCase), 404)
    expect(hidden.message).toBe(missing.message)
    expect(hidden.fields).toEqual(missing.fields)
    const rows = await world.services.repos.audit.forRecord(avonCase)
    expect(rows.some((r) => r.actor_id === thames.user.id && r.outcome === 'not_found_or_out_of_scope')).toBe(true)
  })

  it('lists only cases in scope and audits the list with its count', async () => {
    const thames = await world.as('investigator', 'thames')
    const list = await world.services.cases.list(thames, world.services.cases.parseListQuery({}))
    expect(list.items.every((c) => c.forceCode === 'thames-valley')).toBe(true)
    expect(list.items.map((c) => c.id)).not.toContain(avonCase)
    const analyst = await world.services.cases.list(await world.as('analyst'), world.services.cases.parseListQuery({}))
    expect(analyst.total).toBe(0)
  })

  it('a restricted case is seen only by its named list', async () => {
    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport({ restricted: true }))
    await expect(world.services.cases.get(inv, detail.id)).resolves.toMatchObject({ restricted: true })
    await rejects(world.services.cases.get(await world.as('police_supervisor'), detail.id), 404)
    await rejects(world.services.cases.get(await world.as('prosecutor'), detail.id), 404)
    await rejects(world.services.cases.get(await world.as('police_inspector'), detail.id), 404)
    const list = await world.services.cases.list(
      await world.as('police_supervisor-2'.replace('-2', '')),
      world.services.cases.parseListQuery({}),
    )
    expect(list.items.map((c) => c.id)).not.toContain(detail.id)
  })

  it('an ISVA sees assigned cases only, without suspects or offences, and records nothing but liaison notes', async () => {
    const isva = await world.as('isva')
    const list = await world.services.cases.list(isva, world.services.cases.parseListQuery({}))
    expect(list.total).toBe(2)
    const detail = await world.services.cases.get(isva, list.items[0]!.id)
    expect(detail.view).toBe('victim_support')
    expect(detail.people.every((p) => p.role === 'complainant')).toBe(true)
    expect(detail.offences).toEqual([])
    expect(detail.availableEvents.map((e) => e.type)).toEqual(['record_isva_note'])
    const timeline = await world.services.cases.timeline(isva, detail.id)
    expect(timeline.events.every((e) => e.data === undefined)).toBe(true)
    await rejects(
      world.services.cases.applyEvent(isva, detail.id, {
        type: 'add_person',
        data: { role: 'witness', name: 'X' },
        expectedVersion: detail.version,
      }),
      403,
    )
  })

  it('filters and searches the list', async () => {
    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport({ crimeReference: '52/FIND-ME/26' }))
    const byRef = await world.services.cases.list(inv, world.services.cases.parseListQuery({ q: '52/FIND-ME/26' }))
    expect(byRef.items.map((c) => c.id)).toEqual([detail.id])
    const byUrn = await world.services.cases.list(
      inv,
      world.services.cases.parseListQuery({ q: detail.urn.toLowerCase() }),
    )
    expect(byUrn.items.map((c) => c.id)).toEqual([detail.id])
    const finalised = await world.services.cases.list(inv, world.services.cases.parseListQuery({ stage: 'finalised' }))
    expect(finalised.items.every((c) => c.stage === 'finalised')).toBe(true)
    expect(() => world.services.cases.parseListQuery({ stage: 'nonsense', page: '-1' })).toThrow(AppError)
  })
})

describe('applying events', () => {
  const newCase = async () =>
    (await world.services.cases.recordReport(await world.as('investigator'), validReport())).detail

  it('runs a case from report to a signed-off police outcome and back again', async () => {
    const inv = await world.as('investigator')
    const sup = await world.as('police_supervisor')
    const pros = await world.as('prosecutor')
    let c = await newCase()
    const suspect = c.people.find((p) => p.role === 'suspect')!.id
    const step = async (ctx: typeof inv, type: string, data: Record<string, unknown>) => {
      c = (await world.services.cases.applyEvent(ctx, c.id, { type, data, expectedVersion: c.version })).detail
      return c
    }
    await step(inv, 'start_investigation', {})
    expect(c.stage).toBe('investigation')
    await step(inv, 'record_arrest', { suspectId: suspect, arrestedOn: '2026-01-11' })
    await step(inv, 'record_interview', {
      suspectId: suspect,
      interviewedOn: '2026-01-11',
      interviewType: 'under_arrest',
    })
    await step(inv, 'record_bail', { suspectId: suspect, bailedOn: '2026-01-11', returnOn: '2026-04-11' })
    await step(inv, 'record_released_under_investigation', { suspectId: suspect, releasedOn: '2026-04-11' })
    await step(inv, 'add_person', { role: 'witness', name: 'New Witness' })
    await step(inv, 'add_offence', { code: '20A', committedFrom: '2026-01-08' })
    const witness = c.people.find((p) => p.role === 'witness')!.id
    await step(inv, 'correct_person', { personId: witness, name: 'Corrected Witness', reason: 'Spelling' })
    expect(c.people.find((p) => p.id === witness)!.name).toBe('Corrected Witness')
    expect(c.offences.map((o) => o.code)).toEqual(['19C', '20A'])
    await step(inv, 'propose_police_outcome', { outcomeCode: 16, rationale: 'Victim withdrew support' })
    expect(c.proposedOutcomeCode).toBe(16)
    await step(sup, 'return_police_outcome', { reason: 'More work' })
    expect(c.proposedOutcomeCode).toBeNull()
    await step(sup, 'propose_police_outcome', { outcomeCode: 15, rationale: 'Evidential difficulties' })
    await rejects(
      world.services.cases.applyEvent(sup, c.id, {
        type: 'sign_off_police_outcome',
        data: {},
        expectedVersion: c.version,
      }),
      422,
      'rule_broken',
    )
    await step(await world.as('police-supervisor-2.avon@casebridge.example'), 'sign_off_police_outcome', {})
    expect(c).toMatchObject({ stage: 'finalised', finalOutcome: 'police_outcome', policeOutcomeCode: 15 })
    await step(pros, 'reopen', { toStage: 'awaiting_charging_decision', reason: 'New evidence' })
    expect(c).toMatchObject({ stage: 'awaiting_charging_decision', finalOutcome: null, version: 14 })
    const timeline = await world.services.cases.timeline(inv, c.id)
    expect(timeline.events.map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => 14 - i))
    // The correction keeps what was there before on the timeline.
    expect(timeline.events.find((e) => e.type === 'add_person')!.data).toMatchObject({ name: 'New Witness' })
  })

  it('answers 409 with what changed for a stale version, and writes nothing', async () => {
    const inv = await world.as('investigator')
    const c = await newCase()
    await world.services.cases.applyEvent(inv, c.id, { type: 'start_investigation', data: {}, expectedVersion: 1 })
    const error = await rejects(
      world.services.cases.applyEvent(inv, c.id, {
        type: 'add_person',
        data: { role: 'witness', name: 'W' },
        expectedVersion: 1,
      }),
      409,
      'stale_version',
    )
    expect(error.message).toContain('Investigation started')
    expect(error.details).toMatchObject({ currentVersion: 2 })
    expect((await world.services.cases.get(inv, c.id)).people).toHaveLength(2)
  })

  it('applies a double submit once: the same idempotency key gives the first result', async () => {
    const inv = await world.as('investigator')
    const c = await newCase()
    const body = { type: 'start_investigation', data: {}, expectedVersion: 1, idempotencyKey: randomUUID() }
    const [a, b] = await Promise.all([
      world.services.cases.applyEvent(inv, c.id, body),
      world.services.cases.applyEvent(inv, c.id, body),
    ])
    expect(a.seq).toBe(2)
    expect(b.seq).toBe(2)
    const again = await world.services.cases.applyEvent(inv, c.id, body)
    expect(again).toMatchObject({ replayed: true, seq: 2 })
    expect((await world.services.cases.timeline(inv, c.id)).events).toHaveLength(2)
  })

  it('answers 409 for an event not allowed in the stage, 403 for a role, 400 naming bad fields', async () => {
    const inv = await world.as('investigator')
    const c = await newCase()
    await rejects(
      world.services.cases.applyEvent(inv, c.id, {
        type: 'record_arrest',
        data: { suspectId: c.people[1]!.id, arrestedOn: '2026-01-11' },
        expectedVersion: 1,
      }),
      409,
      'event_not_allowed_in_stage',
    )
    await rejects(
      world.services.cases.applyEvent(await world.as('prosecutor'), c.id, {
        type: 'start_investigation',
        data: {},
        expectedVersion: 1,
      }),
      403,
      'role_not_allowed',
    )
    const bad = await rejects(
      world.services.cases.applyEvent(inv, c.id, {
        type: 'add_person',
        data: { role: 'boss', name: 'x'.repeat(201), dateOfBirth: '2025-02-30' },
        expectedVersion: 1,
      }),
      400,
    )
    expect(Object.keys(bad.fields).sort()).toEqual(['data.dateOfBirth', 'data.name', 'data.role'])
    const envelope = await rejects(
      world.services.cases.applyEvent(inv, c.id, { type: 7, data: [], expectedVersion: 'one' }),
      400,
    )
    expect(Object.keys(envelope.fields).sort()).toEqual(['data', 'expectedVersion', 'type'])
    await rejects(
      world.services.cases.applyEvent(inv, c.id, { type: 'no_such_event', data: {}, expectedVersion: 1 }),
      400,
    )
    expect((await world.services.cases.get(inv, c.id)).version).toBe(1)
  })

  it('a failure inside the transaction leaves nothing half-written', async () => {
    const inv = await world.as('investigator')
    const c = await newCase()
    await world.services.cases.applyEvent(inv, c.id, { type: 'start_investigation', data: {}, expectedVersion: 1 })
    const before = await world.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    // The offence code passes the schema but is not in the reference table: the database refuses the insert.
    await expect(
      world.services.cases.applyEvent(inv, c.id, {
        type: 'add_offence',
        data: { code: '99Z', committedFrom: '2026-01-01' },
        expectedVersion: 2,
      }),
    ).rejects.toThrow()
    const after = await world.services.cases.get(inv, c.id)
    expect(after.version).toBe(2)
    expect(after.offences).toHaveLength(1)
    const auditAfter = await world.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'add_offence')
      .where(sql<boolean>`record_ids @> ARRAY[${c.id}]::text[]`)
      .executeTakeFirstOrThrow()
    expect(Number(auditAfter.n)).toBe(0)
    expect(Number(before.n)).toBeGreaterThan(0)
  })
})

describe('access log', () => {
  it('shows supervisors who read and changed a case, and refuses investigators', async () => {
    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport())
    await world.services.cases.get(inv, detail.id)
    const log = await world.services.cases.accessLog(await world.as('police_supervisor'), detail.id)
    expect(log.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['record_report', 'view_case']))
    await rejects(world.services.cases.accessLog(inv, detail.id), 403)
    await rejects(world.services.cases.accessLog(await world.as('cps_unit_head', 'thames'), detail.id), 404)
    const head = await world.services.cases.accessLog(await world.as('cps_unit_head'), detail.id)
    // The unit head's own reading of the log is on it too, after the supervisor's.
    expect(head.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['record_report', 'view_case', 'view_access_log']),
    )
  })
})
