import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { field, fieldErrors, schemaOf, type Fields } from '../../../core/fields'
import {
  AGE_BANDS,
  DISABILITY_OPTIONS,
  ETHNICITY_OPTIONS,
  labelOf,
  personFields,
  RELATIONSHIP_OPTIONS,
  SEX_OPTIONS,
  suspectExtraFields,
} from '../../../domain/people'
import { FLAGS, offenceFields, offenceSchema, reportFields } from '../../../domain/report'
import type { Services } from '../../../services'
import { AppError } from '../../../services/errors'
import { errorList, fieldViews, formToData } from '../../forms'
import { requireUser } from '../../plugins/auth'
import { formatDate } from '../../plugins/views'

/** The draft report lives in the signed-in session until it is submitted or the session ends. */
interface Draft {
  key: string
  details?: Record<string, unknown>
  offence?: Record<string, unknown>
  complainant?: Record<string, unknown>
  suspect?: Record<string, unknown>
}

const suspectKnownField = field.choice({
  label: 'Is the suspect known?',
  name: 'whether the suspect is known',
  options: [
    { value: 'yes', text: 'Yes, the suspect is identified' },
    { value: 'no', text: 'No, the suspect is not known' },
  ],
})

interface Step {
  slug: string
  title: string
  fields: Fields
  validate(data: Record<string, unknown>): Record<string, string>
}

const restrictedField = field.boolean({
  label: 'Should access be restricted to a named list?',
  name: 'access should be restricted',
  hint: 'For example when the suspect is a police officer or works in the justice system. Only you will see it until others are added.',
})

const check = (schema: z.ZodType) => (data: Record<string, unknown>) => {
  const parsed = schema.safeParse(data)
  return parsed.success ? {} : fieldErrors(parsed.error)
}

const STEPS: Step[] = [
  {
    slug: 'report-details',
    title: 'Report details',
    fields: { ...reportFields, restricted: restrictedField },
    validate: check(schemaOf({ ...reportFields, restricted: restrictedField })),
  },
  { slug: 'offence', title: 'The offence', fields: offenceFields, validate: check(offenceSchema) },
  { slug: 'complainant', title: 'The complainant', fields: personFields, validate: check(schemaOf(personFields)) },
  {
    slug: 'suspect',
    title: 'The suspect',
    fields: { known: suspectKnownField, ...personFields, ...suspectExtraFields },
    validate: (data) => {
      const errors = check(z.object({ known: suspectKnownField.schema }))(data)
      if (Object.keys(errors).length) return errors
      if (data.known === 'no') return {}
      const { known: _known, ...rest } = data
      return check(schemaOf({ ...personFields, ...suspectExtraFields }))(rest)
    },
  },
]

function toReport(draft: Draft) {
  const details = draft.details ?? {}
  const { known, ...suspect } = draft.suspect ?? {}
  const flags = (details.flags as string[] | undefined) ?? []
  return {
    crimeReference: details.crimeReference,
    reportedOn: details.reportedOn,
    restricted: details.restricted === true,
    flags: Object.fromEntries(FLAGS.map((f) => [f.key, flags.includes(f.key)])),
    offences: [draft.offence ?? {}],
    complainants: [draft.complainant ?? {}],
    suspects:
      known === 'no'
        ? [{ unknown: true, ...(suspect.relationship ? { relationship: suspect.relationship } : {}) }]
        : [suspect],
    idempotencyKey: draft.key,
  }
}

