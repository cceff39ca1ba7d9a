import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseWithActionPlan, createWorld, type TestWorld, validReport } from '../helpers/database'
import { victimCareOf } from '../../src/modules/victim-care/service'

/**
 * GOV.UK Notify cannot be reached from here, so a local HTTP server stands in for its email endpoint and checks
 * what Notify checks: the JWT signed with the key's secret and naming the service, and the request body.
 */
const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506'
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0'
const API_KEY = `casebridge_test-${SERVICE_ID}-${SECRET}`
const TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a'

interface Received {
  authorised: boolean
  body: { email_address: string; template_id: string; personalisation: Record<string, string>; reference: string }
}
const received: Received[] = []
let answer: { status: number; body: unknown } = { status: 201, body: { id: 'n1' } }
let server: http.Server
let world: TestWorld

function verify(header: string | undefined): boolean {
  const token = header?.replace(/^Bearer /, '') ?? ''
  const [head, payload, signature] = token.split('.')
  if (!head || !payload || !signature) return false
  const expected = createHmac('sha256', SECRET).update(`${head}.${payload}`).digest('base64url')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss: string; iat: number }
  return expected === signature && claims.iss === SERVICE_ID && Math.abs(claims.iat - Date.now() / 1000) < 30
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let data = ''
    request.on('data', (chunk: Buffer) => (data += chunk.toString()))
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v2/notifications/email') {
        received.push({ authorised: verify(request.headers.authorization), body: JSON.parse(data) as Received['body'] })
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(answer.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  world = await createWorld({
    NOTIFY_API_KEY: API_KEY,
    NOTIFY_EMAIL_TEMPLATE_ID: TEMPLATE,
    NOTIFY_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    PUBLIC_URL: 'https://casebridge.example.gov.uk',
  })
})
afterAll(async () => {
  await world?.close()
  await new Promise((resolve) => server.close(resolve))
})

const outbox = (caseId: string) =>
  world.database.db
    .selectFrom('notification_outbox as n')
    .innerJoin('tasks as t', 't.id', 'n.task_id')
    .select(['n.id', 'n.channel', 'n.recipient_role', 'n.sent_at', 'n.delivered_to', 'n.attempts', 'n.last_error'])
    .where('t.case_id', '=', caseId)
    .where('n.channel', '=', 'email')
    .execute()

describe('emails through GOV.UK Notify', () => {
  it('sends each escalation email once to the people holding the role, signed as Notify asks', async () => {
    await world.database.db.updateTable('notification_outbox').set({ sent_at: new Date() }).execute()
    const c = await caseWithActionPlan(world)
    received.length = 0
    const result = await world.services.scheduler.tick('2027-03-01')
    expect(result.emailsSent).toBeGreaterThanOrEqual(1)
    const rows = await outbox(c.id)
    expect(rows).toEqual([expect.objectContaining({ recipient_role: 'investigator', delivered_to: 1, attempts: 1 })])
    expect(rows[0]!.sent_at).toBeInstanceOf(Date)
    const mine = received.filter((r) => r.body.reference === rows[0]!.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      authorised: true,
      body: {
        email_address: 'investigator.avon@casebridge.example',
        template_id: TEMPLATE,
        personalisation: {
          subject: 'Reminder: an action plan item is due',
          body: expect.stringContaining(`https://casebridge.example.gov.uk/cases/${c.id}`),
        },
      },
    })
    // Names never travel: the email names the case by URN only.
    expect(JSON.stringify(mine)).not.toContain('Test Complainant')
    // Sending again, or from two processes at once, sends nothing twice.
    const [a, b] = await Promise.all([world.services.notifications.dispatch(), world.services.notifications.dispatch()])
    expect(a.sent + b.sent).toBe(0)
    expect(received.filter((r) => r.body.reference === rows[0]!.id)).toHaveLength(1)
  })

  it('keeps a refused email with the reason (never the address) and does not retry a bad request', async () => {
    const c = await caseWithActionPlan(world)
    answer = {
      status: 400,
      body: {
        status_code: 400,
        errors: [
          { error: 'BadRequestError', message: 'Can’t send to this recipient: investigator.avon@casebridge.example' },
        ],
      },
    }
    try {
      await world.services.scheduler.tick('2027-03-01')
    } finally {
      answer = { status: 201, body: { id: 'n2' } }
    }
    const [row] = await outbox(c.id)
    expect(row).toMatchObject({ sent_at: null, last_error: 'Notify answered 400 BadRequestError', attempts: 5 })
    expect(row!.last_error).not.toContain('@')
    expect((await world.services.notifications.dispatch()).sent).toBe(0)
  })

  it('tries a server error again later', async () => {
    const c = await caseWithActionPlan(world)
    answer = { status: 500, body: { errors: [{ error: 'Exception' }] } }
    try {
      await world.services.scheduler.tick('2027-03-01')
    } finally {
      answer = { status: 201, body: { id: 'n3' } }
    }
    const [row] = await outbox(c.id)
    expect(row).toMatchObject({ sent_at: null, attempts: 1, last_error: 'Notify answered 500 Exception' })
    // Not again within ten minutes; once the wait has passed it is sent.
    expect((await world.services.notifications.dispatch()).sent).toBe(0)
    await world.database.db
      .updateTable('notification_outbox')
      .set({ last_attempt_at: new Date(Date.now() - 11 * 60_000) })
      .where('id', '=', row!.id)
      .execute()
    expect((await world.services.notifications.dispatch()).sent).toBe(1)
    expect((await outbox(c.id))[0]).toMatchObject({ attempts: 2, last_error: null, delivered_to: 1 })
  })
})

describe('letters to a complainant through GOV.UK Notify', () => {
  it('emails the letter as sent to the safe address, read at sending time; the outbox row holds neither', async () => {
    const inv = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(inv, validReport())
    const complainant = detail.people.find((p) => p.role === 'complainant')!.id
    await victimCareOf(world.services).setSafeContact(inv, detail.id, complainant, { email: 'safe.letter@example.com' })
    const drafts = await victimCareOf(world.services).letterDrafts(inv, detail.id, complainant)
    const hello = drafts.templates.find((t) => t.id === 'hello')!
    received.length = 0
    const sent = await victimCareOf(world.services).sendLetter(inv, detail.id, {
      complainantId: complainant,
      template: 'hello',
      channel: 'email',
      ...hello.draft,
      expectedVersion: detail.version,
    })
    const [row] = await world.database.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('case_id', '=', detail.id)
      .execute()
    expect(row).toMatchObject({ channel: 'victim_email', event_seq: sent.seq, subject: '', body: '' })
    expect(JSON.stringify(row)).not.toContain('safe.letter@example.com')
    // Only the letter is waiting: the escalation emails went at the earlier ticks.
    expect(await world.services.notifications.dispatch()).toEqual({ sent: 1, failed: 0 })
    expect(received.filter((r) => r.body.reference === row!.id)).toEqual([
      {
        authorised: true,
        body: expect.objectContaining({
          email_address: 'safe.letter@example.com',
          personalisation: { subject: hello.draft.subject, body: hello.draft.body },
        }),
      },
    ])
    const letter = await victimCareOf(world.services).letter(inv, detail.id, sent.seq)
    expect(letter.delivery.state).toBe('sent')
  })
})
