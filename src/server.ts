import type { FastifyBaseLogger } from 'fastify'
import type { Config } from './config'
import { type DatabaseHandle, openDatabase } from './data/database'
import { migrate } from './data/migrate'
import { todayIso } from './core/fields'
import { ensureReferenceData } from './data/reference'
import { createServices, type Services } from './services'
import { buildApp } from './web/app'

/** Opens the database for this configuration, applies pending migrations and makes sure reference data is there. */
export async function openAndMigrate(config: Config): Promise<DatabaseHandle> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logLevel: config.logLevel,
  })
  try {
    await migrate(database.db)
    await ensureReferenceData(database.db)
    return database
  } catch (error) {
    await database.close()
    throw error
  }
}

/**
 * Serves until SIGTERM or SIGINT (or, when `config.stopWithParent`, until the process that started it has gone),
 * then stops taking requests, lets those in flight and any scheduled run finish, and closes the database.
 */
export async function serve(services: Services): Promise<void> {
  const { config } = services
  const app = await buildApp(services)
  let stopping = false
  // While stopping, every response closes its connection: Fastify closes only the connections idle when it starts to
  // stop, so a keep-alive connection whose request was in flight would otherwise hold the stop for 72 seconds.
  app.addHook('onSend', async (_request, reply) => {
    if (stopping) reply.header('connection', 'close')
  })
  await app.listen({ port: config.port, host: config.host })
  const jobs = backgroundJobs(app.log)
  const sweep = setInterval(() => {
    jobs.run('idle session sweep', 'warn', () =>
      services.repos.users.deleteIdleSessions(new Date(Date.now() - config.sessionIdleMinutes * 60_000)),
    )
  }, 10 * 60_000)
  sweep.unref()
  // The scheduled job; safe when several processes run it (see services/scheduler.ts).
  // Each run ends with a signed checkpoint of the audit chain's head, logged here too (decision 0029).
  const runScheduler = () =>
    jobs.run('scheduled escalation run', 'error', async () => {
      const { auditCheckpoint } = await services.scheduler.tick(todayIso())
      app.log.info({ auditCheckpoint }, 'audit checkpoint')
    })
  const scheduler = setInterval(runScheduler, 60 * 60_000)
  scheduler.unref()
  runScheduler()
  // Emails wait at most a minute for GOV.UK Notify (when configured); the hourly run above also sends.
  const mailer = setInterval(
    () => jobs.run('sending notifications', 'error', () => services.notifications.dispatch()),
    60_000,
  )
  mailer.unref()

  const stop = async (reason: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ reason }, 'stopping: draining requests')
    clearInterval(sweep)
    clearInterval(scheduler)
    clearInterval(mailer)
    try {
      await app.close()
      await jobs.settled()
    } finally {
      await services.database.close()
      app.log.info('stopped')
    }
  }
  const stopOn = (reason: string) => () =>
    void stop(reason).catch((error: unknown) => {
      app.log.error({ err: { message: (error as Error).message } }, 'stopping failed')
      process.exitCode = 1
    })
  process.once('SIGTERM', stopOn('SIGTERM'))
  process.once('SIGINT', stopOn('SIGINT'))
  if (config.stopWithParent) watchParent(stopOn('parent process exited'))
}

/**
 * Calls `gone` once the process that started this one has exited (this process is then adopted by another). Started
 * by `npm start`, the parent is npm: if npm is killed outright (SIGKILL after a process manager's grace period), no
 * signal reaches the server, which would otherwise keep running and keep the embedded database locked.
 */
function watchParent(gone: () => void) {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    gone()
  }, 1000)
  timer.unref()
}

/**
 * Work the server does on its own (the scheduled job, emails, the session sweep). A failure, the database being away
 * among them, is logged and the next run tries again: it never ends the process. Stopping waits for runs in progress.
 */
function backgroundJobs(log: FastifyBaseLogger) {
  const running = new Set<Promise<void>>()
  return {
    run(name: string, level: 'warn' | 'error', work: () => Promise<unknown>) {
      const job: Promise<void> = (async () => {
        await work()
      })()
        .catch((error: unknown) => {
          const { message, code } = (error ?? {}) as { message?: string; code?: string }
          log[level]({ err: { message, code } }, `${name} failed`)
        })
        .finally(() => running.delete(job))
      running.add(job)
    },
    settled: () => Promise.allSettled([...running]),
  }
}

export { createServices }
