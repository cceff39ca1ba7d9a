import { createHmac } from 'node:crypto'
import { sql } from 'kysely'
import { type Config, NOTIFY_KEY_PATTERN } from '../config'
import type { Repositories } from '../data'

/** Where emails go: GOV.UK Notify when it is configured. Without it, emails stay in the outbox for the admin page. */
export interface EmailSender {
  name: string
  send(email: { to: string; subject: string; body: string; reference: string }): Promise<void>
}

export class SendError extends Error {
  constructor(
    message: string,
    /** Worth trying again later (a network fault, a rate limit or a server error). */
    readonly retry: boolean,
  ) {
    super(message)
  }
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** The bearer token Notify asks for: a JWT signed with the key's secret, naming the service, issued now. */
export function notifyToken(apiKey: string, now: Date = new Date()): string {
  const match = NOTIFY_KEY_PATTERN.exec(apiKey)
  if (!match) throw new Error('Not a GOV.UK Notify API key')
  const [, serviceId, secret] = match
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))
  const payload = base64url(JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) }))
  const signature = createHmac('sha256', secret!).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

/** GOV.UK Notify's email API (POST /v2/notifications/email) with a template that has ((subject)) and ((body)). */
export function notifyEmailSender(notify: NonNullable<Config['notify']>): EmailSender {
  return {
    name: 'GOV.UK Notify',
    async send({ to, subject, body, reference }) {
      let response: Response
      try {
        response = await fetch(`${notify.baseUrl}/v2/notifications/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${notifyToken(notify.apiKey)}` },
          body: JSON.stringify({
            email_address: to,
            template_id: notify.templateId,
            personalisation: { subject, body },
            reference,
          }),
          signal: AbortSignal.timeout(10_000),
        })
      } catch (error) {
        throw new SendError(`Notify could not be reached (${(error as Error).name})`, true)
      }
      if (response.ok) return
      // Notify's errors name the problem by type (BadRequestError, AuthError, RateLimitError); the message may
      // quote the address, so only the status and the error type are kept.
      const answer = (await response.json().catch(() => ({}))) as { errors?: { error?: string }[] }
      const kind = answer.errors?.[0]?.error ?? 'unknown error'
      throw new SendError(
        `Notify answered ${response.status} ${kind}`,
        response.status === 429 || response.status >= 500,
      )
    },
  }
}

const MAX_ATTEMPTS = 5
const BATCH = 20

/**
 * Sends waiting emails from the outbox to the active people who hold the recipient role in the organisation.
 * Rows are claimed with `SKIP LOCKED` and an attempt stamp, so processes running at once never send a row twice,
 * and no transaction is held open while Notify is called. A failed row is tried again later, up to 5 times.
 */
export function notificationsService(repos: Repositories, sender: EmailSender | null) {
  const db = repos.db
  return {
    sender: sender?.name ?? null,

    /** The latest notifications, sent or waiting, newest first (the administrators' outbox page). */
    latest: (limit: number) =>
      db.selectFrom('notification_outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute(),

    /** Sends everything waiting, a batch at a time (at most 50 batches a run, so one run cannot go on for ever). */
    async dispatch(): Promise<{ sent: number; failed: number }> {
      const total = { sent: 0, failed: 0 }
      if (!sender) return total
      for (let batch = 0; batch < 50; batch++) {
        const { claimed, sent, failed } = await sendBatch(sender)
        total.sent += sent
        total.failed += failed
        if (claimed < BATCH) break
      }
      return total
    },
  }

  async function sendBatch(sender: EmailSender) {
    const claimed = await db
      .updateTable('notification_outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_attempt_at: new Date() }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('notification_outbox')
          .select('id')
          .where('channel', 'in', ['email', 'victim_email'])
          .where('sent_at', 'is', null)
          .where('attempts', '<', MAX_ATTEMPTS)
          .where((w) =>
            w.or([
              w('last_attempt_at', 'is', null),
              w('last_attempt_at', '<', sql<Date>`now() - interval '10 minutes'`),
            ]),
          )
          .orderBy('created_at')
          .limit(BATCH)
          .forUpdate()
          .skipLocked(),
      )
      .returning([
        'id',
        'channel',
        'recipient_role',
        'org_code',
        'subject',
        'body',
        'case_id',
        'person_id',
        'event_seq',
      ])
      .execute()
    let sent = 0
    let failed = 0
    for (const row of claimed) {
      try {
        const { people, subject, body } = row.channel === 'victim_email' ? await victimLetter(row) : await staff(row)
        for (const person of people) {
          await sender.send({ to: person.email, subject, body, reference: row.id })
        }
        await db
          .updateTable('notification_outbox')
          .set({ sent_at: new Date(), delivered_to: people.length, last_error: null })
          .where('id', '=', row.id)
          .execute()
        sent++
      } catch (error) {
        failed++
        const retry = error instanceof SendError ? error.retry : false
        await db
          .updateTable('notification_outbox')
          .set({
            last_error: error instanceof SendError ? error.message : 'Sending failed',
            ...(!retry && { attempts: MAX_ATTEMPTS }),
          })
          .where('id', '=', row.id)
          .execute()
      }
    }
    return { claimed: claimed.length, sent, failed }
  }

  /** A staff notification goes to every active person holding the role in the organisation. */
  async function staff(row: { org_code: string; recipient_role: string; subject: string; body: string }) {
    const people = await db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select('u.email')
      .where('u.org_code', '=', row.org_code)
      .where('r.role', '=', row.recipient_role)
      .where('u.active', '=', true)
      .execute()
    return { people, subject: row.subject, body: row.body }
  }

  /** A letter to a complainant: the text as sent, from its timeline row; the address from their safe contact details. */
  async function victimLetter(row: { case_id: string | null; person_id: string | null; event_seq: number | null }) {
    const [letter, safe] = await Promise.all([
      db
        .selectFrom('case_events')
        .select('data')
        .where('case_id', '=', row.case_id!)
        .where('seq', '=', row.event_seq!)
        .where('type', '=', 'send_victim_letter')
        .executeTakeFirst(),
      db.selectFrom('safe_contact_details').select('email').where('person_id', '=', row.person_id!).executeTakeFirst(),
    ])
    if (!letter) throw new SendError('The letter was not found on the timeline', false)
    if (!safe?.email) throw new SendError('There is no safe email address for the complainant', false)
    const data = letter.data as { subject: string; body: string }
    return { people: [{ email: safe.email }], subject: data.subject, body: data.body }
  }
}

export type NotificationsService = ReturnType<typeof notificationsService>
