import type { Kysely } from 'kysely'
import type { Database } from '../data/schema'
import type { Clock } from '../core/clocks'
import { todayIso } from '../core/fields'
import { contributionsOf, type MeasureCase } from '../modules/performance/measures'
import { caseBreakdowns, dayBucket, PERSONAL_BREAKDOWNS, quarterOf } from '../modules/performance/breakdowns'

/** The key of one cell of measure_cells, in its primary key's column order. */
type CellKey = [string, string, string, string, string, string, string, string, number]
/** Sums by cell, keyed by the JSON of the cell's key: one case's, or the changes of many cases added up. */
export type CaseCells = Map<string, [number, number]>

function addCell(cells: CaseCells, id: string, n: number, d: number) {
  const cell = cells.get(id)
  if (cell) {
    cell[0] += n
    cell[1] += d
  } else cells.set(id, [n, d])
}

/** Adds to `change` what moving from `before` to `after` changes in each cell. */
function addDifference(change: CaseCells, before: CaseCells, after: CaseCells) {
  for (const [id, [n, d]] of after) addCell(change, id, n, d)
  for (const [id, [n, d]] of before) addCell(change, id, -n, -d)
  return change
}

/** The force and area of the national rows: every case is also added to them, so a national figure reads few rows. */
export const NATIONAL = '*'

/**
 * What one case adds to the measures, compactly: its breakdown values and, per measure, quarter, category and
 * (bucketed) days, its numerator and denominator. Kept per case so the next event can take it back out.
 */
export interface CaseMeasureState {
  dims: { force: string; area: string } & ReturnType<typeof caseBreakdowns>
  items: [string, string, string, number, number, number][]
}

export function stateOfCase(c: MeasureCase): CaseMeasureState {
  const merged = new Map<string, CaseMeasureState['items'][number]>()
  for (const { measureId, contribution } of contributionsOf(c)) {
    const item: CaseMeasureState['items'][number] = [
      measureId,
      quarterOf(contribution.on),
      contribution.category ?? '',
      contribution.days === undefined ? -1 : dayBucket(contribution.days),
      contribution.numerator,
      contribution.denominator,
    ]
    const id = item.slice(0, 4).join('|')
    const seen = merged.get(id)
    if (seen) {
      seen[4] += item[4]
      seen[5] += item[5]
    } else merged.set(id, item)
  }
  return { dims: { force: c.forceCode, area: c.areaCode, ...caseBreakdowns(c) }, items: [...merged.values()] }
}

/**
 * The cells a case's state adds to: for all complainants (breakdown 'all') and for each personal breakdown, each
 * once under the case's force and area and once under the national rows.
 */
export function cellsOfState(state: CaseMeasureState | null | undefined): CaseCells {
  const cells: CaseCells = new Map()
  if (!state?.items) return cells
  const { dims } = state
  const places = [
    [dims.force, dims.area],
    [NATIONAL, NATIONAL],
  ] as const
  for (const [measureId, quarter, category, days, n, d] of state.items) {
    for (const [force, area] of places) {
      const keys: CellKey[] = [
        [measureId, 'all', quarter, force, area, dims.offence_group, '', category, days],
        ...PERSONAL_BREAKDOWNS.map((b): CellKey => [
          measureId,
          b,
          quarter,
          force,
          area,
          dims.offence_group,
          dims[b],
          category,
          days,
        ]),
      ]
      for (const key of keys) addCell(cells, JSON.stringify(key), n, d)
    }
  }
  return cells
}

export const cellsOfCase = (c: MeasureCase) => cellsOfState(stateOfCase(c))

/** What changes between two states of a case, sorted so concurrent transactions lock cells in the same order. */
export function cellDelta(before: CaseCells, after: CaseCells) {
  return changedCells(addDifference(new Map(), before, after))
}

/** The cells that change, sorted so concurrent transactions lock cells in the same order. */
function changedCells(change: CaseCells) {
  return [...change]
    .filter(([, [n, d]]) => n !== 0 || d !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, [numerator, denominator]]) => ({ key: JSON.parse(id) as CellKey, numerator, denominator }))
}

export interface MeasureSources {
  row: {
    id: string
    reported_on: string
    force_code: string
    area_code: string
    final_outcome: string | null
    police_outcome_code: number | null
    finalised_on: string | null
  }
  events: readonly { seq: number; type: string; occurred_at: Date; data: unknown }[]
  people: readonly {
    role: string
    age_band: string | null
    sex: string | null
    ethnicity: string | null
    disability: string | null
    relationship_to_complainant: string | null
  }[]
  clocks: readonly Clock[]
}

