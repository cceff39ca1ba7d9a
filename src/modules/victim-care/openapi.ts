import type { OpenApiShared } from '../module'
import { letterInputSchema, safeContactSchema } from './inputs'

/** Victim care's paths in the OpenAPI document: the record, letters and safe contact details. */
export const victimCareOpenApi = ({ caseId, common, jsonSchema, errorResponse }: OpenApiShared) => {
  const personId = { name: 'personId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
  return {
    '/cases/{id}/victim-care': {
      get: {
        summary:
          'For each complainant the caller may see: Victims’ Code entitlements as clocks, contact preferences, needs, support and ISVA, special measures, withdrawal of support, the contact log and ISVA notes',
        parameters: [caseId],
        responses: { '200': { description: 'Victim care record' }, ...common },
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
  }
}
