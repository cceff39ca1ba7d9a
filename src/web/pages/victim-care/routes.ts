import type { FastifyInstance, FastifyRequest } from 'fastify'
import { eventDefinition } from '../../../domain/events'
import { CONTACT_CHANNELS, optionText, VICTIM_EVENT_TYPES } from '../../../domain/victim-care'
import { WALKTHROUGH } from '../../../domain/walkthrough'
import type { Services } from '../../../services'
import { AppError } from '../../../services/errors'
import { requireUser } from '../../plugins/auth'
import { caseNav, CLOCK_TAGS, clockStatusText, describeData } from '../cases/routes'

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
  const { cases, victimCare } = services

  app.get<{ Params: Params }>(
    '/cases/:id/victim-care',
    { preHandler: requireUser, config: { purpose: 'Look after a complainant: contact, entitlements and support' } },
    async (request, reply) => {
      const ctx = request.context('view victim care')
      const care = await victimCare.overview(ctx, request.params.id)
      const detail = await cases.get(ctx, request.params.id)
      const names = Object.fromEntries(care.complainants.map((c) => [c.id, c.name ?? '']))
      const rows = (type: string, data: Record<string, unknown> | null) =>
        data
          ? describeData(type, data, names, { outcome_types: new Map(), offence_codes: new Map() }).filter(
              (r) => r.label !== 'Complainant',
            )
          : null
      const actions = detail.availableEvents.filter((e) => VICTIM_EVENT_TYPES.has(e.type))
      const q = request.query as Record<string, unknown>
      return reply.render('victim-care/view.njk', {
        title: `Victim care, case ${detail.urn}`,
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'victim-care'),
        applied: typeof q.applied === 'string' ? eventDefinition(q.applied)?.summary({}) : undefined,
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
          contacts: c.contacts.map((k) => ({ ...k, channelText: optionText(CONTACT_CHANNELS, k.channel) })),
          actions: actions.map((a) => ({
            ...a,
            href: `/cases/${detail.id}/events/${a.type}${'complainantId' in (eventDefinition(a.type)?.fields ?? {}) ? `?complainant=${c.id}` : ''}`,
          })),
        })),
      })
    },
  )

  app.get(
    '/walkthrough',
    { config: { purpose: 'Explain each stage of a case to the public' } },
    async (_request, reply) =>
      reply.render('victim-care/walkthrough-public.njk', {
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
      const detail = await cases.get(ctx, request.params.id)
      return reply.render('victim-care/walkthrough.njk', {
        title: `Walkthrough for a complainant, case ${detail.urn}`,
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'victim-care'),
        ...walkthrough,
      })
    },
  )

  const contactPage = async (
    request: FastifyRequest<{ Params: Params }>,
    state: { body?: Record<string, unknown>; errors?: Record<string, string> } = {},
  ) => {
    const ctx = request.context('view safe contact details')
    const found = await victimCare.safeContact(ctx, request.params.id, request.params.personId ?? '')
    const detail = await cases.get(ctx, request.params.id)
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
    async (request, reply) => reply.render('victim-care/contact-details.njk', await contactPage(request)),
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
        return reply
          .status(400)
          .render('victim-care/contact-details.njk', await contactPage(request, { body, errors: error.fields }))
      }
    },
  )
}
