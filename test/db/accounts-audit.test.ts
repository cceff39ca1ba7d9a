import { sql } from 'kysely'
import argon2 from 'argon2'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { AppError } from '../../src/services/errors'
import { createWorld, TEST_PASSWORD, type TestWorld, validReport } from '../helpers/database'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld({ SIGNIN_MAX_ATTEMPTS: '3', SESSION_IDLE_MINUTES: '30' })
})
afterAll(async () => world?.close())

const HOME = '192.0.2.1'
const signIn = (email: unknown, password: unknown, address: string) =>
  world.services.accounts.signIn(email, password, address)

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('reference data', () => {
  it('ships the forces, areas, mapping, outcome types and offence codes with their source', async () => {
    const ref = world.services.repos.reference
    const orgs = await ref.organisations()
    expect(orgs.filter((o) => o.kind === 'police_force')).toHaveLength(44)
    expect(orgs.filter((o) => o.kind === 'cps_area')).toHaveLength(15)
    expect(orgs.find((o) => o.code === 'metropolitan')).toMatchObject({ kind: 'police_force', active: true })
    // Every organisation names its source: the reference forces and areas theirs, the demo's own as demonstration data.
    const section13 =
      'docs/sources.md section 13 (police forces and CPS areas), based on the CPS area structure since 2011 and general knowledge; verify before publishing figures by area.'
    expect([...new Set(orgs.map((o) => `${o.kind}: ${o.source}`))].sort()).toEqual([
      `cps_area: ${section13}`,
      'isva_service: Demonstration data',
      `police_force: ${section13}`,
      'service: Casebridge',
      'witness_care_unit: Demonstration data',
    ])
    const mapping = await ref.forceAreas()
    expect(
      mapping
        .filter((m) => m.force_code === 'metropolitan')
        .map((m) => m.area_code)
        .sort(),
    ).toEqual(['cps-london-north', 'cps-london-south'])
    const forces = new Set(orgs.filter((o) => o.kind === 'police_force').map((o) => o.code))
    for (const force of forces)
      expect(
        mapping.filter((m) => m.force_code === force && m.is_default),
        force,
      ).toHaveLength(1)
    expect((await ref.outcomeTypes()).map((o) => o.code)).toEqual(Array.from({ length: 23 }, (_, i) => i))
    expect(await ref.offenceCodes()).toHaveLength(22)
  })

  it('keeps an administrator’s edits when the reference data is loaded again', async () => {
    const admin = await world.as('admin')
    await world.services.referenceAdmin.updateOrganisation(admin, 'dorset', {
      name: 'Dorset Police (renamed)',
      urnCode: '55',
      active: 'yes',
    })
    const { ensureReferenceData } = await import('../../src/data/reference')
    await ensureReferenceData(world.database.db)
    expect((await world.services.repos.reference.organisation('dorset'))!.name).toBe('Dorset Police (renamed)')
  })

  it('puts outcome 17 in the published group, and corrects a database loaded before (sources section 16)', async () => {
    const groupOf17 = async () =>
      (
        await world.database.db
          .selectFrom('outcome_types')
          .select('outcome_group')
          .where('code', '=', 17)
          .executeTakeFirstOrThrow()
      ).outcome_group
    expect(await groupOf17()).toBe('Prosecution prevented or not in the public interest')
    // A database loaded with the old list had outcome 17 in a group of its own; loading the list again corrects it.
    await world.database.db
      .updateTable('outcome_types')
      .set({ outcome_group: 'Prosecution time limit expired' })
      .where('code', '=', 17)
      .execute()
    const { ensureReferenceData } = await import('../../src/data/reference')
    await ensureReferenceData(world.database.db)
    expect(await groupOf17()).toBe('Prosecution prevented or not in the public interest')
  })

  it('names the bad field when an edit is wrong', async () => {
    const admin = await world.as('admin')
    const error = await failure(
      world.services.referenceAdmin.updateOrganisation(admin, 'dorset', {
        name: '',
        urnCode: 'TOO-LONG',
        active: 'maybe',
      }),
    )
    expect(Object.keys(error.fields).sort()).toEqual(['active', 'name', 'urnCode'])
    const duplicate = await failure(
      world.services.referenceAdmin.updateOrganisation(admin, 'kent', {
        name: 'Kent Police',
        urnCode: '55',
        active: 'yes',
      }),
    )
    expect(duplicate.fields.urnCode).toMatch(/already/)
  })

  it('maps a force to another area, and the area’s prosecutors then see its cases', async () => {
    const admin = await world.as('admin')
    const { detail } = await world.services.cases.recordReport(await world.as('investigator', 'thames'), validReport())
    const avonProsecutor = await world.as('prosecutor', 'avon')
    await expect(world.services.cases.get(avonProsecutor, detail.id)).rejects.toThrow()
    await world.services.referenceAdmin.addForceArea(admin, 'thames-valley', 'cps-south-west')
    await expect(world.services.cases.get(avonProsecutor, detail.id)).resolves.toMatchObject({ id: detail.id })
    await world.services.referenceAdmin.removeForceArea(admin, 'thames-valley', 'cps-south-west')
    await expect(world.services.cases.get(avonProsecutor, detail.id)).rejects.toThrow()
  })
})

