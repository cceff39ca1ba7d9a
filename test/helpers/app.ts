import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/web/app'
import { TEST_PASSWORD, type TestWorld } from './database'

export async function appFor(world: TestWorld): Promise<FastifyInstance> {
  const app = await buildApp(world.services)
  await app.ready()
  return app
}

export function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}

/** Signs in through the JSON API and returns the session cookie. */
export async function apiSignIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } })
  if (response.statusCode !== 201) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
  return cookieHeader(response)
}

/** Signs in through the HTML form, as a browser without JavaScript would, and returns the cookie and CSRF token. */
export async function formSignIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({ method: 'GET', url: '/sign-in' })
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
  const response = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, email, password }).toString(),
  })
  if (response.statusCode !== 303) throw new Error(`form sign-in failed: ${response.statusCode}`)
  const cookie = cookieHeader(response)
    .split('; ')
    .filter((c) => c.startsWith('casebridge_session='))
    .join('; ')
  const home = await app.inject({ method: 'GET', url: '/cases', headers: { cookie } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? ''
  return { cookie, csrf }
}

export const form = (values: Record<string, string | string[]>) => {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(values)) for (const item of [v].flat()) params.append(k, item)
  return params.toString()
}
