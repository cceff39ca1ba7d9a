import type { Kysely } from 'kysely'
import type { Database } from '../data/schema'
import type { Clock } from '../domain/clocks'
import { todayIso } from '../domain/fields'
import { caseBreakdowns, contributionsOf, PERSONAL_BREAKDOWNS, quarterOf, type MeasureCase } from '../domain/measures'

/** The key of one cell of measure_cells, in its primary key's column order. */
type CellKey = [string, string, string, string, string, string, string, string, number]
export type CaseCells = Record<string, [number, number]>

/** The cells one case adds to, with its numerators and denominators: once for 'all' and once per breakdown. */
export function cellsOfCase(c: MeasureCase): CaseCells {
  const breakdowns = caseBreakdowns(c)
  const cells: CaseCells = {}
  for (const { measureId, contribution } of contributionsOf(c)) {
    const base = [quarterOf(contribution.on), c.forceCode, c.areaCode, breakdowns.offence_group] as const
    const rest = [contribution.category ?? '', contribution.days ?? -1] as const
    const keys: CellKey[] = [
      [measureId, 'all', ...base, '', ...rest],
      ...PERSONAL_BREAKDOWNS.map((b): CellKey => [
        measureId,
        b,
        ...base,
        breakdowns[b as keyof typeof breakdowns],
        ...rest,
      ]),
    ]
    for (const key of keys) {
      const id = JSON.stringify(key)
      const [n, d] = cells[id] ?? [0, 0]
      cells[id] = [n + contribution.numerator, d + contribution.denominator]
    }
  }
  return cells
}

/** What changes between two states of a case, sorted so concurrent transactions lock cells in the same order. */
export function cellDelta(before: CaseCells, after: CaseCells) {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  return keys.flatMap((id) => {
    const [n0, d0] = before[id] ?? [0, 0]
    const [n1, d1] = after[id] ?? [0, 0]
    return n1 === n0 && d1 === d0 ? [] : [{ key: JSON.parse(id) as CellKey, numerator: n1 - n0, denominator: d1 - d0 }]
  })
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
    trx.selectFrom('measure_case_state').select('cells').where('case_id', '=', sources.row.id).executeTakeFirst(),
  ])
  const after = cellsOfCase(
    measureCaseOf(sources, {
      rape: offences.some((o) => o.category === 'rape'),
      adultRape: offences.some((o) => o.adult_rape),
    }),
  )
  await writeCaseCells(trx, sources.row.id, (state?.cells ?? {}) as CaseCells, after, Boolean(state))
}

/** Adds many cases' cells at once (a rebuild, or generated data), each case's state written beside them. */
export async function writeBatchCells(trx: Kysely<Database>, cases: readonly { caseId: string; cells: CaseCells }[]) {
  const summed: CaseCells = {}
  for (const { cells } of cases) {
    for (const [id, [n, d]] of Object.entries(cells)) {
      const [sn, sd] = summed[id] ?? [0, 0]
      summed[id] = [sn + n, sd + d]
    }
  }
  const delta = cellDelta({}, summed)
  for (let i = 0; i < delta.length; i += 4000) await upsertCells(trx, delta.slice(i, i + 4000))
  for (let i = 0; i < cases.length; i += 2000) {
    await trx
      .insertInto('measure_case_state')
      .values(cases.slice(i, i + 2000).map((c) => ({ case_id: c.caseId, cells: JSON.stringify(c.cells) })))
      .onConflict((oc) =>
        oc.column('case_id').doUpdateSet((eb) => ({ cells: eb.ref('excluded.cells'), refreshed_at: new Date() })),
      )
      .execute()
  }
}

export async function writeCaseCells(
  trx: Kysely<Database>,
  caseId: string,
  before: CaseCells,
  after: CaseCells,
  hadState: boolean,
) {
  const delta = cellDelta(before, after)
  if (delta.length > 0) await upsertCells(trx, delta)
  if (delta.length === 0 && hadState) return
  await trx
    .insertInto('measure_case_state')
    .values({ case_id: caseId, cells: JSON.stringify(after) })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ cells: JSON.stringify(after), refreshed_at: new Date() }))
    .execute()
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
