import type { Repositories } from '../data'
import type { Config } from '../config'
import type { AuditTrail } from './audit-trail'
import type { CasesService } from './cases'
import { victimCareKernel } from './victim-care-kernel'
import { victimLetters } from './victim-letters'
import { victimRecords } from './victim-records'

/** Victim care, as one service: the records (victim-records.ts) and letters (victim-letters.ts). */
export function victimCareService(repos: Repositories, audit: AuditTrail, cases: CasesService, config: Config) {
  const kernel = victimCareKernel(repos, audit, cases, config)
  return { ...victimRecords(kernel), ...victimLetters(kernel) }
}

export type VictimCareService = ReturnType<typeof victimCareService>
