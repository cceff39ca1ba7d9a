import { letterInputSchema, safeContactSchema } from '../../modules/victim-care/inputs'
import { moduleOpenApiPaths } from '../../modules/registry'
import { ADVOCATE_FORMS } from '../../modules/advocates/rules'
import { TASK_VIEWS } from '../../core/tasks'
import { TASK_KIND_IDS } from '../../modules/registry'
import { z } from 'zod'
import { EVENT_DEFINITIONS } from '../../modules/registry'
import { reportSchema } from '../../domain/report'
import { eventBodySchema } from '../../services/case'
import { measureQueryFields } from '../../services/measures'
import { MEASURES } from '../../modules/performance/measures'

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' })

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

/** The OpenAPI document, generated from the same zod schemas that validate each request. */
export function openApiDocument(version: string) {
  const eventSchemas = Object.fromEntries(
    EVENT_DEFINITIONS.map((d) => [
      `Event_${d.type}`,
      {
        type: 'object',
        description: `${d.title}. ${d.description} Allowed at stages: ${d.from.join(', ')}. Roles: ${d.roles.join(', ')}.`,
        required: ['type', 'data', 'expectedVersion'],
        properties: {
          type: { type: 'string', enum: [d.type] },
          data: jsonSchema(d.schema),
          expectedVersion: { type: 'integer', minimum: 1 },
          idempotencyKey: { type: 'string', minLength: 8, maxLength: 200 },
        },
      },
    ]),
  )
  const caseId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
  const personId = { name: 'personId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
  const common = {
    '400': errorResponse('Invalid input; every bad field is named'),
    '401': errorResponse('Not signed in'),
    '404': errorResponse('No such case, or not in your scope'),
  }
  const cpsOnly = { '403': errorResponse('Only CPS prosecutors and unit heads see the advocate panel') }
  const advocateCommon = {
    '400': errorResponse('Invalid input; every bad field is named'),
    '401': errorResponse('Not signed in'),
    '403': errorResponse('Only CPS unit heads manage the panel; prosecutors read it'),
    '404': errorResponse('No such advocate on your area’s panel'),
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Casebridge API',
      version,
      description:
        'The shared RASSO case record. Sign in with POST /session (cookie) or send Authorization: Bearer <token>.',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'casebridge_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'fields'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
        Report: jsonSchema(reportSchema),
        EventEnvelope: jsonSchema(eventBodySchema),
        ...eventSchemas,
      },
    },
    security: [{ cookie: [] }, { bearer: [] }],
    paths: {
      ...moduleOpenApiPaths({ caseId, common }),
      '/session': {
        post: {
          summary: 'Sign in',
          security: [],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['email', 'password'],
                  properties: { email: { type: 'string' }, password: { type: 'string' } },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Signed in; cookie set' },
            '400': errorResponse('Missing email or password'),
            '401': errorResponse('Wrong email or password'),
            '429': errorResponse(
              'Too many failed attempts from this address (for this email, or in all): wait for Retry-After seconds',
            ),
          },
        },
        delete: { summary: 'Sign out', responses: { '204': { description: 'Signed out' } } },
      },
      '/tasks': {
        get: {
          summary:
            'A work queue, soonest due first, with counts for every view: my tasks, overdue, awaiting my decision, or (supervisors, inspectors and unit heads) my team with counts by role and kind',
          parameters: [
            {
              name: 'view',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: TASK_VIEWS.map((v) => v.value) },
            },
            { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: TASK_KIND_IDS } },
            { name: 'role', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'q', in: 'query', required: false, schema: { type: 'string', description: 'A URN' } },
          ],
          responses: {
            '200': { description: 'Tasks, counts and (team view) the breakdown' },
            '400': errorResponse('A filter is not one of the allowed values'),
            '401': errorResponse('Not signed in'),
            '403': errorResponse('The team view is for supervisors, inspectors and unit heads'),
          },
        },
      },
      '/me': {
        get: {
          summary: 'The signed-in user',
          responses: { '200': { description: 'The user' }, '401': errorResponse('Not signed in') },
        },
      },
      '/cases': {
        get: {
          summary: 'Cases the caller may see',
          parameters: ['stage', 'force', 'q', 'sort', 'direction', 'page'].map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string' },
          })),
          responses: { '200': { description: 'A page of cases' }, ...common },
        },
        post: {
          summary: 'Record a report',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Report' } } } },
          responses: {
            '201': { description: 'The new case' },
            '200': { description: 'The case created earlier with the same idempotencyKey' },
            '403': errorResponse('Not a police investigator or supervisor'),
            ...common,
          },
        },
      },
      '/cases/{id}': {
        get: {
          summary: 'A case, its stage, version and the events the caller may apply now',
          parameters: [caseId],
          responses: { '200': { description: 'The case' }, ...common },
        },
      },
      '/cases/{id}/events': {
        post: {
          summary: 'Apply an event',
          parameters: [caseId],
          requestBody: {
            content: {
              'application/json': {
                schema: { oneOf: EVENT_DEFINITIONS.map((d) => ({ $ref: `#/components/schemas/Event_${d.type}` })) },
              },
            },
          },
          responses: {
            '201': { description: 'The case after the event' },
            '200': { description: 'Replay of an earlier request with the same idempotencyKey' },
            '403': errorResponse('Role may not apply this event'),
            '409': errorResponse('Stale expectedVersion, or event not allowed at this stage'),
            '422': errorResponse('A rule of the case is broken'),
            ...common,
          },
        },
      },
      '/cases/{id}/timeline': {
        get: {
          summary: 'The case timeline, newest first',
          parameters: [caseId],
          responses: { '200': { description: 'Events' }, ...common },
        },
      },
      '/cases/{id}/deadlines': {
        get: {
          summary: 'Every clock on the case (derived from the timeline), with its due date, status and explanation',
          parameters: [caseId],
          responses: { '200': { description: 'Clocks' }, ...common },
        },
      },
      '/cases/{id}/victim-care': {
        get: {
          summary:
            'For each complainant the caller may see: Victims’ Code entitlements as clocks, contact preferences, needs, support and ISVA, special measures, withdrawal of support, the contact log and ISVA notes',
          parameters: [caseId],
          responses: { '200': { description: 'Victim care record' }, ...common },
        },
      },
      '/cases/{id}/material-requests': {
        get: {
          summary:
            'The case team’s record of requests for a complainant’s or witness’s device or third-party records: each request’s state, staged scopes with their decisions, the device’s spells with the police and days without it, its clocks, its full history and what the person has been told. Events are applied with POST /cases/{id}/events. An ISVA is refused (403): they see what the complainant has been told on the case and victim care records.',
          parameters: [caseId],
          responses: { '200': { description: 'Requests for material' }, ...common },
        },
      },
      '/cases/{id}/letters/drafts': {
        get: {
          summary:
            'The letters a complainant can be sent now (hello, at charge, no further action with the right to review), merged from the case, with their plain English checks',
          parameters: [
            caseId,
            { name: 'complainantId', in: 'query', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: { '200': { description: 'Drafts' }, '403': errorResponse('Role may not send letters'), ...common },
        },
      },
      '/cases/{id}/letters': {
        post: {
          summary:
            'Send a letter: checked for reading ease, terms to avoid and other people’s details (400 names the field), kept on the timeline as sent, emailed to the safe address or marked for posting',
          parameters: [caseId],
          requestBody: {
            content: {
              'application/json': {
                schema: jsonSchema(letterInputSchema),
              },
            },
          },
          responses: { '201': { description: 'Sent' }, '403': errorResponse('Role may not send letters'), ...common },
        },
      },
      '/cases/{id}/letters/{seq}': {
        get: {
          summary: 'A letter exactly as it was sent, with its delivery state',
          parameters: [caseId, { name: 'seq', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': { description: 'Letter' }, ...common },
        },
      },
      '/cases/{id}/people/{personId}/safe-contact-details': {
        get: {
          summary: 'A complainant’s safe contact details (investigators, police supervisors, witness care; audited)',
          parameters: [caseId, personId],
          responses: {
            '200': { description: 'Safe contact details, or null' },
            '403': errorResponse('Role may not see them'),
            ...common,
          },
        },
        put: {
          summary: 'Replace a complainant’s safe contact details: at least one of phone, email, address',
          parameters: [caseId, personId],
          requestBody: {
            content: {
              'application/json': {
                schema: jsonSchema(safeContactSchema),
              },
            },
          },
          responses: { '204': { description: 'Saved' }, '403': errorResponse('Role may not change them'), ...common },
        },
      },
      '/advocates': {
        get: {
          summary:
            'The RASSO advocate panel of my CPS area (prosecutors and unit heads), each with whether they can be instructed today, why not, and warnings (accreditation or training expiring, probation)',
          responses: { '200': { description: 'Advocates' }, '401': errorResponse('Not signed in'), ...cpsOnly },
        },
        post: {
          summary: 'Add an advocate to my area’s panel (CPS unit heads)',
          requestBody: { content: { 'application/json': { schema: jsonSchema(ADVOCATE_FORMS.advocate.schema) } } },
          responses: { '201': { description: 'The advocate' }, ...advocateCommon },
        },
      },
      '/advocates/{id}': {
        get: {
          summary:
            'One advocate: RASSO list membership and probation, training, times not available, conflicts, instructions and counsel reports',
          parameters: [caseId],
          responses: { '200': { description: 'The advocate' }, ...advocateCommon },
        },
      },
      ...Object.fromEntries(
        (
          [
            ['membership', 'put', 'Change RASSO list membership (send the version you read; 409 if it changed)'],
            ['training', 'post', 'Add training completed, with its expiry date'],
            ['unavailability', 'post', 'Add a time the advocate is not available'],
            ['conflicts', 'post', 'Record a conflict of interest with a case of the area, by URN'],
          ] as const
        ).map(([path, method, summary]) => [
          `/advocates/{id}/${path}`,
          {
            [method]: {
              summary: `${summary} (CPS unit heads)`,
              parameters: [caseId],
              requestBody: {
                content: {
                  'application/json': {
                    schema: jsonSchema(ADVOCATE_FORMS[path === 'conflicts' ? 'conflict' : path].schema),
                  },
                },
              },
              responses: {
                '200': { description: 'The advocate as changed' },
                '409': errorResponse('Changed since read'),
                ...advocateCommon,
              },
            },
          },
        ]),
      ),
      '/measures': {
        get: {
          summary:
            'The catalogue of joint performance measures: each one’s definition in words, numerator, denominator, cohort rule, unit and the events it reads; and the breakdowns',
          responses: { '200': { description: 'Measures and breakdowns' }, '401': errorResponse('Not signed in') },
        },
      },
      '/measures/{id}': {
        get: {
          summary:
            'One measure by a breakdown for whole financial quarters, as rows of { group, value, numerator, denominator, suppressed } (shares and the funnel also give the category; durations the 90th percentile) and the total. Figures are suppressed below the threshold and rounded unless every case behind them is in your scope; every read is logged as a release.',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', enum: MEASURES.map((m) => m.id) } },
            ...Object.entries(
              (jsonSchema(measureQueryFields) as { properties: Record<string, object> }).properties,
            ).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
          ],
          responses: {
            '200': { description: 'The measure, parameters, disclosure control applied, rows and total' },
            '400': errorResponse('Invalid parameters; each is named'),
            '401': errorResponse('Not signed in'),
            '404': errorResponse('No such measure'),
          },
        },
      },
      '/cases/{id}/access-log': {
        get: {
          summary: 'Who read or changed the case (police supervisors and CPS unit heads)',
          parameters: [caseId],
          responses: {
            '200': { description: 'Audit entries' },
            '403': errorResponse('Role may not read the access log'),
            ...common,
          },
        },
      },
    },
  }
}
