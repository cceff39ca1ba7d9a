import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Services } from '../../services'
import { requireUser } from '../../web/plugins/auth'
import { advocatesOf } from './service'

type IdParams = { Params: { id: string } }

/** The RASSO advocate panel through the API (under /api/v1): list, add, read and change an advocate. */
export function registerAdvocatesApi(api: FastifyInstance, services: Services) {
  const advocates = advocatesOf(services)
  const advocateOpts = (purpose: string) => ({ preHandler: requireUser, config: { purpose } })
  api.get('/advocates', advocateOpts('See the RASSO advocate panel through the API'), async (request) => ({
    advocates: await advocates.list(request.context('list advocates')),
  }))
  api.post('/advocates', advocateOpts('Add an advocate to the panel through the API'), async (request, reply) => {
    const ctx = request.context('add advocate')
    const id = await advocates.add(ctx, request.body)
    return reply.code(201).send(await advocates.get(ctx, id))
  })
  api.get<IdParams>('/advocates/:id', advocateOpts('See an advocate through the API'), async (request) =>
    advocates.get(request.context('view advocate'), request.params.id),
  )
  const change = (
    method: 'put' | 'post',
    path: string,
    save: (ctx: ReturnType<FastifyRequest['context']>, id: string, body: unknown) => Promise<void>,
  ) =>
    api[method]<IdParams>(
      `/advocates/:id/${path}`,
      advocateOpts('Change an advocate through the API'),
      async (request) => {
        const ctx = request.context(`change advocate: ${path}`)
        await save(ctx, request.params.id, request.body)
        return advocates.get(ctx, request.params.id)
      },
    )
  change('put', 'membership', advocates.updateMembership)
  change('post', 'training', advocates.addTraining)
  change('post', 'unavailability', advocates.addUnavailability)
  change('post', 'conflicts', advocates.addConflict)
}
