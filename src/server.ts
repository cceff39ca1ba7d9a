import type { Config } from './config'
import { type DatabaseHandle, openDatabase } from './data/database'
import { migrate } from './data/migrate'
import { todayIso } from './domain/fields'
import { ensureReferenceData } from './data/reference'
import { createServices, type Services } from './services'
import { buildApp } from './web/app'

/** Opens the database for this configuration, applies pending migrations and makes sure reference data is there. */
export async function openAndMigrate(config: Config): Promise<DatabaseHandle> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await migrate(database.db)
    await ensureReferenceData(database.db)
    return database
  } catch (error) {
    await database.close()
    throw error
  }
}

/** Serves until SIGTERM or SIGINT, then stops taking requests, lets those in flight finish and closes the database. */
export async function serve(services: Services): Promise<void> {
  const { config } = services
  const app = await buildApp(services)
  await app.listen({ port: config.port, host: config.host })
  const sweep = setInterval(() => {
    services.repos.users
      .deleteIdleSessions(new Date(Date.now() - config.sessionIdleMinutes * 60_000))
      .catch((error: unknown) => {
        app.log.warn({ err: { message: (error as Error).message } }, 'idle session sweep failed')
      })
  }, 10 * 60_000)
  sweep.unref()
  // The scheduled job; safe when several processes run it (see services/scheduler.ts).
  // Each run ends with a signed checkpoint of the audit chain's head, logged here too (decision 0029).
  const runScheduler = () =>
    services.scheduler
      .tick(todayIso())
      .then(({ auditCheckpoint }) => app.log.info({ auditCheckpoint }, 'audit checkpoint'))
      .catch((error: unknown) => {
        app.log.error({ err: { message: (error as Error).message } }, 'scheduled escalation run failed')
      })
  const scheduler = setInterval(runScheduler, 60 * 60_000)
  scheduler.unref()
  void runScheduler()
  // Emails wait at most a minute for GOV.UK Notify (when configured); the hourly run above also sends.
  const mailer = setInterval(() => {
    services.notifications.dispatch().catch((error: unknown) => {
      app.log.error({ err: { message: (error as Error).message } }, 'sending notifications failed')
    })
  }, 60_000)
  mailer.unref()

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'stopping: draining requests')
    clearInterval(sweep)
    clearInterval(scheduler)
    clearInterval(mailer)
    try {
      await app.close()
    } finally {
      await services.database.close()
      app.log.info('stopped')
    }
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}

export { createServices }
