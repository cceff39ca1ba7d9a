import type { Config } from '../config'
import type { DatabaseHandle } from '../data/database'
import { createRepositories } from '../data'
import { accountsService } from './accounts'
import { auditTrail } from './audit-trail'
import { calendarService } from './calendar'
import { casesService } from './cases'
import { referenceAdminService } from './reference-admin'
import { schedulerService } from './scheduler'

/** The composition root: every service, built once over one database handle. Routes receive these and build nothing. */
export function createServices(config: Config, database: DatabaseHandle) {
  const repos = createRepositories(database.db)
  const audit = auditTrail(repos.audit)
  const calendar = calendarService(repos, audit)
  return {
    config,
    database,
    repos,
    audit,
    accounts: accountsService(repos, audit, config),
    calendar,
    cases: casesService(repos, audit, config, calendar),
    referenceAdmin: referenceAdminService(repos, audit),
    scheduler: schedulerService(repos, audit, calendar),
  }
}

export type Services = ReturnType<typeof createServices>
