import { moduleOpenApiPaths } from '../../modules/registry'
import { TASK_VIEWS } from '../../core/tasks'
import { TASK_KIND_IDS } from '../../modules/registry'
import { z } from 'zod'
import { EVENT_DEFINITIONS } from '../../modules/registry'
import { reportSchema } from '../../domain/report'
import { eventBodySchema } from '../../services/case'

/** A zod schema as the document's JSON Schema (what the request is validated with). */
export const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' })

/** An error answer in the document, with the shared error body. */
export const errorResponse = (description: string) => ({
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
  const common = {
    '400': errorResponse('Invalid input; every bad field is named'),
    '401': errorResponse('Not signed in'),
    '404': errorResponse('No such case, or not in your scope'),
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
      ...moduleOpenApiPaths({ caseId, common, jsonSchema, errorResponse }),
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
