import type { Config } from '../../config'
import type { Repositories } from '../../data'
import type { AuditTrail } from '../audit-trail'
import type { CalendarService } from '../calendar'
import { caseKernel } from './kernel'
import { caseReads } from './reads'
import { caseWrites } from './apply'

/** The case use cases, as one service: reading cases (reads.ts) and changing them (apply.ts). */
export function casesService(repos: Repositories, audit: AuditTrail, config: Config, calendar: CalendarService) {
  const kernel = caseKernel(repos, audit, config, calendar)
  return { ...caseReads(kernel), ...caseWrites(kernel) }
}

export type CasesService = ReturnType<typeof casesService>

// What the case kernel's callers name from here; each is defined in the file of its concern.
export { caseListQuerySchema, eventBodySchema, PAGE_SIZE, peopleInView } from './view'
export type { CaseDetail, CaseListQuery, PersonView } from './view'
export { reportRows } from './writes'
