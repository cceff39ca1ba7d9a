import type { FastifyInstance } from 'fastify'
import { AppError } from '../../services/errors'
import { isApi } from './auth'

/** Deeper than any body this service defines (a list of rows of fields is three levels). */
export const MAX_DEPTH = 16

type Problem = { path: string; message: string }

/** With the u flag a surrogate pair is one character, so this finds only a surrogate on its own. */
const LONE_SURROGATE = /\p{Cs}/u

const where = (path: string) => (path === '' ? 'body' : path)

/**
 * The first thing in a request that no handler should ever see: a NUL character or half of a surrogate pair
 * (PostgreSQL cannot store either, and rejects the whole statement), a key that would reach an object's prototype, or nesting deeper than any form.
 */
function findProblem(value: unknown, path: string, depth: number, nulAllowed = false): Problem | null {
  if (typeof value === 'string') {
    if (!nulAllowed && value.includes('\u0000'))
      return { path: where(path), message: `${where(path)} must not contain the NUL character` }
    // Half of a surrogate pair (JSON can send one as \ud800) is not text: PostgreSQL refuses it in JSON and text.
    return LONE_SURROGATE.test(value)
      ? { path: where(path), message: `${where(path)} contains a character that is not valid text` }
      : null
  }
  if (typeof value !== 'object' || value === null) return null
  if (depth > MAX_DEPTH) return { path: where(path), message: `${where(path)} is nested too deeply` }
  for (const [key, item] of Object.entries(value)) {
    // Named as the field errors name them: data.items.0.description
    const inner = path === '' ? key : `${path}.${key}`
    if (key.includes('\u0000'))
      return { path: where(path), message: `A name in ${where(path)} contains the NUL character` }
    if (key === '__proto__' || key === 'constructor' || key === 'prototype')
      return { path: inner, message: `${inner} is not a field this service accepts` }
    const problem = findProblem(item, inner, depth + 1, nulAllowed)
    if (problem) return problem
  }
  return null
}

/**
 * Checks every path parameter, query value and body before any handler runs, so no route has to remember to, and a
 * page form is only ever sent as a form (a JSON body on a form route has no field the page could show an error on).
 */
export function registerInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['query', request.query],
    ] as const) {
      const problem = findProblem(value, '', 1)
      if (problem)
        throw new AppError(400, 'invalid_input', `The ${part === 'params' ? 'address' : 'query'} is not valid`, {
          [problem.path]: problem.message,
        })
    }
    if (request.body === undefined) return
    if (!isApi(request)) {
      const type = String(request.headers['content-type'] ?? '')
      if (!type.startsWith('application/x-www-form-urlencoded'))
        throw new AppError(400, 'form_required', 'Send the form as application/x-www-form-urlencoded', {
          body: 'Send the form as a form, not as ' + (type.split(';')[0] || 'an unknown type'),
        })
    }
    // A form's text is checked by its own fields (which refuse control characters), so the form can show the error on
    // the field; an API body is refused here, naming the field.
    const problem = findProblem(request.body, '', 1, !isApi(request))
    if (problem)
      throw new AppError(400, 'invalid_input', 'There is a problem with what was sent', {
        [problem.path]: problem.message,
      })
  })
}
