import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { canSeeAnyCase } from '../core/scope'
import { REPORT_EVENT } from '../core/event-model'
import type { Services } from '../services'
import { AppError } from '../services/errors'
import { registerApi } from './api/routes'
import { ERROR_PAGES, errorParagraphs } from './error-pages'
import { healthReport, replyIfDatabaseUnavailable } from './database-unavailable'
import { isApi, registerAuth } from './plugins/auth'
import { registerInputGuard } from './plugins/input-guard'
import { clientErrorHandler, helmetOptions, staticSecurityHeaders } from './plugins/security-headers'
import { createViews } from './plugins/views'
import { moduleRoutes } from '../modules/registry'
import { registerAdminPages } from './pages/admin/routes'
import { registerCasePages } from './pages/cases/routes'
import { registerReportPages } from './pages/report/routes'
import { registerSignInPages } from './pages/sign-in/routes'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

declare module 'fastify' {
  interface FastifyInstance {
    routeList: readonly { method: string; url: string }[]
  }
  interface FastifyReply {
    render(template: string, locals?: Record<string, unknown>, status?: number): FastifyReply
  }
}

export const BODY_LIMIT = 1024 * 1024

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { config } = services
  const views = createViews()
  const earlyHeaders = staticSecurityHeaders(config)
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    genReqId: (request) => {
      const given = request.headers['x-correlation-id']
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,100}$/.test(given) ? given : randomUUID()
    },
    logger: {
      level: config.logLevel,
      // No personal data in logs: no query strings (searches), no bodies, no cookies or tokens.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req) => ({ method: req.method, url: String(req.url).split('?')[0], id: req.id }),
      },
    },
    routerOptions: { maxParamLength: 200 },
    // Behind a reverse proxy, the client's address (sign-in throttling counts by it) comes from X-Forwarded-For, but
    // only from the proxies named here; unset, the address is the connection's own.
    trustProxy: config.trustProxy,
    // Answers Fastify makes before routing (an address that is not valid, a path parameter over the limit) carry the
    // same headers and error shape as every other answer.
    clientErrorHandler: clientErrorHandler(earlyHeaders),
    frameworkErrors: (error, request, frameworkReply) => {
      const reply = frameworkReply as FastifyReply
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400
      const message = status === 414 ? 'The address is too long' : 'The address is not valid'
      reply.headers(earlyHeaders).code(status)
      if (isApi(request)) {
        return reply
          .type('application/json; charset=utf-8')
          .send({ error: { code: status === 414 ? 'uri_too_long' : 'bad_url', message, fields: { url: message } } })
      }
      return reply
        .type('text/html; charset=utf-8')
        .send(views.render('error.njk', { title: message, paragraphs: ['Check the web address and try again.'] }))
    },
  })
  // Every route as registered, so the tests can send bad input to each one and check scope on each one.
  const routes: { method: string; url: string }[] = []
  app.decorate('routeList', routes)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url })
  })

  await app.register(fastifyHelmet, { enableCSPNonces: true, ...helmetOptions(config) })
  // Nothing answered by this service is kept by a browser or a proxy, unless a route says otherwise (static assets):
  // case and personal data must not be cacheable, and an error page is no better cached.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
  })
  await app.register(fastifyCookie, { secret: config.sessionSecret })
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT })
  const assets = [['node_modules/govuk-frontend/dist/govuk/assets', '/assets/']] as const
  await app.register(fastifyStatic, {
    root: path.join(root, assets[0][0]),
    prefix: assets[0][1],
    decorateReply: false,
    immutable: true,
    maxAge: '1d',
  })
  app.get('/assets/govuk-frontend.min.css', (_req, reply) =>
    sendFile(reply, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css', 'text/css'),
  )
  app.get('/assets/govuk-frontend.min.js', (_req, reply) =>
    sendFile(reply, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js', 'text/javascript'),
  )
  app.get('/assets/moj-frontend.min.css', (_req, reply) =>
    sendFile(reply, 'node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css', 'text/css'),
  )
  app.get('/assets/casebridge.css', (_req, reply) => sendFile(reply, 'public/casebridge.css', 'text/css'))
  app.get('/assets/init.js', (_req, reply) => sendFile(reply, 'public/init.js', 'text/javascript'))

  app.decorateReply(
    'render',
    function (this: FastifyReply, template: string, locals: Record<string, unknown> = {}, status = 200) {
      const request = this.request
      const user = request.user
      const html = views.render(template, {
        ...locals,
        user,
        csrfToken: request.session?.csrfToken,
        cspNonce: this.cspNonce?.script,
        canSeeCases: user ? canSeeAnyCase(user) : false,
        canRecordReport: user
          ? user.orgKind === 'police_force' && user.roles.some((r) => REPORT_EVENT.roles.includes(r))
          : false,
        isAdmin: user?.roles.includes('admin') ?? false,
        canSeeAdvocates: user?.roles.some((r) => r === 'prosecutor' || r === 'cps_unit_head') ?? false,
      })
      return this.code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(html)
    },
  )

  // Error and not-found handlers first: plugins registered later inherit them.
  app.setNotFoundHandler((request, reply) => {
    if (isApi(request)) return reply.code(404).send(errorBody(new AppError(404, 'not_found', 'Not found')))
    return reply.render('error.njk', { title: ERROR_PAGES[404]!.title, ...ERROR_PAGES[404] }, 404)
  })

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const unavailable = replyIfDatabaseUnavailable(error, request, reply)
    if (unavailable) return unavailable
    const appError = toAppError(error)
    if (appError && !(error instanceof AppError) && error.code && UNSTORABLE_INPUT.has(error.code))
      request.log.warn({ err: { code: error.code, type: error.name } }, 'input reached the database unchecked')
    if (!appError) {
      // Only a fault of ours reaches here. Log the correlation id and the error, never the request body.
      request.log.error(
        { err: { type: error.name, message: error.message, stack: error.stack, code: (error as FastifyError).code } },
        'request failed',
      )
      if (isApi(request) || !request.method) {
        return reply.code(500).send({
          error: {
            code: 'internal_error',
            message: `Something went wrong on our side. Quote reference ${request.id}.`,
            fields: {},
          },
        })
      }
      return reply.render(
        'error.njk',
        { title: ERROR_PAGES[500]!.title, ...ERROR_PAGES[500], reference: request.id },
        500,
      )
    }
    if (appError.status === 429) {
      const retryAfter = appError.details.retryAfterSeconds
      reply.header('retry-after', String(typeof retryAfter === 'number' ? retryAfter : 60))
    }
    if (isApi(request)) return reply.code(appError.status).send(errorBody(appError))
    if (appError.status === 401) return reply.redirect('/sign-in', 303)
    const page = ERROR_PAGES[appError.status] ?? ERROR_PAGES[400]!
    // A 404 says nothing more than "not found", so a hidden case and a missing one look the same.
    const paragraphs = appError.status === 404 ? page.paragraphs : errorParagraphs(page, appError.message)
    return reply.render('error.njk', { title: page.title, paragraphs }, appError.status)
  })

  registerAuth(app, services)
  registerInputGuard(app)

  app.get('/health', async (_request, reply) => {
    const { statusCode, body } = await healthReport(services)
    return reply.code(statusCode).send(body)
  })

  registerSignInPages(app, services)
  registerCasePages(app, services)
  registerReportPages(app, services)
  registerAdminPages(app, services)
  const modules = await moduleRoutes()
  for (const routes of modules) routes.pages?.(app, services)
  await app.register(
    (api, _opts, done) => {
      registerApi(api, services)
      for (const routes of modules) routes.api?.(api, services)
      done()
    },
    { prefix: '/api/v1' },
  )

  return app
}