/** A case as the measures see it, from what an event's transaction has already read. */
export function measureCaseOf(sources: MeasureSources, offences: { rape: boolean; adultRape: boolean }): MeasureCase {
  const { row, people } = sources
  const complainant = people.find((p) => p.role === 'complainant')
  const suspect = people.find((p) => p.role === 'suspect' && p.relationship_to_complainant)
  return {
    reportedOn: row.reported_on,
    forceCode: row.force_code,
    areaCode: row.area_code,
    finalOutcome: row.final_outcome,
    policeOutcomeCode: row.police_outcome_code,
    finalisedOn: row.finalised_on,
    ...offences,
    complainant: {
      ageBand: complainant?.age_band ?? null,
      sex: complainant?.sex ?? null,
      ethnicity: complainant?.ethnicity ?? null,
      disability: complainant?.disability ?? null,
    },
    relationship: suspect?.relationship_to_complainant ?? null,
    timeline: sources.events.map((e) => ({
      seq: e.seq,
      type: e.type,
      occurredOn: todayIso(e.occurred_at),
      data: (e.data ?? {}) as Record<string, unknown>,
    })),
    clocks: sources.clocks.map((k) => ({
      ruleId: k.ruleId,
      due: k.due,
      status: k.status,
      late: k.late,
      metOn: k.stoppedBy?.reason === 'met' ? k.stoppedBy.on : null,
    })),
  }
}

/**
 * Brings measure_cells up to date with one case, inside the transaction that changed it: works out the case's cells
 * afresh, takes away what it added before and adds what it adds now. Three statements whatever the case's size.
 */
export async function refreshCaseMeasures(trx: Kysely<Database>, sources: MeasureSources) {
  const [offences, state] = await Promise.all([
    trx
      .selectFrom('case_offences as o')
      .innerJoin('offence_codes as oc', 'oc.code', 'o.code')
      .select(['oc.category', 'oc.adult_rape'])
      .where('o.case_id', '=', sources.row.id)
      .execute(),
    trx
      .selectFrom('measure_case_state')
      .select('contributions')
      .where('case_id', '=', sources.row.id)
      .executeTakeFirst(),
  ])
  const after = stateOfCase(
    measureCaseOf(sources, {
      rape: offences.some((o) => o.category === 'rape'),
      adultRape: offences.some((o) => o.adult_rape),
    }),
  )
  const before = (state?.contributions ?? null) as CaseMeasureState | null
  const delta = cellDelta(cellsOfState(before), cellsOfState(after))
  if (delta.length > 0) await upsertCells(trx, delta)
  if (delta.length === 0 && state) return
  const json = JSON.stringify(after)
  await trx
    .insertInto('measure_case_state')
    .values({ case_id: sources.row.id, contributions: json })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ contributions: json, refreshed_at: new Date() }))
    .execute()
}

/**
 * Moves many cases at once (a rebuild, generated data, the daily refresh) from the state they had (`before`, none for
 * a case not yet counted) to `state`: the difference summed in memory first, so each cell is written once a batch,
 * and each case's state written beside them. The cases must be locked, or new to the caller's transaction. With
 * `into`, the difference is added to those sums for the caller to write later in the same transaction (`writeCells`),
 * so several batches share one write of each cell.
 */
export async function writeBatchCells(
  trx: Kysely<Database>,
  cases: readonly { caseId: string; state: CaseMeasureState; before?: CaseMeasureState | null }[],
  into?: CaseCells,
) {
  const change: CaseCells = into ?? new Map()
  for (const c of cases) addDifference(change, cellsOfState(c.before), cellsOfState(c.state))
  if (!into) await writeCells(trx, change)
  for (let i = 0; i < cases.length; i += 2000) {
    await trx
      .insertInto('measure_case_state')
      .values(cases.slice(i, i + 2000).map((c) => ({ case_id: c.caseId, contributions: JSON.stringify(c.state) })))
      .onConflict((oc) =>
        oc
          .column('case_id')
          .doUpdateSet((eb) => ({ contributions: eb.ref('excluded.contributions'), refreshed_at: new Date() })),
      )
      .execute()
  }
}

/** Adds summed changes to measure_cells, each changed cell once, in statements of 4,000 cells. */
export async function writeCells(trx: Kysely<Database>, change: CaseCells) {
  const delta = changedCells(change)
  for (let i = 0; i < delta.length; i += 4000) await upsertCells(trx, delta.slice(i, i + 4000))
}

async function upsertCells(trx: Kysely<Database>, delta: ReturnType<typeof cellDelta>) {
  await trx
    .insertInto('measure_cells')
    .values(
      delta.map(({ key, numerator, denominator }) => ({
        measure_id: key[0],
        breakdown: key[1],
        quarter: key[2],
        force_code: key[3],
        area_code: key[4],
        offence_group: key[5],
        breakdown_value: key[6],
        category: key[7],
        days: key[8],
        numerator,
        denominator,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns([
          'measure_id',
          'breakdown',
          'quarter',
          'force_code',
          'area_code',
          'offence_group',
          'breakdown_value',
          'category',
          'days',
        ])
        .doUpdateSet((eb) => ({
          numerator: eb('measure_cells.numerator', '+', eb.ref('excluded.numerator')),
          denominator: eb('measure_cells.denominator', '+', eb.ref('excluded.denominator')),
        })),
    )
    .execute()
}