describe('accounts', () => {
  it('signs in with the right password only, with one message for a wrong email or password', async () => {
    const user = await world.services.accounts.signIn('Investigator.Avon@casebridge.example ', TEST_PASSWORD, HOME)
    expect(user.roles).toEqual(['investigator'])
    const wrongPassword = await failure(
      world.services.accounts.signIn('investigator.avon@casebridge.example', 'wrong-password-here', HOME),
    )
    const wrongEmail = await failure(
      world.services.accounts.signIn('nobody@casebridge.example', 'wrong-password-here', HOME),
    )
    expect(wrongPassword.message).toBe(wrongEmail.message)
    expect(wrongPassword.status).toBe(401)
    const missing = await failure(world.services.accounts.signIn(undefined, ['array'], HOME))
    expect(Object.keys(missing.fields).sort()).toEqual(['email', 'password'])
  })

  it('holds back an address that keeps failing, never the owner at another address, and a reset ends it', async () => {
    const email = 'witness-care.avon@casebridge.example'
    const attacker = '203.0.113.7'
    // Time stands still, so the wait is exactly the first back-off however long the password checks take.
    vi.useFakeTimers({ toFake: ['Date'] })
    onTestFinished(() => void vi.useRealTimers())
    for (let i = 0; i < 3; i++) expect((await failure(signIn(email, 'not-the-password', attacker))).status).toBe(401)
    // The right password from the attacker's address is refused too: otherwise the back-off would slow nothing.
    const held = await failure(signIn(email, TEST_PASSWORD, attacker))
    expect(held).toMatchObject({ status: 429, code: 'sign_in_throttled', details: { retryAfterSeconds: 30 } })
    // The owner, at their own address, is unaffected; other accounts from the attacker's address too.
    await expect(signIn(email, TEST_PASSWORD, '198.51.100.20')).resolves.toMatchObject({ email })
    expect((await failure(signIn('nobody@casebridge.example', 'not-the-password', attacker))).status).toBe(401)
    const admin = await world.as('admin')
    const user = (await world.services.accounts.byEmail(email))!
    expect(await world.services.accounts.signInHeldBack(user)).toMatchObject({ addresses: 1 })
    await world.services.accounts.resetPassword(admin, user.id, 'a-brand-new-password')
    expect(await world.services.accounts.signInHeldBack(user)).toMatchObject({ addresses: 0 })
    await expect(signIn(email, 'a-brand-new-password', attacker)).resolves.toMatchObject({ email })
  })

  it('treats an unknown email exactly as a known one: the same answers, the same password checks', async () => {
    const known = [
      'prosecutor.avon@casebridge.example',
      'isva.avon@casebridge.example',
      'analyst.thames@casebridge.example',
    ]
    const verify = vi.spyOn(argon2, 'verify')
    let run = 0
    // Time stands still, so each answer's wait is the same to the second for both emails.
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...known),
          fc.emailAddress().filter((e) => !e.endsWith('@casebridge.example')),
          fc.integer({ min: 1, max: 6 }),
          async (knownEmail, unknownEmail, tries) => {
            run++
            const answers = async (email: string, address: string) => {
              verify.mockClear()
              const seen: unknown[] = []
              for (let i = 0; i < tries; i++) {
                const error = await failure(signIn(email, 'not-the-password', address))
                seen.push([error.status, error.code, error.message, error.fields, error.details])
              }
              return { seen, passwordChecks: verify.mock.calls.length }
            }
            // The same address for both, one after the other, as an attacker probing for accounts would.
            const address = `192.0.2.${run % 250}`
            await world.database.db.deleteFrom('sign_in_attempts').execute()
            const forKnown = await answers(knownEmail, address)
            const forUnknown = await answers(unknownEmail, address)
            expect(forUnknown).toEqual(forKnown)
            expect(forKnown.passwordChecks).toBe(Math.min(tries, 3))
          },
        ),
        { numRuns: 8 },
      )
    } finally {
      vi.useRealTimers()
      verify.mockRestore()
    }
  }, 120_000)

  it('lets no parallel attempt slip past the count, nor check a password once held back', async () => {
    const verify = vi.spyOn(argon2, 'verify')
    try {
      const attempts = Array.from({ length: 12 }, () =>
        failure(signIn('cps-unit-head.thames@casebridge.example', 'not-the-password', '198.51.100.150')),
      )
      const statuses = (await Promise.all(attempts)).map((e) => e.status).sort()
      expect(statuses).toEqual([...Array<number>(3).fill(401), ...Array<number>(9).fill(429)])
      expect(verify).toHaveBeenCalledTimes(3)
    } finally {
      verify.mockRestore()
    }
  })

  it('doubles the back-off after each further failure, up to the cap, and lets the owner in once it has passed', async () => {
    const email = 'police-supervisor.thames@casebridge.example'
    const address = '2001:db8:1:2::50'
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date())
      for (let i = 0; i < 3; i++) await failure(signIn(email, 'not-the-password', address))
      const waits: number[] = []
      for (let i = 0; i < 7; i++) {
        const held = await failure(signIn(email, 'not-the-password', address))
        expect(held.status).toBe(429)
        const wait = held.details.retryAfterSeconds as number
        waits.push(wait)
        vi.setSystemTime(new Date(Date.now() + wait * 1000 - 1000))
        // Still held a second before the end, from any address in the same IPv6 /64.
        expect((await failure(signIn(email, TEST_PASSWORD, '2001:db8:1:2:ffff::1'))).status).toBe(429)
        vi.setSystemTime(new Date(Date.now() + 1000))
        expect((await failure(signIn(email, 'not-the-password', address))).status).toBe(401)
      }
      expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900])
      vi.setSystemTime(new Date(Date.now() + 900_000))
      await expect(signIn(email, TEST_PASSWORD, address)).resolves.toMatchObject({ email })
      // A success clears the count: the next failure is a free one again.
      expect((await failure(signIn(email, 'not-the-password', address))).status).toBe(401)
      await expect(signIn(email, TEST_PASSWORD, address)).resolves.toMatchObject({ email })
    } finally {
      vi.useRealTimers()
    }
  })

  it('limits one address across every account per minute, counting failures only, and keeps no email', async () => {
    const address = '198.51.100.99'
    const isva = 'isva.thames@casebridge.example'
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date())
      await expect(signIn(isva, TEST_PASSWORD, address)).resolves.toMatchObject({ email: isva })
      for (let i = 0; i < 20; i++)
        expect((await failure(signIn(`person${i}@example.org`, 'not-the-password', address))).status).toBe(401)
      const over = await failure(signIn(isva, TEST_PASSWORD, address))
      expect(over).toMatchObject({ status: 429, details: { retryAfterSeconds: 60 } })
      await expect(signIn(isva, TEST_PASSWORD, '198.51.100.98')).resolves.toMatchObject({ email: isva })
      vi.setSystemTime(new Date(Date.now() + 60_000))
      await expect(signIn(isva, TEST_PASSWORD, address)).resolves.toMatchObject({ email: isva })
      const rows = JSON.stringify(await world.database.db.selectFrom('sign_in_attempts').selectAll().execute())
      expect(rows).not.toMatch(/example\.org|casebridge|198\.51/)
      // A day after their last attempt the rows go (at the next attempt, at most every ten minutes).
      vi.setSystemTime(new Date(Date.now() + 25 * 60 * 60_000))
      await failure(signIn('someone@example.org', 'not-the-password', '192.0.2.250'))
      const left = await world.database.db
        .selectFrom('sign_in_attempts')
        .select('last_attempt_at')
        .where('last_attempt_at', '<', new Date(Date.now() - 24 * 60 * 60_000))
        .execute()
      expect(left).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('ends a session after the idle limit, and when the user is deactivated', async () => {
    const user = await world.services.accounts.signIn('prosecutor.avon@casebridge.example', TEST_PASSWORD, HOME)
    const { sessionId } = await world.services.accounts.startSession(user.id)
    expect(await world.services.accounts.resumeSession(sessionId)).toMatchObject({ user: { id: user.id } })
    await world.database.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('user_id', '=', user.id)
      .execute()
    expect(await world.services.accounts.resumeSession(sessionId)).toBeNull()
    const second = await world.services.accounts.startSession(user.id)
    await world.services.accounts.setActive(await world.as('admin'), user.id, false)
    expect(await world.services.accounts.resumeSession(second.sessionId)).toBeNull()
    await world.services.accounts.setActive(await world.as('admin'), user.id, true)
  })

  it('issues API tokens once, stores only a hash, and revokes them', async () => {
    const { id, token } = await world.services.accounts.createToken(
      'investigator.avon@casebridge.example',
      'test system',
    )
    expect(await world.services.accounts.authenticateToken(token)).toMatchObject({
      email: 'investigator.avon@casebridge.example',
    })
    const stored = await world.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(stored.token_hash).not.toContain(token)
    expect(await world.services.accounts.revokeToken(id)).toBe(true)
    expect(await world.services.accounts.authenticateToken(token)).toBeNull()
    expect(await world.services.accounts.revokeToken('not-a-uuid')).toBe(false)
  })

  it('adds users whose roles fit their organisation, and names every bad field', async () => {
    const admin = await world.as('admin')
    const bad = await failure(
      world.services.accounts.addUser(admin, {
        email: 'not-an-email',
        name: '',
        orgCode: 'kent',
        roles: ['wizard'],
        password: 'short',
      }),
    )
    expect(Object.keys(bad.fields).sort()).toEqual(['email', 'name', 'password', 'roles.0'])
    const misfit = await failure(
      world.services.accounts.addUser(admin, {
        email: 'new@kent.example',
        name: 'New',
        orgCode: 'kent',
        roles: ['prosecutor'],
        password: 'long-enough-password',
      }),
    )
    expect(misfit.fields.roles).toMatch(/not a role in/)
    const user = await world.services.accounts.addUser(admin, {
      email: 'New@Kent.example',
      name: 'New',
      orgCode: 'kent',
      roles: ['investigator'],
      password: 'long-enough-password',
    })
    expect(user.email).toBe('new@kent.example')
    const dup = await failure(
      world.services.accounts.addUser(admin, {
        email: 'new@kent.example',
        name: 'New',
        orgCode: 'kent',
        roles: ['investigator'],
        password: 'long-enough-password',
      }),
    )
    expect(dup.fields.email).toMatch(/already exists/)
  })
})

