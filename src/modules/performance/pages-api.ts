import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services'
import { requireUser } from '../../web/plugins/auth'
import { BREAKDOWNS } from './breakdowns'
import { performanceOf } from './service'

type IdParams = { Params: { id: string } }

/** The joint performance measures through the API (under /api/v1): the catalogue and one measure by a breakdown. */
export function registerPerformanceApi(api: FastifyInstance, services: Services) {
  const measureOpts = { preHandler: requireUser, config: { purpose: 'Read joint performance figures' } }
  api.get('/measures', measureOpts, async () => ({
    measures: performanceOf(services).catalogue(),
    breakdowns: Object.entries(BREAKDOWNS).map(([id, b]) => ({ id, label: b.label })),
  }))
  api.get<IdParams>('/measures/:id', measureOpts, async (request) =>
    performanceOf(services).read(request.context('read measure'), request.params.id, request.query, 'api'),
  )
}
