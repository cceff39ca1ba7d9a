import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  DEFAULT_LADDER,
  LADDER_ROLES,
  type LadderRole,
  type LadderStep,
  MAX_LADDER_STEPS,
} from '../../../modules/pre-charge/escalation'
import { ROLE_LABELS, ROLES } from '../../../core/roles'
import type { Services } from '../../../services'
import { AppError } from '../../../services/errors'
import { requireUser } from '../../plugins/auth'

type Body = Record<string, unknown>

async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  await requireUser(request, reply)
  if (reply.sent) return
  if (!request.user!.roles.includes('admin'))
    throw new AppError(403, 'forbidden', 'Only administrators can manage users and reference data')
}

const toErrorList = (errors: Record<string, string>) =>
  Object.entries(errors).map(([key, text]) => ({ text, href: `#${key}` }))

export function registerAdminPages(app: FastifyInstance, services: Services) {
  const { accounts, referenceAdmin } = services
  const opts = (purpose: string) => ({ preHandler: requireAdmin, config: { purpose } })

  app.get('/admin', opts('Administer the service'), async (_request, reply) =>
    reply.render('admin/index.njk', { title: 'Administration', section: 'admin' }),
  )

  app.get('/admin/users', opts('Manage user accounts'), async (_request, reply) => {
    const users = await accounts.list()
    return reply.render('admin/users.njk', { title: 'Users', section: 'admin', backLink: '/admin', users })
  })

  const organisationItems = async (selected?: unknown) =>
    (await referenceAdmin.organisations())
      .filter((o) => o.active)
      .map((o) => ({ value: o.code, text: `${o.name} (${o.kind.replace(/_/g, ' ')})`, selected: o.code === selected }))
  const roleItems = (checked: unknown) => {
    const list = [checked].flat()
    return ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], checked: list.includes(role) }))
  }

  const renderNewUser = async (
    reply: FastifyReply,
    body: Body = {},
    errors: Record<string, string> = {},
    status = 200,
  ) =>
    reply.render(
      'admin/new-user.njk',
      {
        title: 'Add a user',
        section: 'admin',
        backLink: '/admin/users',
        values: body,
        errors,
        errorList: toErrorList(errors),
        organisations: [{ value: '', text: 'Select an organisation' }, ...(await organisationItems(body.orgCode))],
        roles: roleItems(body.roles),
      },
      status,
    )

  app.get('/admin/users/new', opts('Add a user account'), async (_request, reply) => renderNewUser(reply))
  app.post('/admin/users/new', opts('Add a user account'), async (request, reply) => {
    const body = (request.body ?? {}) as Body
    try {
      const user = await accounts.addUser(request.context('add user'), {
        email: body.email,
        name: body.name,
        orgCode: body.orgCode,
        roles: body.roles === undefined ? [] : [body.roles].flat(),
        password: body.password,
      })
      return reply.redirect(`/admin/users/${user.id}?saved=1`, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 400)
        return renderNewUser(reply, { ...body, password: '' }, error.fields, 400)
      throw error
    }
  })

  const renderUser = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    errors: Record<string, string> = {},
    status = 200,
    body: Body = {},
  ) => {
    const user = await accounts.user(request.params.id)
    if (!user) throw new AppError(404, 'not_found', 'Page not found')
    return reply.render(
      'admin/user.njk',
      {
        title: `User ${user.name}`,
        section: 'admin',
        backLink: '/admin/users',
        account: user,
        tokens: await accounts.tokensOf(user.id),
        signInHeldBack: await accounts.signInHeldBack(user),
        roles: roleItems(body.roles ?? user.roles),
        errors,
        errorList: toErrorList(errors),
        saved: (request.query as Record<string, unknown>).saved === '1',
      },
      status,
    )
  }

  app.get<{ Params: { id: string } }>('/admin/users/:id', opts('Manage a user account'), async (request, reply) =>
    renderUser(request, reply),
  )

  app.post<{ Params: { id: string } }>(
    '/admin/users/:id/roles',
    opts('Change a user’s roles'),
    async (request, reply) => {
      const body = (request.body ?? {}) as Body
      try {
        await accounts.changeRoles(request.context('change roles'), request.params.id, body.roles)
        return reply.redirect(`/admin/users/${request.params.id}?saved=1`, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 400)
          return renderUser(request, reply, error.fields, 400, body)
        throw error
      }
    },
  )

  app.post<{ Params: { id: string } }>(
    '/admin/users/:id/active',
    opts('Deactivate or reactivate a user'),
    async (request, reply) => {
      const body = (request.body ?? {}) as Body
      try {
        await accounts.setActive(request.context('set active'), request.params.id, body.active === 'yes')
        return reply.redirect(`/admin/users/${request.params.id}?saved=1`, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderUser(request, reply, { active: error.message }, 422)
        throw error
      }
    },
  )

  app.post<{ Params: { id: string } }>(
    '/admin/users/:id/password',
    opts('Reset a user’s password'),
    async (request, reply) => {
      const body = (request.body ?? {}) as Body
      try {
        await accounts.resetPassword(request.context('reset password'), request.params.id, body.password)
        return reply.redirect(`/admin/users/${request.params.id}?saved=1`, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 400) return renderUser(request, reply, error.fields, 400)
        throw error
      }
    },
  )

  app.get('/admin/organisations', opts('Manage reference data'), async (_request, reply) =>
    reply.render('admin/organisations.njk', {
      title: 'Organisations',
      section: 'admin',
      backLink: '/admin',
      organisations: await referenceAdmin.organisations(),
    }),
  )

  const renderOrganisation = async (
    reply: FastifyReply,
    code: string,
    body?: Body,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const org = await referenceAdmin.organisation(code)
    if (!org) throw new AppError(404, 'not_found', 'Page not found')
    const values = body ?? { name: org.name, urnCode: org.urn_code ?? '', active: org.active ? 'yes' : 'no' }
    return reply.render(
      'admin/organisation.njk',
      {
        title: `Edit ${org.name}`,
        section: 'admin',
        backLink: '/admin/organisations',
        org,
        values,
        errors,
        errorList: toErrorList(errors),
      },
      status,
    )
  }
  app.get<{ Params: { code: string } }>(
    '/admin/organisations/:code',
    opts('Manage reference data'),
    async (request, reply) => renderOrganisation(reply, request.params.code),
  )
  app.post<{ Params: { code: string } }>(
    '/admin/organisations/:code',
    opts('Edit reference data'),
    async (request, reply) => {
      const body = (request.body ?? {}) as Body
      try {
        const { _csrf, ...change } = body
        await referenceAdmin.updateOrganisation(request.context('edit organisation'), request.params.code, change)
        return reply.redirect('/admin/organisations', 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 400)
          return renderOrganisation(reply, request.params.code, body, error.fields, 400)
        throw error
      }
    },
  )

  const renderForceAreas = async (reply: FastifyReply, errors: Record<string, string> = {}, status = 200) => {
    const orgs = await referenceAdmin.organisations()
    return reply.render(
      'admin/force-areas.njk',
      {
        title: 'Police forces and CPS areas',
        section: 'admin',
        backLink: '/admin',
        mappings: await referenceAdmin.forceAreas(),
        forces: [
          { value: '', text: 'Select a police force' },
          ...orgs.filter((o) => o.kind === 'police_force').map((o) => ({ value: o.code, text: o.name })),
        ],
        areas: [
          { value: '', text: 'Select a CPS area' },
          ...orgs.filter((o) => o.kind === 'cps_area').map((o) => ({ value: o.code, text: o.name })),
        ],
        errors,
        errorList: toErrorList(errors),
      },
      status,
    )
  }
  app.get('/admin/force-areas', opts('Manage reference data'), async (_request, reply) => renderForceAreas(reply))
  app.post('/admin/force-areas', opts('Edit reference data'), async (request, reply) => {
    const body = (request.body ?? {}) as Body
    try {
      if (body.action === 'remove')
        await referenceAdmin.removeForceArea(
          request.context('remove mapping'),
          String(body.forceCode),
          String(body.areaCode),
        )
      else if (body.action === 'default')
        await referenceAdmin.setDefaultArea(
          request.context('default area'),
          String(body.forceCode),
          String(body.areaCode),
        )
      else await referenceAdmin.addForceArea(request.context('add mapping'), body.forceCode, body.areaCode)
      return reply.redirect('/admin/force-areas', 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return renderForceAreas(reply, error.fields, 400)
      throw error
    }
  })

  const renderClocks = async (
    reply: FastifyReply,
    errors: Record<string, string> = {},
    status = 200,
    body: Body = {},
  ) =>
    reply.render(
      'admin/clocks.njk',
      {
        title: 'Clock periods',
        section: 'admin',
        backLink: '/admin',
        rules: await services.calendar.clockSettings(),
        errors,
        errorList: toErrorList(errors),
        values: body,
      },
      status,
    )
  app.get('/admin/clocks', opts('Manage clock periods'), async (_request, reply) => renderClocks(reply))
  app.post<{ Params: { id: string } }>('/admin/clocks/:id', opts('Change a clock period'), async (request, reply) => {
    const body = (request.body ?? {}) as Body
    try {
      await services.calendar.setClockDays(request.context('set clock days'), request.params.id, body.days)
      return reply.redirect('/admin/clocks', 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 400) {
        return renderClocks(reply, { [`days-${request.params.id}`]: error.fields.days ?? error.message }, 400, {
          [request.params.id]: body.days,
        })
      }
      throw error
    }
  })

  const ladderRoleLabel = (role: LadderRole) => (role === 'owner' ? 'the item’s owner' : ROLE_LABELS[role])
  const who = (step: LadderStep) => step.roles.map(ladderRoleLabel).join(', ')

  app.get('/admin/ladders', opts('Read the escalation ladders'), async (_request, reply) => {
    const set = await services.calendar.ladderSettings()
    return reply.render('admin/ladders.njk', {
      title: 'Escalation ladders',
      section: 'admin',
      backLink: '/admin',
      defaultSteps: DEFAULT_LADDER.map((step) => ({ ...step, who: who(step) })),
      ladders: set.map((l) => {
        const params = new URLSearchParams({ force: l.force_code ?? '', area: l.area_code ?? '' })
        return {
          id: l.id,
          scope: [l.force_name, l.area_name].filter(Boolean).join(' with ') || 'Everywhere',
          steps: (l.steps as LadderStep[]).map((step) => ({ ...step, who: who(step) })),
          updatedAt: l.updated_at,
          updatedBy: l.updated_by_name,
          editHref: `/admin/ladders/edit?${params.toString()}`,
        }
      }),
    })
  })

  const renderLadderForm = async (
    reply: FastifyReply,
    values: { forceCode?: string; areaCode?: string; steps: Partial<Record<keyof LadderStep, unknown>>[] },
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const orgs = (await referenceAdmin.organisations()).filter((o) => o.active)
    const options = (kind: string, empty: string, selected?: string) => [
      { value: '', text: empty },
      ...orgs
        .filter((o) => o.kind === kind)
        .map((o) => ({ value: o.code, text: o.name, selected: o.code === selected })),
    ]
    const rows = Array.from({ length: MAX_LADDER_STEPS }, (_, i) => {
      const row = values.steps[i] ?? {}
      const checked = [row.roles ?? []].flat()
      return {
        id: row.id ?? '',
        afterWorkingDays: row.afterWorkingDays ?? '',
        title: row.title ?? '',
        roleItems: LADDER_ROLES.map((role) => ({
          value: role,
          text: ladderRoleLabel(role).replace(/^./, (c) => c.toUpperCase()),
          checked: checked.includes(role),
        })),
      }
    })
    return reply.render(
      'admin/ladder-edit.njk',
      {
        title: 'Set an escalation ladder',
        section: 'admin',
        backLink: '/admin/ladders',
        forces: options('police_force', 'Any force', values.forceCode),
        areas: options('cps_area', 'Any CPS area', values.areaCode),
        rows,
        errors,
        errorList: toErrorList(errors),
      },
      status,
    )
  }

  app.get('/admin/ladders/edit', opts('Set an escalation ladder'), async (request, reply) => {
    const query = request.query as { force?: unknown; area?: unknown }
    const forceCode = typeof query.force === 'string' ? query.force : ''
    const areaCode = typeof query.area === 'string' ? query.area : ''
    const existing = (await services.calendar.ladderSettings()).find(
      (l) => (l.force_code ?? '') === forceCode && (l.area_code ?? '') === areaCode,
    )
    const steps = existing ? (existing.steps as LadderStep[]) : DEFAULT_LADDER
    return renderLadderForm(reply, { forceCode, areaCode, steps: steps.map((step) => ({ ...step })) })
  })

  app.post('/admin/ladders', opts('Set an escalation ladder'), async (request, reply) => {
    const body = (request.body ?? {}) as Body
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string).trim() : '')
    const rows = Array.from({ length: MAX_LADDER_STEPS }, (_, i) => {
      const key = (name: string) => `steps-${i}-${name}`
      const roles = [body[key('roles')] ?? []].flat().filter((r): r is string => typeof r === 'string')
      const days = text(key('afterWorkingDays'))
      return {
        id: text(key('id')) || undefined,
        afterWorkingDays: days === '' ? undefined : /^-?\d+$/.test(days) ? Number(days) : days,
        roles,
        title: text(key('title')) || undefined,
      }
    })
    // Rows left empty are not steps; a gap between filled rows still counts, so its problems are named.
    let last = rows.length - 1
    while (
      last >= 0 &&
      !rows[last]!.id &&
      rows[last]!.afterWorkingDays === undefined &&
      !rows[last]!.title &&
      rows[last]!.roles.length === 0
    )
      last--
    const steps = rows.slice(0, last + 1)
    const values = { forceCode: text('forceCode'), areaCode: text('areaCode') }
    try {
      await services.calendar.setLadder(request.context('set an escalation ladder'), { ...values, steps })
    } catch (error) {
      if (error instanceof AppError && error.status === 400) {
        const errors = Object.fromEntries(
          Object.entries(error.fields).map(([key, message]) => [key.replace(/\./g, '-'), message]),
        )
        return renderLadderForm(reply, { ...values, steps: rows }, errors, 400)
      }
      throw error
    }
    return reply.redirect('/admin/ladders', 303)
  })

  app.post('/admin/ladders/:id/remove', opts('Remove an escalation ladder'), async (request, reply) => {
    await services.calendar.removeLadder(
      request.context('remove an escalation ladder'),
      (request.params as { id: string }).id,
    )
    return reply.redirect('/admin/ladders', 303)
  })

  app.get('/admin/outbox', opts('Read the notification outbox'), async (_request, reply) =>
    reply.render('admin/outbox.njk', {
      title: 'Notification outbox',
      section: 'admin',
      backLink: '/admin',
      sender: services.notifications.sender,
      notifications: await services.notifications.latest(200),
    }),
  )

  app.get('/admin/reference', opts('Read reference data'), async (_request, reply) =>
    reply.render('admin/reference.njk', {
      title: 'Outcome types and offence codes',
      section: 'admin',
      backLink: '/admin',
      outcomes: await referenceAdmin.outcomeTypes(),
      offences: await referenceAdmin.offenceCodes(),
    }),
  )
}
