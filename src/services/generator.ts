import { randomBytes, randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import { type Kysely, sql } from 'kysely'
import { insertRows } from '../data/insert-rows'
import type { Config } from '../config'
import type { Repositories } from '../data'
import type { Database } from '../data/schema'
import type { Role } from '../core/roles'
import { type Calibration, planCase, type CasePlan } from '../domain/synthetic'
import type { AuditTrail } from './audit-trail'
import { databaseStore, type MemoryStore, memoryStore, STORE_TABLES, tableDefaults } from './case/store'
import type { SchedulerService } from './scheduler'
import type { CalendarService } from './calendar'
import { reportRows, type CasesService } from './case'
import { contextFor, type RequestContext } from './context'
import { coveringUnit } from './case/store'
import { type CaseCells, writeCells } from './measure-projection'
import { AppError } from './errors'

const BULK_BATCHING = {
  /**
   * Cases planned and worked out in memory at a time: each case's rows are held until its batch is written, and 1,000
   * keeps that well within the server's bounded heap (decision 0028).
   */
  cases: 1000,
  /**
   * Batches written in one transaction by the bulk path, their measure sums added up in memory and each cell written
   * once: a cell is shared by many cases (a quarter, a force, a breakdown value), so writing it once for ten batches
   * rather than once for each keeps the national load from being mostly updates of the same rows.
   */
  batchesPerTransaction: 10,
  /** Cells added up before they are written (within the transaction) whatever the batches: bounds the sums' memory. */
  cellsHeld: 200_000,
}
/** A plan's step for the scheduled job's work on the case (escalations, administrative finalisation), not an event. */
const SCHEDULED_TICK = 'scheduled_tick'
const POLICE_ROLES: readonly Role[] = ['investigator', 'police_supervisor']
const CPS_ROLES: readonly Role[] = ['prosecutor', 'cps_unit_head']

/** When a planned step happened: midday UTC on its day, a second apart in the case's order. */
export const stepTime = (on: string, seq: number) => new Date(Date.parse(`${on}T12:00:00.000Z`) + seq * 1000)

export function generatorService(
  repos: Repositories,
  config: Config,
  cases: CasesService,
  calendar: CalendarService,
  audit: AuditTrail,
  scheduler: SchedulerService,
) {
  const { db } = repos

  /**
   * People to record the synthetic events: an investigator and a supervisor in each force, a prosecutor and unit head
   * in each CPS area, and a witness care unit with an officer for each force. They cannot sign in (a random password
   * nobody knows) and are named as synthetic.
   */
  async function actors(forces: readonly string[]) {
    const orgs = await db
      .selectFrom('organisations as o')
      .innerJoin('force_areas as fa', (j) => j.onRef('fa.force_code', '=', 'o.code').on('fa.is_default', '=', true))
      .select(['o.code', 'o.name', 'o.urn_code', 'fa.area_code'])
      .where('o.code', 'in', [...forces])
      .execute()
    if (orgs.length !== forces.length) throw new Error('Every force to generate for needs a default CPS area')
    let hash: Promise<string> | undefined
    const ensure = async (orgCode: string, role: Role): Promise<RequestContext> => {
      const email = `synthetic.${role.replace(/_/g, '-')}.${orgCode}@casebridge.invalid`
      let user = await repos.users.byEmail(email)
      if (!user) {
        hash ??= argon2.hash(randomBytes(24).toString('hex'))
        await repos.users.insert({
          id: randomUUID(),
          email,
          name: `Synthetic ${role.replace(/_/g, ' ')} (${orgCode})`,
          orgCode,
          passwordHash: await hash,
          roles: [role],
        })
        user = (await repos.users.byEmail(email))!
      }
      return contextFor(user, 'Generate synthetic data', 'generate')
    }
    const byForce = new Map<string, Map<string, RequestContext>>()
    const units = new Map<string, string>()
    for (const org of orgs) {
      // The witness care unit that covers the force, or one made for the synthetic data.
      const covering = await coveringUnit(db, org.code)
      const unit = covering ?? `synthetic-wcu-${org.code}`.slice(0, 60)
      units.set(org.code, unit)
      if (!covering) {
        await db
          .insertInto('organisations')
          .values({
            code: unit,
            name: `Witness care unit, ${org.name} (synthetic)`,
            kind: 'witness_care_unit',
            source: 'Synthetic data',
          })
          .onConflict((oc) => oc.column('code').doNothing())
          .execute()
        await db.insertInto('unit_coverage').values({ unit_code: unit, force_code: org.code }).execute()
        repos.reference.forget()
      }
      const roles = new Map<string, RequestContext>()
      for (const role of POLICE_ROLES) roles.set(role, await ensure(org.code, role))
      for (const role of CPS_ROLES) roles.set(role, await ensure(org.area_code, role))
      roles.set('witness_care', await ensure(unit, 'witness_care'))
      byForce.set(org.code, roles)
    }
    return { byForce, orgs, units }
  }

  const fill = (data: Record<string, unknown>, ids: { suspect?: string; complainant: string }) =>
    JSON.parse(
      JSON.stringify(data)
        .replaceAll('"$suspect"', JSON.stringify(ids.suspect ?? null))
        .replaceAll('"$complainant"', JSON.stringify(ids.complainant)),
    ) as Record<string, unknown>

  /** Each case through the real services: every rule, clock, projection, task and audit row as a person's would be. */
  async function throughEvents(plans: readonly CasePlan[], who: Awaited<ReturnType<typeof actors>>) {
    for (const plan of plans)
      await throughEventsOne(plan, who).catch((error: unknown) => {
        const fields = error instanceof AppError ? JSON.stringify(error.fields) : ''
        throw new Error(`Synthetic case ${plan.index} could not be recorded: ${(error as Error).message} ${fields}`, {
          cause: error,
        })
      })
  }

  async function throughEventsOne(plan: CasePlan, who: Awaited<ReturnType<typeof actors>>) {
    {
      const as = (role: string) => who.byForce.get(plan.forceCode)!.get(role)!
      const { detail } = await cases.recordReport(as('investigator'), plan.report, {
        at: stepTime(plan.report.reportedOn, 0),
      })
      const ids = {
        suspect: detail.people.find((p) => p.role === 'suspect')?.id,
        complainant: detail.people.find((p) => p.role === 'complainant')!.id,
      }
      let version = detail.version
      for (const step of plan.steps) {
        if (step.type === SCHEDULED_TICK) {
          // The scheduled job's work on this case as of the step's day, in one transaction of its own.
          const settings = await calendar.current()
          version = await db.transaction().execute(async (trx) => {
            const row = (await repos.cases.lockForUpdate(trx, detail.id))!
            const store = databaseStore(trx, repos.cases, audit)
            return (await scheduler.tickCase(store, row, step.on, settings, stepTime)).version
          })
          continue
        }
        const body = { type: step.type, data: fill(step.data, ids), expectedVersion: version }
        const applied = await cases.applyEvent(as(step.role), detail.id, body, false, {
          at: stepTime(step.on, version),
        })
        version = applied.detail.version
      }
    }
  }

  /** What the bulk path reads once a run, so that working cases out in memory reads nothing from the database. */
  async function bulkRun(who: Awaited<ReturnType<typeof actors>>) {
    const serials = new Map<string, number>()
    for (const s of await db.selectFrom('urn_serials').selectAll().where('unit', '=', config.urnUnit).execute())
      serials.set(`${s.force_code}|${s.year2}`, s.last_serial)
    return {
      who,
      serials,
      orgOf: new Map(who.orgs.map((o) => [o.code, o])),
      settings: await calendar.current(),
      defaults: await tableDefaults(db),
      reference: {
        activeOffenceCodes: await cases.activeOffenceCodes(),
        coveringUnits: who.units,
      },
    }
  }
  type BulkRun = Awaited<ReturnType<typeof bulkRun>>

  /**
   * The same cases worked out in memory: each case's report and events applied by the services' own code (the same
   * checks, rules, effects, timeline, work queue and audit rows, decision 0027), into a store of rows to write.
   */
  async function inMemory(plans: readonly CasePlan[], run: BulkRun) {
    const { who } = run
    const stores: MemoryStore[] = []
    for (const plan of plans) {
      const as = (role: string) => who.byForce.get(plan.forceCode)!.get(role)!
      const org = run.orgOf.get(plan.forceCode)!
      const year2 = plan.report.reportedOn.slice(2, 4)
      const serial = (run.serials.get(`${org.code}|${year2}`) ?? 0) + 1
      run.serials.set(`${org.code}|${year2}`, serial)
      const investigator = as('investigator')
      const at = stepTime(plan.report.reportedOn, 0)
      const written = reportRows({
        id: randomUUID(),
        report: await cases.validateReport(plan.report, run.reference.activeOffenceCodes),
        force: { code: org.code, areaCode: org.area_code, urnCode: org.urn_code! },
        unit: config.urnUnit,
        serial,
        actor: { id: investigator.user.id, orgCode: investigator.user.orgCode, role: 'investigator' },
        createKey: null,
        now: at,
        at,
      })
      const store = memoryStore(run.defaults, run.reference)
      store.now = at
      let row = await cases.inMemory.report(store, written, investigator, run.settings)
      const ids = {
        suspect: written.people.find((p) => p.role === 'suspect' && !p.unknown)?.id,
        complainant: written.people.find((p) => p.role === 'complainant')!.id,
      }
      for (const step of plan.steps) {
        if (step.type === SCHEDULED_TICK) {
          row = await scheduler.tickCase(store, row, step.on, run.settings, stepTime)
          continue
        }
        const stepAt = stepTime(step.on, row.version)
        store.now = stepAt
        row = (
          await cases.inMemory
            .event(store, row, as(step.role), { type: step.type, data: fill(step.data, ids), at: stepAt }, run.settings)
            .catch((error: unknown) => {
              const fields = error instanceof AppError ? JSON.stringify(error.fields) : ''
              throw new Error(
                `Synthetic case ${plan.index} could not be recorded: ${step.type}: ${(error as Error).message} ${fields}`,
                { cause: error },
              )
            })
        ).row
      }
      stores.push(store)
    }
    return stores
  }

  /**
   * Writes cases worked out in memory, every row of a batch in a few statements, inside the caller's transaction; their
   * measure sums are worked out from the timelines by the same code as a rebuild and added to `cells`.
   */
  async function writeBulk(trx: Kysely<Database>, stores: readonly MemoryStore[], run: BulkRun, cells: CaseCells) {
    // In the order the foreign keys need.
    for (const table of STORE_TABLES)
      await insertRows(trx, table, stores.flatMap((s) => s.tables.get(table)!) as never[])
    await cases.countNewCases(
      trx,
      stores.map((s) => s.tables.get('cases')![0]!.id as string),
      run.settings,
      cells,
    )
    await audit.recordAll(
      stores.flatMap((s) => s.audited),
      trx,
    )
  }

  /** The last URN serial given in each force and year, as the cases written so far left them. */
  async function writeSerials(trx: Kysely<Database>, run: BulkRun) {
    if (run.serials.size === 0) return
    await trx
      .insertInto('urn_serials')
      .values(
        [...run.serials].map(([key, last]) => {
          const [force, year2] = key.split('|') as [string, string]
          return { force_code: force, unit: config.urnUnit, year2, last_serial: last }
        }),
      )
      .onConflict((oc) =>
        oc
          .columns(['force_code', 'unit', 'year2'])
          .doUpdateSet((eb) => ({ last_serial: eb.ref('excluded.last_serial') })),
      )
      .execute()
  }

  return {
    /**
     * Generates `cases` synthetic cases for a seed over `years` years up to `until`, through the events (default) or
     * in bulk. The same arguments always give the same cases.
     */
    async generate(options: {
      cases: number
      seed: number
      years: number
      until: string
      forces?: readonly string[]
      bulk?: boolean
      /** Other shares than the published ones (tests, to take every path in a few cases). */
      calibration?: Partial<Calibration>
      /** Smaller batches than the defaults (tests, to cross every boundary in a few cases). */
      batching?: Partial<typeof BULK_BATCHING>
      onProgress?: (done: number) => void
    }) {
      const forces =
        options.forces ??
        (
          await db
            .selectFrom('organisations')
            .select('code')
            .where('kind', '=', 'police_force')
            .where('active', '=', true)
            .where('urn_code', 'is not', null)
            .orderBy('code')
            .execute()
        ).map((o) => o.code)
      const who = await actors(forces)
      const started = Date.now()
      const before = new Set<string>()
      for (const row of await db
        .selectFrom('cases')
        .select('id')
        .where('crime_reference', 'like', `SYN/${options.seed}/%`)
        .execute())
        before.add(row.id)
      const batching = { ...BULK_BATCHING, ...options.batching }
      const plansFrom = (start: number) =>
        Array.from({ length: Math.min(batching.cases, options.cases - start) }, (_, i) =>
          planCase({
            seed: options.seed,
            index: start + i,
            years: options.years,
            until: options.until,
            forces,
            calibration: options.calibration,
            adminFinalisationMonths: config.adminFinalisationMonths,
          }),
        )
      if (options.bulk) {
        const run = await bulkRun(who)
        const span = batching.cases * batching.batchesPerTransaction
        for (let first = 0; first < options.cases; first += span) {
          const last = Math.min(first + span, options.cases)
          await db.transaction().execute(async (trx) => {
            const cells: CaseCells = new Map()
            for (let start = first; start < last; start += batching.cases) {
              // Worked out in memory with the transaction open: it reads nothing, or the embedded engine's one
              // connection, held by the transaction, would wait for itself.
              await writeBulk(trx, await inMemory(plansFrom(start), run), run, cells)
              if (cells.size > batching.cellsHeld) {
                await writeCells(trx, cells)
                cells.clear()
              }
            }
            await writeCells(trx, cells)
            await writeSerials(trx, run)
          })
          options.onProgress?.(last)
        }
      } else {
        for (let start = 0; start < options.cases; start += batching.cases) {
          const plans = plansFrom(start)
          await throughEvents(plans, who)
          options.onProgress?.(start + plans.length)
        }
      }
      // After a bulk load: fresh statistics of every table it wrote, or the planner guesses from the empty tables it
      // saw before, and the visibility map set, so counts read the indexes alone (autovacuum would do both, later).
      if (options.bulk) {
        const written = [...STORE_TABLES, 'measure_cells', 'measure_case_state', 'audit_log', 'urn_serials']
        await sql`VACUUM (ANALYZE) ${sql.join(written.map((t) => sql.table(t)))}`.execute(db)
      }
      const seconds = (Date.now() - started) / 1000
      // The cases this run wrote, in plan order (a second run of the same seed writes its own copies).
      const written = await db
        .selectFrom('cases')
        .select(['id', 'crime_reference'])
        .where('crime_reference', 'like', `SYN/${options.seed}/%`)
        .execute()
      const caseIds = written
        .map((c) => ({ id: c.id, index: Number(c.crime_reference.split('/')[2]) }))
        .filter((c) => !before.has(c.id) && c.index < options.cases)
        .sort((a, b) => a.index - b.index)
        .map((c) => c.id)
      return { cases: options.cases, seconds, casesPerSecond: options.cases / Math.max(seconds, 0.001), caseIds }
    },
  }
}

export type GeneratorService = ReturnType<typeof generatorService>
