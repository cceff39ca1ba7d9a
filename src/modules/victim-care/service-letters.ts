import { z } from 'zod'
import { todayIso } from '../../core/fields'
import { checkLetter, LETTER_TEMPLATES } from './letters'
import type { RequestContext } from '../../services/context'
import { AppError, invalid, notFound } from '../../services/errors'
import { fieldErrors } from '../../core/fields'
import { type Data, letterInputSchema } from './inputs'
import type { VictimCareKernel } from './service-kernel'

/** Letters to a complainant: drafts merged from the case, plain English checks, sending, and a letter sent. */
export function victimLetters(kernel: VictimCareKernel) {
  const { repos, audit, cases, config, letterContext, draftOf, caseOf } = kernel

  return {
    /** The templates a complainant can be sent now, each merged from the case, with its checks. */
    async letterDrafts(ctx: RequestContext, id: string, personId: unknown) {
      await cases.requireInScope(ctx, id, 'draft_letter')
      if (typeof personId !== 'string' || personId === '')
        throw new AppError(400, 'invalid_input', 'Name the complainant', { complainantId: 'Send complainantId' })
      const { record, person, values, forbidden, own } = await letterContext(ctx, id, personId, 'draft_letter')
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'draft_letter',
        recordType: 'person',
        recordIds: [id, personId],
      })
      return {
        case: caseOf(record),
        complainant: { id: person.id, name: person.name },
        minimum: config.letterMinReadingEase,
        templates: LETTER_TEMPLATES.map((t) => {
          const unavailable = t.unavailable(record.facts, personId)
          const draft = draftOf(t, values)
          return {
            id: t.id,
            title: t.title,
            unavailable,
            draft,
            check: checkLetter(draft, config.letterMinReadingEase, forbidden, own),
          }
        }),
      }
    },

    /** Checks an edited letter without sending it. */
    async checkLetter(ctx: RequestContext, id: string, personId: string, letter: { subject: string; body: string }) {
      const { forbidden, own } = await letterContext(ctx, id, personId, 'draft_letter')
      return checkLetter(letter, config.letterMinReadingEase, forbidden, own)
    },

    /**
     * Sends a letter: checked (400 names the field), then recorded on the timeline exactly as sent (meeting the
     * entitlements its template tells about) and, by email, queued in the outbox for the complainant's safe address.
     */
    async sendLetter(ctx: RequestContext, id: string, body: unknown) {
      // Scope first: what the checks below find (a safe email address on file) must not answer a caller out of scope.
      await cases.requireInScope(ctx, id, 'send_letter')
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw invalid({ body: 'Send an object with the fields of this form' })
      const parsed = letterInputSchema.safeParse(body)
      const fields: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error)
      // Every problem at once: the letter's own checks run whenever there is a letter to check.
      const raw = body as Record<string, unknown>
      const complainantId = typeof raw.complainantId === 'string' ? raw.complainantId : ''
      // Who may send letters, and to whom, is checked before anything about the complainant is looked up.
      let mayWrite = false
      if (z.uuid().safeParse(complainantId).success) {
        const { forbidden, own } = await letterContext(ctx, id, complainantId, 'send_letter')
        mayWrite = true
        if (typeof raw.subject === 'string' && typeof raw.body === 'string') {
          const check = checkLetter(
            { subject: raw.subject, body: raw.body },
            config.letterMinReadingEase,
            forbidden,
            own,
          )
          for (const p of check.problems) fields[p.field] ??= p.message
        }
      }
      if (raw.channel === 'email' && mayWrite && !fields.complainantId) {
        const safe = await repos.db
          .selectFrom('safe_contact_details')
          .select('email')
          .where('person_id', '=', complainantId)
          .where('case_id', '=', id)
          .executeTakeFirst()
        if (!safe?.email) fields.channel = 'There is no safe email address for them: add one, or send it by post'
      }
      if (!parsed.success || Object.keys(fields).length > 0) throw invalid(fields)
      const input = parsed.data
      const result = await cases.applyEvent(
        ctx,
        id,
        {
          type: 'send_victim_letter',
          data: {
            complainantId: input.complainantId,
            template: input.template,
            channel: input.channel,
            subject: input.subject,
            body: input.body,
          },
          expectedVersion: input.expectedVersion,
          idempotencyKey: input.idempotencyKey,
        },
        true,
      )
      return { seq: result.seq, replayed: result.replayed, detail: result.detail }
    },

    /** A sent letter, exactly as sent, with its delivery state. */
    async letter(ctx: RequestContext, id: string, seq: number) {
      const record = await cases.victimRecord(ctx, id, 'view_letter')
      const event = record.events.find((e) => e.seq === seq && e.type === 'send_victim_letter')
      const data = (event?.data ?? {}) as Data
      if (!event || !record.people.some((p) => p.id === data.complainantId)) throw notFound()
      const outbox = await repos.db
        .selectFrom('notification_outbox')
        .select(['sent_at', 'attempts', 'last_error'])
        .where('case_id', '=', id)
        .where('event_seq', '=', seq)
        .executeTakeFirst()
      await audit.record(ctx, { operation: 'consultation', action: 'view_letter', recordType: 'case', recordIds: [id] })
      return {
        case: caseOf(record),
        seq,
        complainantId: String(data.complainantId),
        template: String(data.template),
        channel: String(data.channel),
        subject: String(data.subject),
        body: String(data.body),
        sentOn: todayIso(event.occurred_at),
        sentBy: event.actor_name,
        delivery:
          data.channel === 'post'
            ? { state: 'to_post' as const }
            : outbox?.sent_at
              ? { state: 'sent' as const, at: outbox.sent_at.toISOString() }
              : { state: 'waiting' as const, attempts: outbox?.attempts ?? 0, error: outbox?.last_error ?? null },
      }
    },
  }
}
