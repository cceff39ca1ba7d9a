import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quarterOf } from '../../src/modules/performance/breakdowns'
import { todayIso } from '../../src/core/fields'
import { AppError } from '../../src/services/errors'
import { writeBatchCells, type CaseMeasureState } from '../../src/services/measure-projection'
import { chargedCase, createWorld, validReport, type TestWorld } from '../helpers/database'
import { performanceOf } from '../../src/modules/performance/service'

let world: TestWorld
beforeAll(async () => {
  world = await createWorld()
})
afterAll(async () => world?.close())

const AVON = { force: 'avon-and-somerset' }
const thisQuarter = { from: quarterOf(todayIso()), to: todayIso() }

async function allCells() {
  const { rows } = await sql<{ key: string; n: string; d: string }>`
    SELECT concat_ws('|', measure_id, breakdown, quarter, force_code, area_code, offence_group, breakdown_value, category, days) AS key,
           numerator::text AS n, denominator::text AS d
    FROM measure_cells WHERE numerator <> 0 OR denominator <> 0 ORDER BY 1`.execute(world.database.db)
  return rows
}

async function errorOf(work: Promise<unknown>) {
  try {
    await work
  } catch (error) {
    return error as AppError
  }
  throw new Error('expected an error')
}

describe('joint performance from the shared record', () => {
  it('the sums kept event by event are exactly the sums worked out afresh from every timeline', async () => {
    const kept = await allCells()
    expect(kept.length).toBeGreaterThan(100) // the demo cases, through real events
    const rebuilt = await world.services.cases.rebuildMeasures({ batchSize: 7 })
    const { rows: cases } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(world.database.db)
    expect(rebuilt.cases).toBe(cases[0]!.n)
    expect(await allCells()).toEqual(kept)
    // The national rows are exactly the sum of every force's rows.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT measure_id, breakdown, quarter, offence_group, breakdown_value, category, days,
               sum(numerator) FILTER (WHERE force_code <> '*') - sum(numerator) FILTER (WHERE force_code = '*') AS dn,
               sum(denominator) FILTER (WHERE force_code <> '*') - sum(denominator) FILTER (WHERE force_code = '*') AS dd
        FROM measure_cells GROUP BY 1, 2, 3, 4, 5, 6, 7) s
      WHERE dn IS DISTINCT FROM 0 OR dd IS DISTINCT FROM 0`.execute(world.database.db)
    expect(rows[0]!.n).toBe(0)
  })

  it('a new report, its referral and its charge show at once, exactly, to an officer of the force', async () => {
    const investigator = await world.as('investigator')
    const read = async () =>
      performanceOf(world.services).read(
        investigator,
        'attrition_funnel',
        { by: 'force', ...AVON, ...thisQuarter },
        'api',
      )
    const before = await read()
    expect(before.disclosureControl.applied).toBe(false)
    const stage = (r: Awaited<ReturnType<typeof read>>, category: string) =>
      r.total.find((row) => row.category === category)!.numerator!
    const detail = await chargedCase(world, { reportedOn: todayIso() })
    const after = await read()
    expect(stage(after, 'reported') - stage(before, 'reported')).toBe(1)
    expect(stage(after, 'referred') - stage(before, 'referred')).toBe(1)
    expect(stage(after, 'charged') - stage(before, 'charged')).toBe(1)
    expect(after.rows.map((r) => r.group)).toEqual(expect.arrayContaining(['avon-and-somerset']))
    expect(after.rows.every((r) => r.group === 'avon-and-somerset')).toBe(true)
    const charged = after.total.find((r) => r.category === 'charged')!
    expect(charged.value).toBe(Math.round((charged.numerator! / charged.denominator!) * 1000) / 10)
    expect(detail.stage).toBe('charged')
  })

  it('the same figures are controlled for an analyst, nationally and for every export, and each release is logged', async () => {
    const analyst = await world.as('analyst')
    const result = await performanceOf(world.services).read(analyst, 'charge_rate', { by: 'force' }, 'api')
    expect(result.disclosureControl).toMatchObject({ applied: true, threshold: 10, base: 5 })
    for (const row of [...result.rows, ...result.total]) {
      if (row.suppressed) expect(row.value).toBeNull()
      for (const count of [row.numerator, row.denominator]) {
        if (count !== null) expect(count % 5).toBe(0)
        if (count !== null) expect(count).toBeGreaterThanOrEqual(10)
      }
    }
    // The demo is small: every force's figure is below 10, so every row is suppressed, none dropped.
    const forces = (await world.services.repos.reference.organisations())
      .filter((o) => o.kind === 'police_force')
      .map((o) => o.code)
    expect(result.rows.map((r) => r.group).sort()).toEqual(forces.sort())
    expect(result.rows.every((r) => r.suppressed)).toBe(true)
    const investigator = await world.as('investigator')
    const exported = await performanceOf(world.services).read(
      investigator,
      'charge_rate',
      { by: 'force', ...AVON },
      'csv',
    )
    expect(exported.disclosureControl.applied).toBe(true)
    const other = await performanceOf(world.services).read(
      investigator,
      'charge_rate',
      { force: 'thames-valley' },
      'page',
    )
    expect(other.disclosureControl.applied).toBe(true)
    const releases = await performanceOf(world.services).releases(3)
    expect(releases.map((r) => r.output)).toEqual(['page', 'csv', 'api'])
    expect(releases[2]).toMatchObject({ user_id: analyst.user.id, measure_ids: ['charge_rate'] })
    expect(releases[2]!.parameters).toMatchObject({ by: 'force' })
    expect(releases[2]!.disclosure_control).toMatchObject({ applied: true, threshold: 10, base: 5 })
  })

  it('exact figures only when no restricted case behind them is hidden from the reader', async () => {
    const read = async (who: string) =>
      (await performanceOf(world.services).read(await world.as(who), 'charge_rate', { ...AVON }, 'page'))
        .disclosureControl
    // The investigator is named on the force's restricted case; the second supervisor is not.
    expect(await read('investigator')).toMatchObject({ applied: false })
    expect(await read('police-supervisor-2.avon@casebridge.example')).toMatchObject({ applied: true })
  })

  it('breakdowns list every value, "not recorded" included, even when empty', async () => {
    const investigator = await world.as('investigator')
    const result = await performanceOf(world.services).read(
      investigator,
      'attrition_funnel',
      { by: 'ethnicity', ...AVON, ...thisQuarter },
      'api',
    )
    const groups = [...new Set(result.rows.map((r) => r.group))]
    expect(groups).toEqual(['asian', 'black', 'mixed', 'white', 'other', 'not_stated', 'not_recorded'])
    // The total of a breakdown is the same cohort as the total by force.
    const byForce = await performanceOf(world.services).read(
      investigator,
      'attrition_funnel',
      { by: 'force', ...AVON, ...thisQuarter },
      'api',
    )
    expect(result.total).toEqual(byForce.total)
  })

  it('the dashboard summary reads every measure in one query and controls it the same way', async () => {
    const summary = await performanceOf(world.services).summary(await world.as('analyst'), {}, 'page')
    expect(summary.measures).toHaveLength(performanceOf(world.services).catalogue().length)
    expect(summary.disclosureControl.applied).toBe(true)
    // Exact for the force's own officer: each total is the total of the measure read on its own.
    const investigator = await world.as('investigator')
    const own = await performanceOf(world.services).summary(investigator, { ...AVON, ...thisQuarter }, 'page')
    for (const { measure, total } of own.measures) {
      const alone = await performanceOf(world.services).read(
        investigator,
        measure.id,
        { by: 'force', ...AVON, ...thisQuarter },
        'api',
      )
      expect(
        total.map((r) => [r.category, r.value, r.numerator, r.denominator]),
        measure.id,
      ).toEqual(alone.total.map((r) => [r.category, r.value, r.numerator, r.denominator]))
    }
    const funnel = own.measures.find((m) => m.measure.id === 'attrition_funnel')!
    // Every case of the force reported this quarter (the demo's, dated from today, and the ones recorded above).
    const { rows: reported } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases WHERE force_code = ${AVON.force}
        AND reported_on BETWEEN ${thisQuarter.from} AND ${thisQuarter.to}`.execute(world.database.db)
    expect(funnel.total.find((r) => r.category === 'reported')!.numerator).toBe(reported[0]!.n)
  })

  it('bad parameters are named; an unknown measure is 404; nothing is logged for them', async () => {
    const analyst = await world.as('analyst')
    const count = async () => (await performanceOf(world.services).releases(1000)).length
    const before = await count()
    const cases: [Record<string, unknown>, string[]][] = [
      [{ by: 'postcode' }, ['by']],
      [{ from: '2025-02-30' }, ['from']],
      [{ from: '1899-01-01', to: '2025-13-01' }, ['from', 'to']],
      [{ from: '2025-06-01', to: '2025-01-01' }, ['to']],
      [{ from: '2000-01-01', to: '2025-01-01' }, ['from']],
      [{ force: 'atlantis' }, ['force']],
      [{ area: "x'; DROP TABLE cases; --" }, ['area']],
      [{ force: ['a', 'b'] }, ['force']],
      [{ offence_group: '<script>' }, ['offence_group']],
      [{ from: 'x'.repeat(10_000) }, ['from']],
    ]
    for (const [query, fields] of cases) {
      const error = await errorOf(performanceOf(world.services).read(analyst, 'charge_rate', query, 'api'))
      expect(error.status, JSON.stringify(query).slice(0, 80)).toBe(400)
      expect(Object.keys(error.fields ?? {}).sort()).toEqual(fields.sort())
    }
    expect((await errorOf(performanceOf(world.services).read(analyst, 'no_such_measure', {}, 'api'))).status).toBe(404)
    expect(await count()).toBe(before)
    // An empty parameter is no filter at all, as a form's "All forces" sends it.
    const unfiltered = await performanceOf(world.services).read(
      analyst,
      'charge_rate',
      { force: '', area: '', by: '' },
      'api',
    )
    expect(unfiltered.parameters).toMatchObject({ force: null, area: null, by: 'quarter' })
  })

  it('once a day, open cases are counted again from the state they were last counted in', async () => {
    const db = world.database.db
    const investigator = await world.as('investigator')
    const { detail } = await world.services.cases.recordReport(investigator, validReport({ reportedOn: '2026-01-10' }))
    const kept = await allCells()
    // As if counted before its Victims' Code entitlements came due: those contributions out of its state and the sums.
    const { rows } = await sql<{ contributions: CaseMeasureState }>`
      SELECT contributions FROM measure_case_state WHERE case_id = ${detail.id}`.execute(db)
    const full = rows[0]!.contributions
    const earlier = { ...full, items: full.items.filter((i) => i[0] !== 'victims_code_on_time') }
    expect(earlier.items.length).toBeLessThan(full.items.length)
    await db.transaction().execute((trx) => writeBatchCells(trx, [{ caseId: detail.id, before: full, state: earlier }]))
    await sql`UPDATE measure_case_state SET refreshed_at = now() - interval '2 days' WHERE case_id = ${detail.id}`.execute(
      db,
    )
    expect(await allCells()).not.toEqual(kept)
    // The hourly job counts it again: the sums are back to what the timeline gives, and it is not counted twice a day.
    expect((await world.services.scheduler.tick(todayIso())).measuresRefreshed).toBe(1)
    expect(await allCells()).toEqual(kept)
    expect(await world.services.cases.refreshMeasuresDue()).toBe(0)
  })

  it('a reopened case takes its outcome back out of the sums', async () => {
    const investigator = await world.as('investigator')
    const supervisor = await world.as('police_supervisor')
    const { detail } = await world.services.cases.recordReport(investigator, validReport({ reportedOn: todayIso() }))
    const read = () =>
      performanceOf(world.services).read(
        investigator,
        'police_outcomes',
        { by: 'force', ...AVON, ...thisQuarter },
        'api',
      )
    const code = (r: Awaited<ReturnType<typeof read>>) => r.total.find((row) => row.category === '18')?.numerator ?? 0
    const before = code(await read())
    let version = detail.version
    for (const [ctx, type, data] of [
      [investigator, 'propose_police_outcome', { outcomeCode: 18, rationale: 'No suspect identified after enquiries' }],
      [supervisor, 'sign_off_police_outcome', {}],
    ] as const) {
      version = (await world.services.cases.applyEvent(ctx, detail.id, { type, data, expectedVersion: version })).detail
        .version
    }
    expect(code(await read())).toBe(before + 1)
    await world.services.cases.applyEvent(supervisor, detail.id, {
      type: 'reopen',
      data: { toStage: 'investigation', reason: 'New evidence came to light' },
      expectedVersion: version,
    })
    expect(code(await read())).toBe(before)
  })
})
