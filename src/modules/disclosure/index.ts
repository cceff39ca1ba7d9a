import type { CaseModule } from '../module'
import { disclosureDemo } from './demo'
import { DISCLOSURE_PARTS } from './reads'
import { DISCLOSURE_WRITES } from './record'
import { DISCLOSURE_CLOCK_RULES, DISCLOSURE_EVENTS, DISCLOSURE_TASK_KINDS } from './rules'
import { disclosureFacts, disclosureView } from './view'

/** Disclosure of unused material: schedules in versions, the prosecutor's decisions, what was served and when. */
export const disclosure: CaseModule = {
  name: 'disclosure',
  events: DISCLOSURE_EVENTS,
  clockRules: DISCLOSURE_CLOCK_RULES,
  taskKinds: DISCLOSURE_TASK_KINDS,
  parts: DISCLOSURE_PARTS,
  facts: disclosureFacts,
  caseView: disclosureView,
  tableWrites: DISCLOSURE_WRITES,
  demoAt: disclosureDemo,
  section: {
    path: 'disclosure',
    title: 'Disclosure',
    summary: 'schedules of unused material, the prosecutor’s decisions and the management documents',
    fullViewOnly: true,
  },
  // Loaded when the app is built: the pages use the case pages' helpers, which read the registry this list makes.
  routes: async () => {
    const { registerDisclosureApi, registerDisclosurePages } = await import('./pages')
    return { pages: registerDisclosurePages, api: registerDisclosureApi }
  },
  openapi: ({ caseId, common }) => ({
    '/cases/{id}/disclosure': {
      get: {
        summary:
          'The case team’s disclosure record: each schedule’s versions (MG6C non-sensitive, MG6D sensitive, MG6E disclosure officer’s report) with sign-off, the items with the prosecutor’s decision and when served, initial and continuing disclosure and the defence statement, the investigation management document and the Disclosure Management Document in versions, and the disclosure clocks. Events are applied with POST /cases/{id}/events. The victim-support view is refused (403).',
        parameters: [caseId],
        responses: { '200': { description: 'Disclosure record' }, ...common },
      },
    },
  }),
}
