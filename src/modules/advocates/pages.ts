import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ADVOCATE_FORMS, RETURNED_BRIEF_REASONS, REPORT_RATINGS } from './rules'
import { advocatesOf } from './service'
import type { Services } from '../../services'
import { AppError } from '../../services/errors'
import { errorList, fieldViews, formToData } from '../../web/forms'
import { requireUser } from '../../web/plugins/auth'

type Body = Record<string, unknown>
type Params = { Params: { id: string; form?: string } }

/** The forms on an advocate's page, each saved by the service of the same name. */
const SUB_FORMS = {
  membership: { form: 'membership', title: 'Change RASSO list membership', saved: 'RASSO list membership updated' },
  training: { form: 'training', title: 'Add training', saved: 'Training added' },
  unavailability: {
    form: 'unavailability',
    title: 'Add a time the advocate is not available',
    saved: 'Time not available added',
  },
  conflicts: { form: 'conflict', title: 'Record a conflict with a case', saved: 'Conflict recorded' },
} as const
type SubForm = keyof typeof SUB_FORMS

export function registerAdvocatePages(app: FastifyInstance, services: Services) {
  const advocates = advocatesOf(services)
  const opts = (purpose: string) => ({ preHandler: requireUser, config: { purpose } })
  const isHead = (request: FastifyRequest) => request.user!.roles.includes('cps_unit_head')

  app.get('/advocates', opts('See the RASSO advocate panel'), async (request, reply) => {
    const list = await advocates.list(request.context('list advocates'))
    return reply.render('advocates/views/list.njk', {
      title: 'RASSO advocate panel',
      section: 'advocates',
      advocates: list,
      canManage: isHead(request),
    })
  })

  const renderNew = (reply: FastifyReply, body?: Body, errors: Record<string, string> = {}, status = 200) =>
    reply.render(
      'advocates/views/form.njk',
      {
        title: 'Add an advocate to the panel',
        section: 'advocates',
        backLink: '/advocates',
        action: '/advocates/new',
        fields: fieldViews(ADVOCATE_FORMS.advocate.fields, { body, errors }),
        errorList: errorList(errors, ADVOCATE_FORMS.advocate.fields),
        submit: 'Add the advocate',
      },
      status,
    )

  app.get('/advocates/new', opts('Add an advocate to the panel'), async (request, reply) => {
    if (!isHead(request)) throw new AppError(403, 'forbidden', 'Only a CPS unit head manages the advocate panel')
    return renderNew(reply)
  })
  app.post('/advocates/new', opts('Add an advocate to the panel'), async (request, reply) => {
    const body = (request.body ?? {}) as Body
    try {
      const id = await advocates.add(request.context('add advocate'), formToData(ADVOCATE_FORMS.advocate.fields, body))
      return reply.redirect(`/advocates/${id}?saved=added`, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return renderNew(reply, body, error.fields, 400)
      throw error
    }
  })

  app.get<Params>('/advocates/:id', opts('See an advocate on the panel'), async (request, reply) => {
    const advocate = await advocates.get(request.context('view advocate'), request.params.id)
    const saved = (request.query as Body).saved
    return reply.render('advocates/views/view.njk', {
      title: advocate.name,
      section: 'advocates',
      backLink: '/advocates',
      advocate,
      canManage: isHead(request),
      saved:
        saved === 'added'
          ? 'Advocate added'
          : typeof saved === 'string' && Object.hasOwn(SUB_FORMS, saved)
            ? SUB_FORMS[saved as SubForm].saved
            : null,
      returnedReasons: RETURNED_BRIEF_REASONS,
      ratings: Object.fromEntries(REPORT_RATINGS.map((r) => [r.value, r.text])),
    })
  })

  const renderSubForm = async (
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    state: { body?: Body; errors?: Record<string, string>; status?: number; stale?: string } = {},
  ) => {
    const name = request.params.form as SubForm
    if (!Object.hasOwn(SUB_FORMS, name) || !isHead(request))
      throw new AppError(
        isHead(request) ? 404 : 403,
        isHead(request) ? 'not_found' : 'forbidden',
        isHead(request) ? 'Page not found' : 'Only a CPS unit head manages the advocate panel',
      )
    const sub = SUB_FORMS[name]
    const advocate = await advocates.get(request.context('view advocate'), request.params.id)
    const { version: _version, ...fields } = ADVOCATE_FORMS[sub.form].fields as Record<string, never>
    const errors = state.errors ?? {}
    const values =
      name === 'membership'
        ? {
            rassoPanel: advocate.rassoPanel,
            admittedOn: advocate.admittedOn ?? undefined,
            accreditationExpiresOn: advocate.accreditationExpiresOn ?? undefined,
            active: advocate.active,
          }
        : {}
    return reply.render(
      'advocates/views/form.njk',
      {
        title: sub.title,
        caption: advocate.name,
        section: 'advocates',
        backLink: `/advocates/${advocate.id}`,
        action: `/advocates/${advocate.id}/${name}`,
        version: name === 'membership' ? (state.body?.version ?? advocate.version) : null,
        fields: fieldViews(fields, { body: state.body, values, errors }),
        errorList: [
          ...(state.stale ? [{ text: state.stale, href: '#main-content' }] : []),
          ...errorList(errors, fields),
        ],
        submit: sub.title,
      },
      state.status ?? 200,
    )
  }

  app.get<Params>('/advocates/:id/:form', opts('Change an advocate on the panel'), async (request, reply) =>
    renderSubForm(request, reply),
  )
  app.post<Params>('/advocates/:id/:form', opts('Change an advocate on the panel'), async (request, reply) => {
    const name = request.params.form as SubForm
    if (!Object.hasOwn(SUB_FORMS, name)) throw new AppError(404, 'not_found', 'Page not found')
    const body = (request.body ?? {}) as Body
    const ctx = request.context(`change advocate: ${name}`)
    const data = formToData(ADVOCATE_FORMS[SUB_FORMS[name].form].fields, body)
    try {
      const id = request.params.id
      if (name === 'membership') await advocates.updateMembership(ctx, id, data)
      else if (name === 'training') await advocates.addTraining(ctx, id, data)
      else if (name === 'unavailability') await advocates.addUnavailability(ctx, id, data)
      else await advocates.addConflict(ctx, id, data)
      return reply.redirect(`/advocates/${id}?saved=${name}`, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 400)
        return renderSubForm(request, reply, { body, errors: error.fields, status: 400 })
      if (error instanceof AppError && error.status === 409)
        return renderSubForm(request, reply, { stale: error.message, status: 409 })
      throw error
    }
  })
}
