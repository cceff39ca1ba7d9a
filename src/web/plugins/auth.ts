import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../../services'
import type { AuthUser, RequestContext } from '../../services/context'
import { AppError } from '../../services/errors'

export const SESSION_COOKIE = 'casebridge_session'
export const PRE_SESSION_CSRF_COOKIE = 'casebridge_signin'

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null
    session: { id: string; idHash: string; csrfToken: string; data: Record<string, unknown> } | null
    authMethod: 'session' | 'token' | null
    context(purpose: string): RequestContext
  }
  interface FastifyContextConfig {
    /** Why the route reads or changes data: recorded as the justification of each audit row. */
    purpose?: string
  }
}

export const isApi = (request: FastifyRequest) => request.url.startsWith('/api/')

export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false
  return timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

/** Works out who is calling: a bearer token (systems) or the session cookie (people). */
export function registerAuth(app: FastifyInstance, services: Services) {
  app.decorateRequest('user', null)
  app.decorateRequest('session', null)
  app.decorateRequest('authMethod', null)
  app.decorateRequest('context', function (this: FastifyRequest, purpose: string): RequestContext {
    if (!this.user) throw new AppError(401, 'unauthenticated', 'Sign in first')
    return { user: this.user, purpose: this.routeOptions.config.purpose ?? purpose, correlationId: String(this.id) }
  })

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/') || request.url === '/health') return
    const header = request.headers.authorization
    if (header?.startsWith('Bearer ') && isApi(request)) {
      const user = await services.accounts.authenticateToken(header.slice(7).trim())
      if (!user) throw new AppError(401, 'invalid_token', 'The API token is not valid or has been revoked')
      request.user = user
      request.authMethod = 'token'
      return
    }
    const signed = request.cookies[SESSION_COOKIE]
    if (!signed) return
    const unsigned = request.unsignCookie(signed)
    if (!unsigned.valid || !unsigned.value) return
    const session = await services.accounts.resumeSession(unsigned.value)
    if (!session) return
    request.user = session.user
    request.authMethod = 'session'
    request.session = { id: unsigned.value, idHash: session.idHash, csrfToken: session.csrfToken, data: session.data }
  })

  // CSRF: every form post made with a session carries the session's token. API calls with the session cookie must
  // be JSON, which a cross-site form cannot send; token-authenticated calls carry no cookie to abuse.
  app.addHook('preHandler', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return
    if (request.authMethod === 'token') return
    if (isApi(request)) {
      if (request.body !== undefined && !String(request.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new AppError(400, 'json_required', 'Send the request body as application/json', {
          body: 'Send JSON with the header content-type: application/json',
        })
      }
      return
    }
    if (request.url === '/sign-in') return // checked against the pre-session cookie by the sign-in route
    const token = (request.body as Record<string, unknown> | undefined)?._csrf
    if (!request.session || !sameToken(token, request.session.csrfToken)) {
      throw new AppError(403, 'csrf', 'This form has expired. Go back, reload the page and try again.')
    }
  })
}

export async function requireUser(request: FastifyRequest, reply: FastifyReply) {
  if (request.user) return
  if (isApi(request)) throw new AppError(401, 'unauthenticated', 'Sign in or send an API token')
  return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url.split('?')[0] ?? '/')}`, 303)
}
