import net, { type AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiSignIn, appFor, formSignIn } from '../helpers/app'
import { createWorld, type TestWorld } from '../helpers/database'

/**
 * Issue 18 (5): every answer holding case or personal data is not cacheable, and the answers the framework or Node's
 * HTTP parser make before any route runs carry the same security headers and error shape as every other.
 */

let world: TestWorld
let app: FastifyInstance
let port: number
let api: string
let page: string
let caseId: string

beforeAll(async () => {
  world = await createWorld()
  app = await appFor(world)
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as AddressInfo).port
  api = await apiSignIn(app, 'investigator.avon@casebridge.example')
  page = (await formSignIn(app, 'investigator.avon@casebridge.example')).cookie
  caseId = (
    await world.database.db
      .selectFrom('cases')
      .select('id')
      .where('force_code', '=', 'avon-and-somerset')
      .executeTakeFirstOrThrow()
  ).id
}, 120_000)

afterAll(async () => {
  await app?.close()
  await world?.close()
})

/** A source list of 'self', with the answer's nonce (random each time) where a route ran and drew a page. */
const selfWithNonce = (directive: string) => `${directive} 'self'(?: 'nonce-[0-9a-f]{32}')?`
const CONTENT_SECURITY_POLICY = new RegExp(
  `^default-src 'self';base-uri 'self';font-src 'self';form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';${selfWithNonce('script-src')};script-src-attr 'none';${selfWithNonce('style-src')};connect-src 'self'$`,
)

function expectSecured(headers: Record<string, unknown>, what: string) {
  expect(headers['content-security-policy'], `${what}: content-security-policy`).toMatch(CONTENT_SECURITY_POLICY)
  expect(headers['x-content-type-options'], `${what}: x-content-type-options`).toBe('nosniff')
  expect(headers['x-frame-options'], `${what}: x-frame-options`).toBe('SAMEORIGIN')
  expect(headers['referrer-policy'], `${what}: referrer-policy`).toBe('no-referrer')
  expect(headers['cache-control'], what).toBe('no-store')
}

/** Sends raw bytes over a socket and returns the status line, headers and body as the server wrote them. */
async function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    socket.on('data', (chunk) => (received += chunk.toString('utf8')))
    socket.on('end', () => resolve(received))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.write(request)
    setTimeout(() => socket.end(), 2000)
  })
  const [head = '', body = ''] = text.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  )
  return { status: Number(statusLine.split(' ')[1]), headers, body }
}

describe('answers with personal data', () => {
  it('are never cacheable, through the API or the pages', async () => {
    for (const url of [
      `/api/v1/cases/${caseId}`,
      `/api/v1/cases/${caseId}/timeline`,
      `/api/v1/cases/${caseId}/victim-care`,
      '/api/v1/cases',
      '/api/v1/tasks',
      '/api/v1/me',
    ]) {
      const response = await app.inject({ method: 'GET', url, headers: { cookie: api } })
      expect(response.statusCode, url).toBe(200)
      expectSecured(response.headers, url)
    }
    for (const url of [`/cases/${caseId}`, `/cases/${caseId}/victim-care`, '/cases', '/tasks']) {
      const response = await app.inject({ method: 'GET', url, headers: { cookie: page } })
      expect(response.statusCode, url).toBe(200)
      expectSecured(response.headers, url)
    }
  })

  it('and errors are not cacheable either, while the static assets are', async () => {
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/cases/00000000-0000-4000-8000-000000000000',
      headers: { cookie: api },
    })
    expect(missing.statusCode).toBe(404)
    expectSecured(missing.headers, 'a 404')
    const asset = await app.inject({ method: 'GET', url: '/assets/casebridge.css' })
    expect(asset.headers['cache-control']).toBe('public, max-age=86400')
  })
})

describe('answers made before any route runs', () => {
  it('a path parameter over the limit: 414 with the error shape and the security headers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/cases/${'a'.repeat(500)}`,
      headers: { cookie: api },
    })
    expect(response.statusCode).toBe(414)
    expectSecured(response.headers, '414')
    expect(response.json()).toEqual({
      error: { code: 'uri_too_long', message: 'The address is too long', fields: { url: 'The address is too long' } },
    })
    const pageAnswer = await app.inject({ method: 'GET', url: `/cases/${'a'.repeat(500)}`, headers: { cookie: page } })
    expect(pageAnswer.statusCode).toBe(414)
    expectSecured(pageAnswer.headers, '414 page')
    expect(pageAnswer.body).toContain('<h1 class="govuk-heading-l" data-qa="error-title">The address is too long</h1>')
  })

  it('an address that is not valid: 400 naming the address', async () => {
    const response = await raw(`GET /api/v1/cases/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    expect(response.status).toBe(400)
    expectSecured(response.headers, 'bad url')
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'bad_url', message: 'The address is not valid', fields: { url: 'The address is not valid' } },
    })
  })

  it('what the HTTP parser refuses: the error shape and the security headers, then the connection closes', async () => {
    const tooLarge = await raw(`GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(tooLarge.status).toBe(431)
    expectSecured(tooLarge.headers, '431')
    expect(JSON.parse(tooLarge.body).error.code).toBe('headers_too_large')
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n')
    expect(garbage.status).toBe(400)
    expectSecured(garbage.headers, 'parser 400')
    expect(JSON.parse(garbage.body)).toEqual({
      error: {
        code: 'bad_request',
        message: 'The request could not be read as HTTP',
        fields: { request: 'Send a valid HTTP request' },
      },
    })
  })
})
