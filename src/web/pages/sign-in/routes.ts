import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { canSeeAnyCase } from '../../../core/scope'
import type { Services } from '../../../services'
import { AppError } from '../../../services/errors'
import { PRE_SESSION_CSRF_COOKIE, SESSION_COOKIE, sameToken } from '../../plugins/auth'

/** Only a path on this service, never another site. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/[A-Za-z0-9/_-]*$/.test(value) && !value.startsWith('//') ? value : '/'
}

export function sessionCookieOptions(services: Services) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: services.config.cookieSecure, signed: true }
}

export function registerSignInPages(app: FastifyInstance, services: Services) {
  const show = (request: FastifyRequest, reply: FastifyReply, locals: Record<string, unknown> = {}, status = 200) => {
    const token = randomBytes(24).toString('base64url')
    reply.setCookie(PRE_SESSION_CSRF_COOKIE, token, {
      path: '/sign-in',
      httpOnly: true,
      sameSite: 'strict',
      secure: services.config.cookieSecure,
      signed: true,
    })
    return reply.render(
      'sign-in/view.njk',
      {
        title: 'Sign in',
        signInToken: token,
        returnTo: safeReturnTo((request.query as Record<string, unknown>).returnTo),
        signedOut: (request.query as Record<string, unknown>).signedOut === '1',
        ...locals,
      },
      status,
    )
  }

  app.get('/', async (request, reply) => {
    if (!request.user) return reply.redirect('/sign-in', 303)
    if (request.user.roles.includes('admin') && !canSeeAnyCase(request.user)) return reply.redirect('/admin', 303)
    // Analysts and scrutiny panel members see no case content: joint performance is their home.
    if (!canSeeAnyCase(request.user)) return reply.redirect('/performance', 303)
    return reply.redirect('/cases', 303)
  })

  app.get('/sign-in', async (request, reply) => show(request, reply))

  // Throttled by the accounts service, one count with the API's POST /session (decision 0031).
  app.post('/sign-in', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const cookie = request.cookies[PRE_SESSION_CSRF_COOKIE]
    const expected = cookie ? request.unsignCookie(cookie) : undefined
    if (!expected?.valid || !expected.value || !sameToken(body._csrf, expected.value)) {
      throw new AppError(403, 'csrf', 'This form has expired. Go back, reload the page and try again.')
    }
    try {
      const user = await services.accounts.signIn(body.email, body.password, request.ip)
      const { sessionId } = await services.accounts.startSession(user.id)
      reply.clearCookie(PRE_SESSION_CSRF_COOKIE, { path: '/sign-in' })
      reply.setCookie(SESSION_COOKIE, sessionId, sessionCookieOptions(services))
      return reply.redirect(safeReturnTo(body.returnTo), 303)
    } catch (error) {
      if (!(error instanceof AppError) || ![400, 401, 429].includes(error.status)) throw error
      const errors = Object.keys(error.fields).length ? error.fields : { email: error.message }
      const retryAfter = error.details.retryAfterSeconds
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter))
      return show(
        request,
        reply,
        {
          email: typeof body.email === 'string' ? body.email.slice(0, 254) : '',
          errors,
          errorList: Object.entries(errors).map(([key, text]) => ({ text, href: `#${key}` })),
        },
        error.status === 429 ? 429 : 400,
      )
    }
  })

  app.post('/sign-out', async (request, reply) => {
    if (request.session) await services.accounts.endSession(request.session.id)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect('/sign-in?signedOut=1', 303)
  })
}
