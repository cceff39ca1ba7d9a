import type { FastifyInstance } from 'fastify'
import { disclosureOf } from './service'
import { DISCLOSURE_EVENT_TYPES, ITEM_DECISIONS, itemRef, SCHEDULES, SERVICE_STAGES } from './rules'
import { optionText } from '../victim-care/rules'
import type { Services } from '../../services'
import { requireUser } from '../../web/plugins/auth'
import { caseNav, CLOCK_TAGS, clockStatusText, describeData } from '../../web/pages/cases/routes'

type Params = { id: string }
const NO_REFERENCE = { outcome_types: new Map<string, string>(), offence_codes: new Map<string, string>() }
const DOCUMENTS = [
  { key: 'imd', type: 'record_imd', title: 'Investigation management document (police)' },
  { key: 'dmd', type: 'record_dmd', title: 'Disclosure Management Document (CPS)' },
] as const

export function registerDisclosurePages(app: FastifyInstance, services: Services) {
  app.get<{ Params: Params }>(
    '/cases/:id/disclosure',
    { preHandler: requireUser, config: { purpose: 'Work on the disclosure of unused material in a case' } },
    async (request, reply) => {
      const record = await disclosureOf(services).record(request.context('view disclosure'), request.params.id)
      const detail = record.case
      const q = request.query as Record<string, unknown>
      const available = detail.availableEvents.filter((e) => DISCLOSURE_EVENT_TYPES.has(e.type))
      return reply.render('disclosure/views/disclosure.njk', {
        title: `Disclosure, case ${detail.urn}`,
        section: 'cases',
        detail,
        nav: caseNav(request, detail, 'disclosure'),
        applied:
          typeof q.applied === 'string' ? await services.cases.appliedSummary(detail, q.applied, q.seq) : undefined,
        actions: available,
        clocks: record.clocks.map((k) => ({ ...k, statusText: clockStatusText(k), tagClass: CLOCK_TAGS[k.status] })),
        schedules: SCHEDULES.map((s) => ({
          ...s,
          versions: record.versions
            .filter((v) => v.schedule === s.value)
            .map((v) => {
              const own = record.versionEvents.find((e) => e.seq === v.prepared_seq)
              return {
                version: v.version,
                nil: v.nil,
                added: v.added,
                amended: v.amended,
                preparedBy: v.prepared_by_name,
                preparedOn: v.prepared_on,
                signedOffBy: v.signed_off_by_name,
                signedOffOn: v.signed_off_on,
                amendments: ((own?.data.amendments ?? []) as Record<string, unknown>[]).map((a) => ({
                  ref: String(a.itemRef),
                  why: String(a.why ?? ''),
                })),
              }
            }),
          items: record.items
            .filter((i) => i.schedule === s.value)
            .map((i) => ({
              ref: itemRef(i.schedule, i.number),
              description: i.description,
              reason: i.reason,
              addedVersion: i.added_version,
              amendedVersion: i.amended_version,
              decision: i.decision ? optionText(ITEM_DECISIONS, i.decision) : null,
              decisionReason: i.decision_reason,
              servedOn: i.served_on,
            })),
        })),
        milestones: record.milestones.map((m) => ({
          text: m.kind === 'defence_statement' ? 'Defence statement received' : optionText(SERVICE_STAGES, m.kind),
          on: m.on_date,
        })),
        documents: DOCUMENTS.map((d) => {
          const versions = record.documents[d.key]
          return {
            ...d,
            versions: versions.map((v) => ({ ...v, rows: describeData(d.type, v.data, {}, NO_REFERENCE) })).reverse(),
          }
        }),
      })
    },
  )
}

/** The disclosure record through the API (GET /api/v1/cases/{id}/disclosure). */
export function registerDisclosureApi(api: FastifyInstance, services: Services) {
  api.get<{ Params: Params }>(
    '/cases/:id/disclosure',
    { preHandler: requireUser, config: { purpose: 'Read the disclosure record of a case through the API' } },
    async (request) => {
      const record = await disclosureOf(services).record(request.context('view disclosure'), request.params.id)
      return {
        case: { id: record.case.id, urn: record.case.urn, stage: record.case.stage, version: record.case.version },
        versions: record.versions,
        items: record.items.map((i) => ({ ref: itemRef(i.schedule, i.number), ...i })),
        milestones: record.milestones,
        documents: record.documents,
        clocks: record.clocks,
      }
    },
  )
}
