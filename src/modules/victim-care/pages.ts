import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CONTACT_CHANNELS, optionText } from './rules'
import { WALKTHROUGH } from './walkthrough'
import { victimCareOf } from './service'
import type { Services } from '../../services'
import { AppError } from '../../services/errors'
import { requireUser } from '../../web/plugins/auth'
import { caseNav, CLOCK_TAGS, clockStatusText, describeData } from '../../web/pages/cases/routes'

type Params = { id: string; personId?: string }

const SECTIONS = [
  ['preferences', 'set_contact_preferences'],
  ['needs', 'record_needs_assessment'],
  ['withdrawal', 'record_withdrawal_of_support'],
] as const
const MEASURES = [
  ['eligibility', 'record_special_measures', 'Eligibility and wishes'],
  ['application', 'apply_special_measures', 'Application'],
  ['ruling', 'record_special_measures_ruling', 'Court’s ruling'],
  ['meeting', 'record_special_measures_meeting', 'Special measures meeting'],
] as const

const REVIEW_STAGES = {
  requested: 'waiting to be acknowledged or for local resolution',
  acknowledged: 'acknowledged, waiting for the review',
  independent_review: 'with the independent reviewer',
} as const

export function registerVictimCarePages(app: FastifyInstance, services: Services) {
  const victimCare = victimCareOf(services)

  app.get<{ Params: Params }>(
    '/cases/:id/victim-care',
    { preHandler: requireUser, config: { purpose: 'Look after a complainant: contact, entitlements and support' } },
    async (request, reply) => {
      const ctx = request.context('view victim care')
      const care = await victimCare.overview(ctx, request.params.id)
      const detail = care.case
      const names = Object.fromEntries(care.complainants.map((c) => [c.id, c.name ?? '']))
      const rows = (type: string, data: Record<string, unknown> | null) =>
        data
          ? describeData(type, data, names, { outcome_types: new Map(), offence_codes: new Map() }).filter(
              (r) => r.label !== 'Complainant',
            )
          : null
      const q = request.query as Record<string, unknown>
      return reply.render('victim-care/views/view.njk', {
        title: `Victim care, case ${detail.urn}`,
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'victim-care'),
        applied:
          typeof q.applied === 'string' ? await services.cases.appliedSummary(detail, q.applied, q.seq) : undefined,
        saved: q.saved === '1',
        complainants: care.complainants.map((c) => ({
          ...c,
          entitlements: c.entitlements.map((k) => ({
            ...k,
            statusText: clockStatusText(k),
            tagClass: CLOCK_TAGS[k.status],
          })),
          sections: Object.fromEntries(
            SECTIONS.map(([key, type]) => [
              key,
              c[key] ? { rows: rows(type, c[key]), recordedOn: c[key].recordedOn, by: c[key].by } : null,
            ]),
          ),
          measures: MEASURES.map(([key, type, heading]) => {
            const data = c.specialMeasures[key]
            return { heading, rows: rows(type, data), recordedOn: data?.recordedOn, by: data?.by }
          }),
          review: {
            ...c.review,
            schemesText: c.review.schemes.map((x) => (x === 'cps' ? 'CPS scheme' : 'police scheme')).join(' or the '),
            inProgressText: c.review.inProgress ? REVIEW_STAGES[c.review.inProgress.stage] : '',
            history: c.review.history.map((h) => ({ ...h, rows: rows(h.type, h.data) })),
          },
          referrals: c.referrals.map((r) => ({
            rows: rows('refer_to_support', r),
            recordedOn: r.recordedOn,
            by: r.by,
          })),
          contacts: c.contacts.map((k) => ({
            ...k,
            channelText:
              k.channel === 'letter_email'
                ? 'Letter by email'
                : k.channel === 'letter_post'
                  ? 'Letter by post'
                  : optionText(CONTACT_CHANNELS, k.channel),
          })),
          actions: care.actions.map((a) => ({
            ...a,
            href: `/cases/${detail.id}/events/${a.type}${a.aboutComplainant ? `?complainant=${c.id}` : ''}`,
          })),
        })),
      })
    },
  )

  app.get(
    '/walkthrough',
    { config: { purpose: 'Explain each stage of a case to the public' } },
    async (_request, reply) =>
      reply.render('victim-care/views/walkthrough-public.njk', {
        title: 'What happens after you report rape or sexual assault',
        guides: WALKTHROUGH,
      }),
  )

  app.get<{ Params: Params }>(
    '/cases/:id/victim-care/walkthrough/:personId',
    { preHandler: requireUser, config: { purpose: 'Prepare a walkthrough of their case for a complainant' } },
    async (request, reply) => {
      const ctx = request.context('prepare a walkthrough')
      const walkthrough = await victimCare.walkthrough(ctx, request.params.id, request.params.personId ?? '')
      const detail = walkthrough.case
      return reply.render('victim-care/views/walkthrough.njk', {
        title: `Walkthrough for a complainant, case ${detail.urn}`,
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'victim-care'),
        ...walkthrough,
      })
    },
  )

  const letterForm = async (
    request: FastifyRequest<{ Params: Params }>,
    input: { complainant: string; template: string },
    state: {
      values?: Record<string, string>
      errors?: Record<string, string>
      check?: { readingEase: number; problems: { field: string; message: string }[] }
    } = {},
  ) => {
    const ctx = request.context('write a letter')
    const drafts = await victimCare.letterDrafts(ctx, request.params.id, input.complainant)
    const template = drafts.templates.find((t) => t.id === input.template)
    if (!template) throw new AppError(404, 'not_found', 'Page not found')
    const detail = drafts.case
    const errors = state.errors ?? {}
    return {
      title: `${template.title}, case ${detail.urn}`,
      section: 'cases',
      backLink: `/cases/${detail.id}/victim-care`,
      detail,
      nav: caseNav(request, detail, 'victim-care'),
      complainant: drafts.complainant,
      template,
      minimum: drafts.minimum,
      check: state.check ?? template.check,
      values: state.values ?? { ...template.draft, channel: '' },
      errors,
      errorList: Object.entries(errors).map(([key, text]) => ({
        text,
        href: `#${key === 'channel' ? 'channel' : key}`,
      })),
      expectedVersion: detail.version,
      idempotencyKey: randomUUID(),
    }
  }

  app.get<{ Params: Params }>(
    '/cases/:id/victim-care/letters/new',
    { preHandler: requireUser, config: { purpose: 'Write a letter to a complainant' } },
    async (request, reply) => {
      const q = request.query as Record<string, unknown>
      return reply.render(
        'victim-care/views/letter-form.njk',
        await letterForm(request, { complainant: String(q.complainant ?? ''), template: String(q.template ?? '') }),
      )
    },
  )

  app.post<{ Params: Params }>(
    '/cases/:id/victim-care/letters',
    { preHandler: requireUser, config: { purpose: 'Send a letter to a complainant' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>
      const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '')
      const values = { subject: str('subject'), body: str('body'), channel: str('channel') }
      const input = { complainant: str('complainantId'), template: str('template') }
      if (body.action === 'check') {
        const check = await victimCare.checkLetter(
          request.context('check a letter'),
          request.params.id,
          input.complainant,
          values,
        )
        const errors: Record<string, string> = {}
        for (const p of check.problems) errors[p.field] ??= p.message
        return reply.render(
          'victim-care/views/letter-form.njk',
          await letterForm(request, input, { values, errors, check }),
        )
      }
      try {
        const expectedVersion = Number(str('expectedVersion'))
        await victimCare.sendLetter(request.context('send a letter'), request.params.id, {
          complainantId: input.complainant,
          template: input.template,
          channel: values.channel || undefined,
          subject: values.subject,
          body: values.body,
          expectedVersion: Number.isInteger(expectedVersion) && expectedVersion > 0 ? expectedVersion : 1,
          idempotencyKey: str('idempotencyKey').slice(0, 200) || undefined,
        })
        return reply.redirect(`/cases/${request.params.id}/victim-care?applied=send_victim_letter`, 303)
      } catch (error) {
        if (!(error instanceof AppError) || ![400, 409, 422].includes(error.status)) throw error
        const errors =
          error.status === 400
            ? Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k.replace(/^data\./, ''), v]))
            : { body: error.message }
        return reply.render(
          'victim-care/views/letter-form.njk',
          await letterForm(request, input, { values, errors }),
          error.status,
        )
      }
    },
  )

  app.get<{ Params: { id: string; seq: string } }>(
    '/cases/:id/victim-care/letters/:seq',
    { preHandler: requireUser, config: { purpose: 'Read a letter sent to a complainant' } },
    async (request, reply) => {
      const seq = Number(request.params.seq)
      if (!Number.isInteger(seq) || seq < 1 || seq > 1_000_000) throw new AppError(404, 'not_found', 'Page not found')
      const ctx = request.context('read a sent letter')
      const letter = await victimCare.letter(ctx, request.params.id, seq)
      const detail = letter.case
      const d = letter.delivery
      return reply.render('victim-care/views/letter.njk', {
        title: `${letter.subject}, case ${detail.urn}`,
        section: 'cases',
        backLink: `/cases/${detail.id}/victim-care`,
        detail,
        nav: caseNav(request, detail, 'victim-care'),
        letter,
        deliveryText:
          d.state === 'to_post'
            ? 'To print and post to their safe address'
            : d.state === 'sent'
              ? 'Emailed to their safe email address'
              : d.error
                ? `Email not sent yet (${d.error})`
                : 'Email waiting to be sent',
      })
    },
  )

  const contactPage = async (
    request: FastifyRequest<{ Params: Params }>,
    state: { body?: Record<string, unknown>; errors?: Record<string, string> } = {},
  ) => {
    const ctx = request.context('view safe contact details')
    const found = await victimCare.safeContact(ctx, request.params.id, request.params.personId ?? '')
    const detail = found.case
    const errors = state.errors ?? {}
    const value = (key: 'phone' | 'email' | 'address' | 'notes') =>
      state.body ? String(state.body[key] ?? '') : (found.details?.[key] ?? '')
    return {
      title: `Safe contact details, case ${detail.urn}`,
      section: 'cases',
      detail,
      nav: caseNav(request, detail, 'victim-care'),
      complainant: found.complainant,
      details: found.details,
      errors,
      errorList: Object.entries(errors).map(([key, text]) => ({ text, href: `#${key}` })),
      values: { phone: value('phone'), email: value('email'), address: value('address'), notes: value('notes') },
    }
  }

  app.get<{ Params: Params }>(
    '/cases/:id/victim-care/contact-details/:personId',
    { preHandler: requireUser, config: { purpose: 'Read how to reach a complainant safely' } },
    async (request, reply) => reply.render('victim-care/views/contact-details.njk', await contactPage(request)),
  )

  app.post<{ Params: Params }>(
    '/cases/:id/victim-care/contact-details/:personId',
    { preHandler: requireUser, config: { purpose: 'Change how to reach a complainant safely' } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>
      const input = Object.fromEntries(['phone', 'email', 'address', 'notes'].map((k) => [k, body[k]]))
      try {
        await victimCare.setSafeContact(
          request.context('change safe contact details'),
          request.params.id,
          request.params.personId ?? '',
          input,
        )
        return reply.redirect(`/cases/${request.params.id}/victim-care?saved=1`, 303)
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error
        return reply.render(
          'victim-care/views/contact-details.njk',
          await contactPage(request, { body, errors: error.fields }),
          400,
        )
      }
    },
  )
}