export function registerReportPages(app: FastifyInstance, services: Services) {
  const options = { preHandler: requireUser, config: { purpose: 'Record a new report of a sexual offence' } }

  const draftOf = (request: FastifyRequest): Draft => {
    const draft = request.session?.data.reportDraft as Draft | undefined
    return draft && typeof draft.key === 'string' ? draft : { key: randomUUID() }
  }
  const saveDraft = async (request: FastifyRequest, draft: Draft | undefined) => {
    if (!request.session) throw new AppError(403, 'forbidden', 'Sign in with a browser to record a report')
    const data = { ...request.session.data }
    if (draft) data.reportDraft = draft
    else delete data.reportDraft
    await services.accounts.saveSessionData(request.session.idHash, data)
  }
  const mustBeAbleToReport = (request: FastifyRequest) => {
    const user = request.user!
    if (user.orgKind !== 'police_force' || !user.roles.some((r) => r === 'investigator' || r === 'police_supervisor')) {
      throw new AppError(403, 'forbidden', 'Only investigators and police supervisors can record a report')
    }
  }

  const lookups = async () => ({ offences: (await services.cases.referenceOptions()).offences })

  const renderStep = async (
    reply: FastifyReply,
    step: Step,
    index: number,
    state: {
      values?: Record<string, unknown>
      body?: Record<string, unknown>
      errors?: Record<string, string>
      returnToCheck?: boolean
    },
    status = 200,
  ) => {
    const errors = state.errors ?? {}
    const flagValues = (
      state.body ? [state.body.flags].flat() : ((state.values?.flags as string[] | undefined) ?? [])
    ).filter(Boolean)
    return reply.render(
      'report/step.njk',
      {
        title: step.title,
        section: 'report',
        step,
        stepNumber: index + 1,
        stepCount: STEPS.length,
        backLink: index === 0 ? '/cases' : `/cases/new/${STEPS[index - 1]!.slug}`,
        fields: fieldViews(step.fields, { values: state.values, body: state.body, errors, lookups: await lookups() }),
        flagItems:
          step.slug === 'report-details'
            ? FLAGS.map((f) => ({ value: f.key, text: f.text, checked: flagValues.includes(f.key) }))
            : null,
        errorList: errorList(errors, step.fields),
        returnToCheck: state.returnToCheck,
      },
      status,
    )
  }

  app.get('/cases/new', options, async (request, reply) => {
    mustBeAbleToReport(request)
    await saveDraft(request, { key: randomUUID() })
    return reply.redirect(`/cases/new/${STEPS[0]!.slug}`, 303)
  })

  STEPS.forEach((step, index) => {
    app.get(`/cases/new/${step.slug}`, options, async (request, reply) => {
      mustBeAbleToReport(request)
      const draft = draftOf(request)
      return renderStep(reply, step, index, {
        values: draft[stepKey(step)],
        returnToCheck: (request.query as Record<string, unknown>).change === '1',
      })
    })
    app.post(`/cases/new/${step.slug}`, options, async (request, reply) => {
      mustBeAbleToReport(request)
      const body = (request.body ?? {}) as Record<string, unknown>
      const data = formToData(step.fields, body)
      const errors = step.validate(data)
      if (Object.keys(errors).length)
        return renderStep(reply, step, index, { body, errors, returnToCheck: body.returnTo === 'check' }, 400)
      if (step.slug === 'report-details')
        data.flags = [body.flags].flat().filter((f): f is string => FLAGS.some((flag) => flag.key === f))
      const draft = { ...draftOf(request), [stepKey(step)]: data }
      await saveDraft(request, draft)
      const returnToCheck = body.returnTo === 'check'
      const next = returnToCheck || index === STEPS.length - 1 ? 'check' : STEPS[index + 1]!.slug
      return reply.redirect(`/cases/new/${next}`, 303)
    })
  })

  const renderCheck = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const draft = draftOf(request)
    const missing = STEPS.find((s) => !draft[stepKey(s)])
    if (missing) return reply.redirect(`/cases/new/${missing.slug}`, 303)
    const report = toReport(draft)
    const offences = (await lookups()).offences
    const d = draft.details!
    const o = draft.offence!
    const c = draft.complainant!
    const s = draft.suspect!
    const row = (key: string, value: string, slug: string, qa: string) => ({
      key: { text: key },
      value: { text: value },
      actions: {
        items: [{ href: `/cases/new/${slug}?change=1`, text: 'Change', visuallyHiddenText: key.toLowerCase() }],
      },
      attributes: { 'data-qa': qa },
    })
    const person = (p: Record<string, unknown>, slug: string, prefix: string) => [
      row(`${prefix} name`, String(p.name ?? ''), slug, `${slug}-name`),
      row(`${prefix} sex`, labelOf(SEX_OPTIONS, p.sex as string), slug, `${slug}-sex`),
      row(`${prefix} age band`, labelOf(AGE_BANDS, p.ageBand as string), slug, `${slug}-age`),
      row(`${prefix} ethnicity`, labelOf(ETHNICITY_OPTIONS, p.ethnicity as string), slug, `${slug}-ethnicity`),
      row(`${prefix} disability`, labelOf(DISABILITY_OPTIONS, p.disability as string), slug, `${slug}-disability`),
    ]
    const sections = [
      {
        title: 'Report details',
        rows: [
          row('Police crime reference', String(d.crimeReference), 'report-details', 'check-crime-reference'),
          row('Date reported', formatDate(d.reportedOn), 'report-details', 'check-reported-on'),
          row(
            'Flags',
            FLAGS.filter((f) => report.flags[f.key])
              .map((f) => f.text)
              .join(', ') || 'None',
            'report-details',
            'check-flags',
          ),
          row('Restricted access', report.restricted ? 'Yes' : 'No', 'report-details', 'check-restricted'),
        ],
      },
      {
        title: 'Offence',
        rows: [
          row(
            'Offence',
            `${o.code}: ${offences.find((x) => x.code === o.code)?.name ?? ''}`,
            'offence',
            'check-offence',
          ),
          row(
            'When',
            `${formatDate(o.committedFrom)}${o.committedTo ? ` to ${formatDate(o.committedTo)}` : ''}`,
            'offence',
            'check-offence-date',
          ),
        ],
      },
      { title: 'Complainant', rows: person(c, 'complainant', 'Complainant’s') },
      {
        title: 'Suspect',
        rows:
          s.known === 'no'
            ? [row('Suspect', 'Not known', 'suspect', 'check-suspect')]
            : [
                ...person(s, 'suspect', 'Suspect’s'),
                row(
                  'Relationship to the complainant',
                  labelOf(RELATIONSHIP_OPTIONS, s.relationship as string),
                  'suspect',
                  'check-relationship',
                ),
              ],
      },
    ]
    return reply.render(
      'report/check.njk',
      {
        title: 'Check your answers before recording the report',
        section: 'report',
        backLink: '/cases/new/suspect',
        sections,
        errorList: Object.values(errors).map((text) => ({ text, href: '#main-content' })),
      },
      status,
    )
  }

  app.get('/cases/new/check', options, async (request, reply) => {
    mustBeAbleToReport(request)
    return renderCheck(request, reply)
  })

  app.post('/cases/new/check', options, async (request, reply) => {
    mustBeAbleToReport(request)
    const draft = request.session?.data.reportDraft as Draft | undefined
    if (!draft) return reply.redirect('/cases/new', 303)
    try {
      const { detail } = await services.cases.recordReport(request.context('record report'), toReport(draft))
      await saveDraft(request, undefined)
      return reply.redirect(`/cases/${detail.id}?created=1`, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return renderCheck(request, reply, error.fields, 400)
      throw error
    }
  })
}

function stepKey(step: Step): 'details' | 'offence' | 'complainant' | 'suspect' {
  return step.slug === 'report-details' ? 'details' : (step.slug as 'offence' | 'complainant' | 'suspect')
}
