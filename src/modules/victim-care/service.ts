import type { Repositories } from '../../data'
import type { Config } from '../../config'
import type { AuditTrail } from '../../services/audit-trail'
import type { CasesService } from '../../services/case'
import { type ModuleKernel, serviceOf } from '../module'
import { victimCareKernel } from './service-kernel'
import { victimLetters } from './service-letters'
import { victimRecords } from './service-records'

/** Victim care, as one service: the records (service-records.ts) and letters (service-letters.ts). */
export function victimCareService(repos: Repositories, audit: AuditTrail, cases: CasesService, config: Config) {
  const kernel = victimCareKernel(repos, audit, cases, config)
  return { ...victimRecords(kernel), ...victimLetters(kernel) }
}

export type VictimCareService = ReturnType<typeof victimCareService>

/** The victim care service over the composition root's parts (built once for them). */
export const victimCareOf = (services: ModuleKernel) =>
  serviceOf(services, 'victim-care', (k) => victimCareService(k.repos, k.audit, k.cases, k.config))
