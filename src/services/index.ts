import type { Config } from '../config'
import type { DatabaseHandle } from '../data/database'
import { createRepositories } from '../data'
import { probeDatabase } from '../data/database-availability'
import { auditKeyring } from '../domain/audit'
import { accountsService } from './accounts'
import { auditCheckpointsService } from './audit-checkpoints'
import { auditTrail } from './audit-trail'
import { calendarService } from './calendar'
import { casesService } from './case'
import { generatorService } from './generator'
import { referenceAdminService } from './reference-admin'
import { notificationsService, notifyEmailSender } from './notifications'
import { schedulerService } from './scheduler'
import { workQueueService } from './work-queue'

/** The composition root: every service, built once over one database handle. Routes receive these and build nothing. */
export function createServices(config: Config, database: DatabaseHandle) {
  const repos = createRepositories(database.db, auditKeyring(config.audit.key, config.audit.previousKeys))
  const audit = auditTrail(repos.audit)
  const calendar = calendarService(repos, audit)
  const cases = casesService(repos, audit, config, calendar)
  const notifications = notificationsService(repos, config.notify ? notifyEmailSender(config.notify) : null)
  const auditCheckpoints = auditCheckpointsService(repos, config)
  const scheduler = schedulerService(repos, audit, calendar, cases, notifications, config, auditCheckpoints)
  return {
    config,
    database,
    repos,
    audit,
    auditCheckpoints,
    accounts: accountsService(repos, audit, config),
    calendar,
    cases,
    notifications,
    workQueue: workQueueService(repos, audit),
    referenceAdmin: referenceAdminService(repos, audit),
    generator: generatorService(repos, config, cases, calendar, audit, scheduler),
    scheduler,
    /** Whether the database answers now (`/health`), and which engine it is. */
    health: async () => ({ ...(await probeDatabase(database.db)), engine: database.engine }),
  }
}

export type Services = ReturnType<typeof createServices>
