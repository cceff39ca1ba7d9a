import type { CaseModule } from '../module'
import { performanceOpenApi } from './openapi'

/**
 * Joint performance: the measures, read from the cells every event keeps (the kernel's measure projection), with
 * statistical disclosure control; the dashboard, one measure, the catalogue, packs and the API. It has no events
 * of its own: what it counts is defined in measures.ts over every module's events.
 */
export const performance: CaseModule = {
  name: 'performance',
  // Loaded when the app is built: the pages use the web kernel's helpers, which read the registry this list makes.
  routes: async () => {
    const [{ registerPerformancePages }, { registerPerformanceApi }] = await Promise.all([
      import('./pages'),
      import('./pages-api'),
    ])
    return { pages: registerPerformancePages, api: registerPerformanceApi }
  },
  openapi: performanceOpenApi,
}
