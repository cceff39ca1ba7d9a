import type { CaseModule } from '../module'
import { victimCareOpenApi } from './openapi'
import { VICTIM_EVENTS } from './rules'
import { VICTIM_CLOCK_RULES, VICTIM_TASK_KINDS } from './victims-code'
import { VRR_CLOCK_RULES, VRR_EVENTS } from './vrr'
import { VICTIM_CARE_WRITES } from './record'

/** The Victims' Code: contact, support and ISVAs, special measures, letters, withdrawal and the right to review. */
export const victimCare: CaseModule = {
  name: 'victim-care',
  tableWrites: VICTIM_CARE_WRITES,
  events: [...VICTIM_EVENTS, ...VRR_EVENTS],
  clockRules: [...VICTIM_CLOCK_RULES, ...VRR_CLOCK_RULES],
  taskKinds: VICTIM_TASK_KINDS,
  section: {
    path: 'victim-care',
    title: 'Victim care',
    summary: 'contact, entitlements, ISVA and special measures',
    fullViewOnly: false,
  },
  // Loaded when the app is built: the pages use the case pages' helpers, which read the registry this list makes.
  routes: async () => {
    const [{ registerVictimCarePages }, { registerVictimCareApi }] = await Promise.all([
      import('./pages'),
      import('./pages-api'),
    ])
    return { pages: registerVictimCarePages, api: registerVictimCareApi }
  },
  demo: async () => (await import('./demo')).victimCareChapter,
  openapi: victimCareOpenApi,
}

/** The victim care events (contact, support, special measures, reviews), listed on the victim care page. */
export const VICTIM_EVENT_TYPES: ReadonlySet<string> = new Set(victimCare.events!.map((d) => d.type))
