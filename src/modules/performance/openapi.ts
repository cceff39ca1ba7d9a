import type { OpenApiShared } from '../module'
import { MEASURES } from './measures'
import { measureQueryFields } from './query'

/** The measures' paths in the OpenAPI document. */
export const performanceOpenApi = ({ jsonSchema, errorResponse }: OpenApiShared) => ({
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
        ...Object.entries((jsonSchema(measureQueryFields) as { properties: Record<string, object> }).properties).map(
          ([name, schema]) => ({ name, in: 'query', required: false, schema }),
        ),
      ],
      responses: {
        '200': { description: 'The measure, parameters, disclosure control applied, rows and total' },
        '400': errorResponse('Invalid parameters; each is named'),
        '401': errorResponse('Not signed in'),
        '404': errorResponse('No such measure'),
      },
    },
  },
})
