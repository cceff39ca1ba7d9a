import type { CaseModule } from '../module'
import { advocatesOpenApi } from './openapi'
import { ADVOCATE_EVENTS } from './rules'
import { ADVOCATE_WRITES } from './record'

/** The area's panel of RASSO advocates, instructing one on a case, returned briefs and continuity of counsel. */
export const advocates: CaseModule = {
  name: 'advocates',
  tableWrites: ADVOCATE_WRITES,
  events: ADVOCATE_EVENTS,
  // Loaded when the app is built: the pages use the web kernel's helpers, which read the registry this list makes.
  routes: async () => {
    const [{ registerAdvocatePages }, { registerAdvocatesApi }] = await Promise.all([
      import('./pages'),
      import('./pages-api'),
    ])
    return { pages: registerAdvocatePages, api: registerAdvocatesApi }
  },
  openapi: advocatesOpenApi,
}
