import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { canSeeAnyCase } from '../../core/scope'
import type { Services } from '../../services'
import { AppError } from '../../services/errors'
import { requireUser } from '../plugins/auth'
import { sessionCookieOptions } from '../pages/sign-in/routes'
import { SESSION_COOKIE } from '../plugins/auth'
import { openApiDocument } from './openapi'

type IdParams = { Params: { id: string } }

function requireCaseRoles(request: FastifyRequest) {
  if (!canSeeAnyCase(request.user!))
    throw new AppError(403, 'forbidden', 'Your role does not give access to case records')
}

/** JSON API under /api/v1, the same services as the pages, the error shape of the public contract (docs/sources.md, "Public contract"). */
export function registerApi(api: FastifyInstance, services: Services) {
  const cases = services.cases
  let openApi: unknown

  api.get('/openapi.json', async () => (openApi ??= openApiDocument(services.config.version)))

  // Throttled by the accounts service, one count with the sign-in page (decision 0031).
  api.post('/session', async (request, reply) => {
    const body = request.body
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError(400, 'invalid_input', 'Send { "email", "password" } as JSON', { body: 'Send a JSON object' })
    }
    const { email, password } = body as Record<string, unknown>
    const user = await services.accounts.signIn(email, password, request.ip)
    const { sessionId, csrfToken } = await services.accounts.startSession(user.id)
    reply.setCookie(SESSION_COOKIE, sessionId, sessionCookieOptions(services))
    return reply.code(201).send({ user, csrfToken })
  })

  api.delete('/session', async (request, reply) => {
    if (request.session) await services.accounts.endSession(request.session.id)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  api.get('/tasks', { preHandler: requireUser, config: { purpose: 'Read my work queue' } }, async (request) => {
    const query = services.workQueue.parseQuery(request.query)
    return services.workQueue.list(request.context('read the work queue'), query)
  })

  api.get('/me', { preHandler: requireUser }, async (request) => ({
    user: request.user,
    authMethod: request.authMethod,
  }))

  api.get(
    '/cases',
    { preHandler: requireUser, config: { purpose: 'List and search cases through the API' } },
    async (request) => {
      requireCaseRoles(request)
      const query = cases.parseListQuery(request.query)
      return cases.list(request.context('list cases'), query)
    },
  )

  api.post(
    '/cases',
    { preHandler: requireUser, config: { purpose: 'Record a new report through the API' } },
    async (request, reply) => {
      const { detail, replayed } = await cases.recordReport(request.context('record report'), request.body)
      return send(reply, replayed ? 200 : 201, detail, replayed)
    },
  )

  api.get<IdParams>(
    '/cases/:id',
    { preHandler: requireUser, config: { purpose: 'Read a case through the API' } },
    async (request) => cases.get(request.context('view case'), request.params.id),
  )

  api.post<IdParams>(
    '/cases/:id/events',
    { preHandler: requireUser, config: { purpose: 'Record an event on a case through the API' } },
    async (request, reply) => {
      const { detail, replayed, seq } = await cases.applyEvent(
        request.context('apply event'),
        request.params.id,
        request.body,
      )
      return send(reply, replayed ? 200 : 201, { ...detail, appliedEvent: { seq } }, replayed)
    },
  )

  api.get<IdParams>(
    '/cases/:id/timeline',
    { preHandler: requireUser, config: { purpose: 'Read the timeline of a case through the API' } },
    async (request) => cases.timeline(request.context('view timeline'), request.params.id),
  )

  api.get<IdParams>(
    '/cases/:id/deadlines',
    { preHandler: requireUser, config: { purpose: 'Read the deadlines of a case through the API' } },
    async (request) => cases.deadlines(request.context('view deadlines'), request.params.id),
  )

  api.get<IdParams>(
    '/cases/:id/material-requests',
    {
      preHandler: requireUser,
      config: { purpose: 'Read the requests for a person’s device or records on a case through the API' },
    },
    async (request) => {
      const record = await services.cases.digitalRecord(request.context('view digital evidence'), request.params.id)
      return {
        case: { id: record.case.id, urn: record.case.urn, stage: record.case.stage, version: record.case.version },
        requests: record.requests.map((r) => ({
          ...r,
          told: record.case.victimRequests.find((v) => v.number === r.number) ?? null,
        })),
      }
    },
  )

  api.get<IdParams>(
    '/cases/:id/access-log',
    { preHandler: requireUser, config: { purpose: 'Supervise who read or changed a case' } },
    async (request) => cases.accessLog(request.context('view access log'), request.params.id),
  )
}

export function send(reply: FastifyReply, status: number, body: unknown, replayed: boolean) {
  if (replayed) reply.header('idempotent-replayed', 'true')
  return reply.code(status).send(body)
}
