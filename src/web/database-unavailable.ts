import type { FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../data/database-availability'
import type { Services } from '../services'
import { isApi } from './plugins/auth'

/** Seconds a client is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 30

const PAGE = {
  title: 'Sorry, the service is unavailable',
  paragraphs: [
    'The service cannot reach its database at the moment. This usually lasts a few minutes.',
    'Try again later. Nothing you entered has been half-saved: either all of it was saved or none of it.',
  ],
}

const MESSAGE = 'The service cannot reach its database at the moment. Try again in a few minutes.'

/**
 * Answers a request that failed because the database is away (restarting, failing over, refusing connections):
 * 503 with Retry-After, the "service unavailable" page for people and `database_unavailable` for the API. Returns
 * undefined for any other error, which the caller handles as before.
 */
export function replyIfDatabaseUnavailable(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (!isDatabaseUnavailable(error)) return undefined
  const code = (error as { code?: unknown }).code
  // The code only: a message can name the database, the host or a user.
  request.log.warn({ err: { code: typeof code === 'string' ? code : 'connection_lost' } }, 'database unavailable')
  reply.header('retry-after', String(RETRY_AFTER_SECONDS))
  if (isApi(request) || !request.method) {
    return reply.code(503).send({ error: { code: 'database_unavailable', message: MESSAGE, fields: {} } })
  }
  return reply.render('error.njk', PAGE, 503)
}

/** `/health`: 200 when the database answers within a couple of seconds, else 503 saying why (by code, not message). */
export async function healthReport(services: Services) {
  const state = await services.health()
  return {
    statusCode: state.reachable ? 200 : 503,
    body: {
      status: state.reachable ? 'ok' : 'unavailable',
      database: state.reachable ? 'reachable' : 'unreachable',
      ...(state.reachable ? {} : { reason: state.reason }),
      engine: state.engine,
      version: services.config.version,
    },
  }
}