function sendFile(reply: FastifyReply, file: string, type: string) {
  return reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(fsRead(file))
}

const fileCache = new Map<string, Buffer>()
function fsRead(file: string): Buffer {
  let content = fileCache.get(file)
  if (!content) {
    content = fs.readFileSync(path.join(root, file))
    fileCache.set(file, content)
  }
  return content
}

export function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      fields: error.fields,
      ...(Object.keys(error.details).length ? { details: error.details } : {}),
    },
  }
}

/** PostgreSQL's data exceptions that only input can cause: untranslatable or NUL characters, bad dates, numbers. */
const UNSTORABLE_INPUT = new Set(['22021', '22P05', '22007', '22008', '22003', '22P02'])

/** Errors a client caused, from our services or from Fastify's own parsing; anything else is ours (500). */
function toAppError(error: FastifyError | AppError): AppError | null {
  if (error instanceof AppError) return error
  // The last line of defence: text PostgreSQL cannot store (a NUL) or a value it cannot read that a check above should
  // have refused. The client is told what kind of value was wrong; the gap is logged by the caller as a warning.
  const sqlState = (error as { code?: unknown }).code
  if (typeof sqlState === 'string' && UNSTORABLE_INPUT.has(sqlState))
    return new AppError(400, 'invalid_input', 'Something sent cannot be stored', {
      body: 'Remove control characters, and check every date and number is a real one',
    })
  const status = (error as FastifyError).statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (error as FastifyError).code
    if (status === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return new AppError(
        413,
        'payload_too_large',
        `The request body must be ${BODY_LIMIT / 1024 / 1024} MB or smaller`,
      )
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415)
      return new AppError(400, 'unsupported_media_type', 'Send the request body as application/json', {
        body: 'Send JSON with the header content-type: application/json',
      })
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return new AppError(400, 'invalid_json', 'The request body is empty; send a JSON object', {
        body: 'Send a JSON object',
      })
    if (code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError)
      return new AppError(400, 'invalid_json', 'The request body is not valid JSON', { body: 'Send valid JSON' })
    if (status === 429) return new AppError(429, 'rate_limited', 'Too many attempts. Wait a minute and try again.')
    if (status === 404) return new AppError(404, 'not_found', 'Not found')
    return new AppError(400, 'bad_request', 'The request could not be understood')
  }
  return null
}

export type { FastifyRequest }
