import type { OpenApiShared } from '../module'
import { ADVOCATE_FORMS } from './rules'

/** The advocate panel's paths in the OpenAPI document. */
export const advocatesOpenApi = ({ caseId, jsonSchema, errorResponse }: OpenApiShared) => {
  const cpsOnly = { '403': errorResponse('Only CPS prosecutors and unit heads see the advocate panel') }
  const advocateCommon = {
    '400': errorResponse('Invalid input; every bad field is named'),
    '401': errorResponse('Not signed in'),
    '403': errorResponse('Only CPS unit heads manage the panel; prosecutors read it'),
    '404': errorResponse('No such advocate on your area’s panel'),
  }
  return {
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
  }
}
