import type { OpenApiShared } from '../module'

/** Digital evidence's paths in the OpenAPI document. */
export const digitalOpenApi = ({ caseId, common }: OpenApiShared) => ({
  '/cases/{id}/material-requests': {
    get: {
      summary:
        'The case team’s record of requests for a complainant’s or witness’s device or third-party records: each request’s state, staged scopes with their decisions, the device’s spells with the police and days without it, its clocks, its full history and what the person has been told. Events are applied with POST /cases/{id}/events. An ISVA is refused (403): they see what the complainant has been told on the case and victim care records.',
      parameters: [caseId],
      responses: { '200': { description: 'Requests for material' }, ...common },
    },
  },
})
