import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services'
import { AppError } from '../../services/errors'
import { send } from '../../web/api/routes'
import { requireUser } from '../../web/plugins/auth'
import { victimCareOf } from './service'

type IdParams = { Params: { id: string } }

/** Victim care through the API (under /api/v1): the record, letters and safe contact details. */
export function registerVictimCareApi(api: FastifyInstance, services: Services) {
  api.get<IdParams>(
    '/cases/:id/victim-care',
    { preHandler: requireUser, config: { purpose: 'Read the victim care record of a case through the API' } },
    async (request) => victimCareOf(services).overview(request.context('view victim care'), request.params.id),
  )

  api.get<IdParams>(
    '/cases/:id/letters/drafts',
    { preHandler: requireUser, config: { purpose: 'Draft a letter to a complainant' } },
    async (request) => {
      const complainantId = (request.query as Record<string, unknown>).complainantId
      return victimCareOf(services).letterDrafts(request.context('draft a letter'), request.params.id, complainantId)
    },
  )

  api.post<IdParams>(
    '/cases/:id/letters',
    { preHandler: requireUser, config: { purpose: 'Send a letter to a complainant' } },
    async (request, reply) => {
      const result = await victimCareOf(services).sendLetter(
        request.context('send a letter'),
        request.params.id,
        request.body,
      )
      return send(reply, result.replayed ? 200 : 201, { seq: result.seq, case: result.detail }, result.replayed)
    },
  )

  api.get<{ Params: { id: string; seq: string } }>(
    '/cases/:id/letters/:seq',
    { preHandler: requireUser, config: { purpose: 'Read a letter sent to a complainant' } },
    async (request) => {
      const seq = Number(request.params.seq)
      if (!Number.isInteger(seq) || seq < 1 || seq > 1_000_000) throw new AppError(404, 'not_found', 'Not found')
      return victimCareOf(services).letter(request.context('read a sent letter'), request.params.id, seq)
    },
  )

  type PersonParams = { Params: { id: string; personId: string } }
  api.get<PersonParams>(
    '/cases/:id/people/:personId/safe-contact-details',
    { preHandler: requireUser, config: { purpose: 'Read how to reach a complainant safely' } },
    async (request) =>
      victimCareOf(services).safeContact(
        request.context('view safe contact details'),
        request.params.id,
        request.params.personId,
      ),
  )

  api.put<PersonParams>(
    '/cases/:id/people/:personId/safe-contact-details',
    { preHandler: requireUser, config: { purpose: 'Change how to reach a complainant safely' } },
    async (request, reply) => {
      const ctx = request.context('change safe contact details')
      await victimCareOf(services).setSafeContact(ctx, request.params.id, request.params.personId, request.body)
      return reply.code(204).send()
    },
  )
}