describe('audit log', () => {
  it('chains every row and verifies', async () => {
    expect(await world.services.repos.audit.verify()).toMatchObject({ ok: true })
  })

  it('writes the audit rows of concurrent reads together, each committed before the read answers', async () => {
    const ctx = await world.as('investigator', 'avon')
    const { detail } = await world.services.cases.recordReport(ctx, validReport())
    const reads = Array.from({ length: 40 }, (_, i) => ({ ...ctx, correlationId: `group-commit-${i}` }))
    await Promise.all(reads.map((read) => world.services.cases.get(read, detail.id)))
    // Each read's row is there, once, as soon as the read has answered, and the chain holds.
    const rows = await sql<{ correlation_id: string; tx: string }>`
      SELECT correlation_id, xmin::text AS tx FROM audit_log
      WHERE correlation_id LIKE 'group-commit-%' AND action = 'view_case'`.execute(world.database.db)
    expect(rows.rows.map((r) => r.correlation_id).sort()).toEqual(reads.map((r) => r.correlationId).sort())
    // Rows that arrived while a batch was being written went together: fewer transactions than reads.
    expect(new Set(rows.rows.map((r) => r.tx)).size).toBeLessThan(reads.length)
    expect(await world.services.repos.audit.verify()).toMatchObject({ ok: true })
  })

  it('fails every read whose row shares a batch with a row that cannot be written, and writes none of that batch', async () => {
    const audit = world.services.repos.audit
    const row = (correlationId: string, operation = 'consultation') => ({
      at: new Date().toISOString(),
      actorId: null,
      actorOrg: null,
      actorRole: null,
      operation: operation as 'consultation',
      action: 'view_case',
      recordType: 'case',
      recordIds: ['batch-test'],
      justification: 'Test',
      correlationId,
      resultCount: null,
      outcome: 'ok',
    })
    // The first starts a batch on its own; the next two wait and go together, and one of them breaks a constraint.
    const results = await Promise.allSettled([
      audit.append([row('batch-first')]),
      audit.append([row('batch-broken', 'not_an_operation')]),
      audit.append([row('batch-beside')]),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected'])
    await audit.append([row('batch-after')])
    const { rows } = await sql<{ correlation_id: string }>`
      SELECT correlation_id FROM audit_log WHERE correlation_id LIKE 'batch-%' ORDER BY id`.execute(world.database.db)
    expect(rows.map((r) => r.correlation_id)).toEqual(['batch-first', 'batch-after'])
    expect(await audit.verify()).toMatchObject({ ok: true })
  })

  it('refuses updates and deletes', async () => {
    await expect(sql`UPDATE audit_log SET action = 'tampered' WHERE id = 1`.execute(world.database.db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`DELETE FROM audit_log WHERE id = 1`.execute(world.database.db)).rejects.toThrow(/append-only/)
    await expect(sql`UPDATE case_events SET summary = 'x'`.execute(world.database.db)).rejects.toThrow(/immutable/)
  })

  it('names the first broken row when a row is tampered with behind the application’s back', async () => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(world.database.db)
    try {
      await sql`UPDATE audit_log SET justification = 'tampered' WHERE id = 5`.execute(world.database.db)
    } finally {
      await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(world.database.db)
    }
    expect(await world.services.repos.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: '5',
      reason: 'content does not match its hash',
    })
  })
})
