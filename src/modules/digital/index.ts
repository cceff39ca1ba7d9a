import type { CaseModule } from '../module'
import { digitalOpenApi } from './openapi'
import { DIGITAL_EVENTS } from './events'
import { DIGITAL_CLOCK_RULES, DIGITAL_TASK_KINDS } from './rules'
import { DIGITAL_WRITES } from './record'

/** Requests for a complainant's or witness's device or records: scope, agreement, extraction, return. */
export const digital: CaseModule = {
  name: 'digital',
  tableWrites: DIGITAL_WRITES,
  events: DIGITAL_EVENTS,
  clockRules: DIGITAL_CLOCK_RULES,
  taskKinds: DIGITAL_TASK_KINDS,
  section: {
    path: 'digital',
    title: 'Digital evidence',
    summary: 'requests for a complainant’s or witness’s device or records',
    fullViewOnly: true,
    count: (detail) => (detail.materialRequests as readonly unknown[] | undefined)?.length ?? 0,
  },
  // Loaded when the app is built: the page uses the case pages' helpers, which read the registry this list makes.
  routes: async () => {
    const { registerDigitalPages } = await import('./pages')
    return { pages: registerDigitalPages }
  },
  demo: async () => (await import('./demo')).digitalChapter,
  openapi: digitalOpenApi,
}
