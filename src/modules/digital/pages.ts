import type { FastifyInstance } from 'fastify'
import {
  APPROVAL_DECISIONS,
  DATA_CATEGORIES,
  EXTRACTION_METHODS,
  FAIR_TRIAL_CONCLUSIONS,
  OUTSIDE_SCOPE,
  REVIEW_VIEWS,
} from './rules'
import { DIGITAL_EVENT_TYPES } from './events'
import { eventDefinition } from '../registry'
import { CONTACT_ROLES, optionText } from '../victim-care/rules'
import type { Services } from '../../services'
import { requireUser } from '../../web/plugins/auth'
import { caseNav, CLOCK_TAGS, clockStatusText, describeData, personLabel } from '../../web/pages/cases/routes'

type Params = { id: string }
const NO_REFERENCE = { outcome_types: new Map<string, string>(), offence_codes: new Map<string, string>() }
const textOf = (options: readonly { value: string; text: string }[], value: string | null) =>
  value === null ? null : optionText(options, value)

/** The events that act on one request now: those offered to the caller whose request field accepts it. */
function actionsFor(
  available: readonly { type: string; title: string }[],
  request: { number: number; state: string; kind: string },
) {
  return available.filter((e) => {
    const definition = eventDefinition(e.type)
    const f = definition?.fields.requestNumber
    if (!DIGITAL_EVENT_TYPES.has(e.type) || !f || f.ui.kind !== 'materialRequest') return false
    // Returning a device depends on whether it is held, not only on the request's state.
    return f.ui.states.includes(request.state) && (!f.ui.requestKind || f.ui.requestKind === request.kind)
  })
}

export function registerDigitalPages(app: FastifyInstance, services: Services) {
  app.get<{ Params: Params }>(
    '/cases/:id/digital',
    {
      preHandler: requireUser,
      config: { purpose: 'Work on requests for a complainant’s or witness’s device or records' },
    },
    async (request, reply) => {
      const record = await services.cases.digitalRecord(request.context('view digital evidence'), request.params.id)
      const detail = record.case
      const names = Object.fromEntries(detail.people.map((p) => [p.id, personLabel(p)]))
      const q = request.query as Record<string, unknown>
      const available = detail.availableEvents
      return reply.render('digital/views/digital.njk', {
        title: `Digital evidence, case ${detail.urn}`,
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'digital'),
        applied:
          typeof q.applied === 'string' ? await services.cases.appliedSummary(detail, q.applied, q.seq) : undefined,
        propose: available.find((e) => e.type === 'propose_material_request'),
        requests: record.requests.map((r) => {
          const told = detail.victimRequests.find((v) => v.number === r.number)
          return {
            ...r,
            owner: names[r.personId] ?? 'Person no longer on the case',
            // A complainant's written notice can be sent as a letter, filled in from this request.
            noticeLetter:
              r.state === 'approved' &&
              detail.people.some((p) => p.id === r.personId && p.role === 'complainant') &&
              request.user!.roles.some((role) => CONTACT_ROLES.includes(role)),
            told,
            actions: actionsFor(available, r).filter(
              (e) =>
                // Device steps depend on whether the police hold it; the rules say so on submit too.
                !(e.type === 'record_device_taken' && r.held) &&
                !(['record_extraction', 'record_device_returned'].includes(e.type) && !r.held) &&
                !(e.type === 'record_material_request_sent' && r.holderStatus !== null) &&
                !(e.type === 'record_holder_response' && r.holderStatus !== 'sent'),
            ),
            scopes: r.scopes.map((x) => ({
              stage: x.stage,
              from: x.date_from,
              to: x.date_to,
              categories: x.categories.map((c) => textOf(DATA_CATEGORIES, c)).join('; '),
              contacts: x.contacts,
              searchTerms: x.search_terms,
              recordedBy: x.recorded_by_name,
              decision: textOf(APPROVAL_DECISIONS, x.decision),
              review: textOf(REVIEW_VIEWS, x.review),
              noticeOn: x.notice_on,
              answer: x.answer,
              answeredOn: x.answered_on,
            })),
            spells: r.spells.map((x) => ({
              device: x.device,
              takenOn: x.taken_on,
              extractedOn: x.extracted_on,
              method: textOf(EXTRACTION_METHODS, x.method),
              outsideScope: textOf(OUTSIDE_SCOPE, x.outside_scope),
              returnedOn: x.returned_on,
            })),
            clocks: r.clocks.map((k) => ({ ...k, statusText: clockStatusText(k), tagClass: CLOCK_TAGS[k.status] })),
            fairTrial: textOf(FAIR_TRIAL_CONCLUSIONS, r.fairTrialConclusion),
            history: r.history.map((h) => ({
              ...h,
              title: eventDefinition(h.type)?.title ?? h.type,
              rows: describeData(h.type, h.data, names, NO_REFERENCE),
            })),
          }
        }),
      })
    },
  )
}
