import { randomUUID } from 'node:crypto'
import { sql, type Insertable, type Kysely, type Selectable, type Updateable, type UpdateQueryBuilder } from 'kysely'
import { shapeParts, type CasesRepository, type PartsInclude, type RawParts } from '../../data/cases-repository'
import type { Database, EventRow, PersonRow } from '../../data/schema'
import type { AuditContext, AuditEntry, AuditTrail } from '../audit-trail'

/** The tables an event writes for a case, through a store (decision 0027). */
export const STORE_TABLES = [
  'cases',
  'case_people',
  'case_offences',
  'case_access',
  'case_events',
  'charging_decisions',
  'action_plan_items',
  'hearings',
  'charges',
  'sentences',
  'court_directions',
  'material_requests',
  'material_request_scopes',
  'device_spells',
  'escalations',
  'tasks',
] as const
export type StoreTable = (typeof STORE_TABLES)[number]
type Value = string | number | boolean | Date | null
/** Equality on each column: null means IS NULL, a list means IN. */
export type Where = Readonly<Record<string, Value | readonly Value[]>>
type Numbered = 'charges' | 'court_directions' | 'hearings' | 'action_plan_items' | 'material_requests'

/**
 * Where an event's changes go. The database store (every request, the scheduled job) writes them in the event's
 * transaction; the memory store keeps one case's rows as the database would hold them, for the bulk generator, which
 * writes them all at the end. Event code writes through this, so both paths run the same rules and write the same rows.
 */
export interface CaseStore {
  /** The transaction, for the few effects only a database can apply (null in memory: the generator never plans them). */
  readonly sql: Kysely<Database> | null
  select<T extends StoreTable>(table: T, where: Where): Promise<Selectable<Database[T]>[]>
  insert<T extends StoreTable>(table: T, rows: readonly Insertable<Database[T]>[]): Promise<Selectable<Database[T]>[]>
  update<T extends StoreTable>(table: T, where: Where, set: Updateable<Database[T]>): Promise<Selectable<Database[T]>[]>
  /** The next number of a numbered thing on a case (the case row is locked, or the case is in memory). */
  nextNumber(table: Numbered, caseId: string): Promise<number>
  /** Which of these offence codes are current ones in the reference data. */
  activeOffenceCodes(codes: readonly string[]): Promise<Set<string>>
  coveringUnit(forceCode: string): Promise<string | undefined>
  /** The parts of a case its rules read (`cases.parts`). */
  parts(caseId: string, include: PartsInclude): Promise<ReturnType<typeof shapeParts>>
  /** The timeline, newest first, and the people, as `cases.events` and `cases.people` give them. */
  events(caseId: string): Promise<Pick<EventRow, 'seq' | 'type' | 'occurred_at' | 'data'>[]>
  people(caseId: string): Promise<PersonRow[]>
  audit(ctx: AuditContext, entry: AuditEntry): Promise<void>
}

function whereAll<Q extends { where: (...args: never[]) => Q }>(query: Q, where: Where): Q {
  let q = query as unknown as { where: (c: string, op: string, v: unknown) => unknown }
  for (const [column, value] of Object.entries(where)) {
    if (value === null) q = q.where(column, 'is', null) as typeof q
    else if (Array.isArray(value)) q = q.where(column, 'in', value.length ? value : [null]) as typeof q
    else q = q.where(column, '=', value) as typeof q
  }
  return q as unknown as Q
}

/** The database store: each call one statement in the event's transaction. */
export function databaseStore(trx: Kysely<Database>, repo: CasesRepository, trail: AuditTrail): CaseStore {
  // Kysely cannot tie a table chosen at run time to its row type; each method's signature carries the type.
  const loose = trx as unknown as Kysely<Record<string, Record<string, unknown>>>
  return {
    sql: trx,
    async select(table, where) {
      return (await whereAll(loose.selectFrom(table).selectAll(), where).execute()) as never
    },
    async insert(table, rows) {
      if (!rows.length) return []
      return (await loose
        .insertInto(table)
        .values(rows as never)
        .returningAll()
        .execute()) as never
    },
    async update(table, where, set) {
      const update = loose.updateTable(table) as unknown as {
        set(values: unknown): UpdateQueryBuilder<never, never, never, never>
      }
      return (await whereAll(update.set(set), where).returningAll().execute()) as never
    },
    async nextNumber(table, caseId) {
      const last = await trx
        .selectFrom(table)
        .select((eb) => eb.fn.max<number | null>('number').as('n'))
        .where('case_id', '=', caseId)
        .executeTakeFirst()
      return (last?.n ?? 0) + 1
    },
    async activeOffenceCodes(codes) {
      const known = await trx
        .selectFrom('offence_codes')
        .select('code')
        .where('active', '=', true)
        .where('code', 'in', [...codes, ''])
        .execute()
      return new Set(known.map((k) => k.code))
    },
    coveringUnit: (forceCode) => coveringUnit(trx, forceCode),
    parts: (caseId, include) => repo.parts(caseId, include, trx),
    events: (caseId) => repo.events(caseId, trx),
    people: (caseId) => repo.people(caseId, trx),
    audit: (ctx, entry) => trail.record(ctx, entry, trx),
  }
}

/** A column's default as the database gives it, or `required` when the row must say. */
type ColumnDefault =
  { kind: 'value'; value: unknown } | { kind: 'now' } | { kind: 'uuid' } | { kind: 'serial' } | { kind: 'required' }
export type TableDefaults = ReadonlyMap<string, ReadonlyMap<string, ColumnDefault>>

/**
 * The defaults of the store's tables, read from the database's catalogue so that rows in memory hold what the
 * database would (a default the memory store cannot work out stops the generator, naming the column).
 */
export async function tableDefaults(db: Kysely<Database>): Promise<TableDefaults> {
  const { rows } = await sql<{
    table_name: string
    column_name: string
    column_default: string | null
    nullable: string
  }>`
    SELECT table_name, column_name, column_default, is_nullable AS nullable
    FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name IN (${sql.join([...STORE_TABLES])})`.execute(db)
  const byTable = new Map<string, Map<string, ColumnDefault>>()
  for (const r of rows) {
    const columns = byTable.get(r.table_name) ?? new Map<string, ColumnDefault>()
    byTable.set(r.table_name, columns)
    const d = r.column_default
    let found: ColumnDefault
    if (d === null) found = r.nullable === 'YES' ? { kind: 'value', value: null } : { kind: 'required' }
    else if (/^nextval\(/.test(d)) found = { kind: 'serial' }
    else if (/^(now\(\)|CURRENT_TIMESTAMP)$/i.test(d)) found = { kind: 'now' }
    else if (/^gen_random_uuid\(\)$/.test(d)) found = { kind: 'uuid' }
    else if (/^(true|false)$/.test(d)) found = { kind: 'value', value: d === 'true' }
    else if (/^-?\d+$/.test(d)) found = { kind: 'value', value: Number(d) }
    else if (/^'\{\}'::[a-z ]+\[\]$/.test(d)) found = { kind: 'value', value: [] }
    else if (/^'[^']*'::[a-z ]+$/.test(d)) found = { kind: 'value', value: d.slice(1, d.indexOf("'", 1)) }
    else if (/^NULL::/.test(d)) found = { kind: 'value', value: null }
    else
      throw new Error(`The column ${r.table_name}.${r.column_name} has a default the generator cannot work out: ${d}`)
    columns.set(r.column_name, found)
  }
  return byTable
}

const matches = (row: Record<string, unknown>, where: Where) =>
  Object.entries(where).every(([column, value]) =>
    Array.isArray(value) ? value.includes(row[column] as Value) : row[column] === value,
  )
const byKeys =
  <T>(...keys: ((row: T) => string | number | Date)[]) =>
  (a: T, b: T) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)]
      const [u, v] = [x instanceof Date ? x.getTime() : x, y instanceof Date ? y.getTime() : y]
      if (u < v) return -1
      if (u > v) return 1
    }
    return 0
  }

export interface MemoryStore extends CaseStore {
  /** Every row of the case, table by table, as the database would hold them. */
  readonly tables: ReadonlyMap<StoreTable, Record<string, unknown>[]>
  readonly audited: { ctx: AuditContext; entry: AuditEntry }[]
  /** The time `now()` stands for in the rows written next (one event's transaction). */
  now: Date
}

/**
 * One case's rows in memory, for the bulk generator: the same statements as the database store, applied to arrays.
 * Effects that need another table (ISVAs, letters, advocates, disclosure) have `sql` null and refuse.
 */
export function memoryStore(
  defaults: TableDefaults,
  reference: { activeOffenceCodes: ReadonlySet<string>; coveringUnits: ReadonlyMap<string, string> },
): MemoryStore {
  const tables = new Map<StoreTable, Record<string, unknown>[]>(STORE_TABLES.map((t) => [t, []]))
  const rowsOf = (table: StoreTable) => tables.get(table)!
  const store: MemoryStore = {
    sql: null,
    tables,
    audited: [],
    now: new Date(),
    async select(table, where) {
      return rowsOf(table).filter((r) => matches(r, where)) as never
    },
    async insert(table, rows) {
      const columns = defaults.get(table)
      if (!columns) throw new Error(`No such table: ${table}`)
      const written = rows.map((given) => {
        const row: Record<string, unknown> = {}
        for (const [column, d] of columns) {
          if (d.kind === 'value') row[column] = Array.isArray(d.value) ? [] : d.value
          else if (d.kind === 'now') row[column] = store.now
          else if (d.kind === 'uuid') row[column] = randomUUID()
        }
        for (const [column, value] of Object.entries(given)) {
          if (value === undefined) continue
          if (!columns.has(column)) throw new Error(`No such column: ${table}.${column}`)
          // JSON is written as text and read back as a value.
          row[column] = table === 'case_events' && column === 'data' ? JSON.parse(value as string) : value
        }
        return row
      })
      rowsOf(table).push(...written)
      return written as never
    },
    async update(table, where, set) {
      const changed = rowsOf(table).filter((r) => matches(r, where))
      for (const row of changed)
        Object.assign(row, Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)))
      return changed as never
    },
    async nextNumber(table, caseId) {
      return (
        Math.max(
          0,
          ...rowsOf(table)
            .filter((r) => r.case_id === caseId)
            .map((r) => r.number as number),
        ) + 1
      )
    },
    async activeOffenceCodes(codes) {
      return new Set(codes.filter((c) => reference.activeOffenceCodes.has(c)))
    },
    async coveringUnit(forceCode) {
      return reference.coveringUnits.get(forceCode)
    },
    async parts(caseId, include) {
      const of = <T extends StoreTable>(table: T) =>
        rowsOf(table).filter((r) => r.case_id === caseId) as unknown as Selectable<Database[T]>[]
      if (of('case_access').some((a) => a.kind === 'isva') || include.offences || include.tasks)
        throw new Error('The memory store reads the parts an event needs, not ISVAs or a page')
      const byNumber = byKeys<{ number: number }>((r) => r.number)
      const requests = of('material_requests').sort(byNumber)
      const raw: RawParts = {
        people: of('case_people').sort(
          byKeys<PersonRow>(
            (p) => p.created_at,
            (p) => p.role,
            (p) => p.id,
          ),
        ),
        decisions: of('charging_decisions')
          .sort(byKeys((d) => d.seq))
          .map((d) => ({ suspect_id: d.suspect_id, outcome: d.outcome, seq: d.seq })),
        actionItems: of('action_plan_items').sort(byNumber),
        escalations: of('escalations').map((e) => ({ item_id: e.item_id, step: e.step })),
        isvas: [],
        events: of('case_events')
          .sort(byKeys((e) => e.seq))
          .map((e) => ({ type: e.type, data: e.data, actor_id: e.actor_id })),
        hearings: include.hearings ? of('hearings').sort(byNumber) : [],
        charges: include.court ? of('charges').sort(byNumber) : [],
        sentences: include.court ? of('sentences').sort(byKeys((s) => s.seq)) : [],
        directions: include.court ? of('court_directions').sort(byNumber) : [],
        advocates: [],
        materialRequests: (include.requests ? requests : []).map((r) => {
          const spells = rowsOf('device_spells').filter((d) => d.request_id === r.id)
          const held = spells.find((d) => d.returned_on === null)
          const scope = rowsOf('material_request_scopes').find(
            (s) => s.request_id === r.id && s.stage === r.scope_stage,
          )
          return {
            ...r,
            scope_by: scope!.recorded_by as string,
            taken_on: (held?.taken_on as string | undefined) ?? null,
            extracted_on: (held?.extracted_on as string | null | undefined) ?? null,
            ever_taken: spells.length > 0,
          }
        }),
        offences: [],
        tasks: [],
        // The modules' own tables are the database's only (their writes refuse the memory store): none in memory.
        modules: Object.fromEntries(Object.keys(include.modules ?? {}).map((key) => [key, []])),
      }
      return shapeParts(raw, include)
    },
    async events(caseId) {
      return (rowsOf('case_events') as unknown as EventRow[])
        .filter((e) => e.case_id === caseId)
        .sort(byKeys((e) => -e.seq))
    },
    async people(caseId) {
      return (
        await store.parts(caseId, {
          court: false,
          hearings: false,
          requests: false,
          eventTypes: [],
          offences: false,
          tasks: false,
        })
      ).people
    },
    async audit(ctx, entry) {
      store.audited.push({ ctx, entry })
    },
  }
  return store
}

/** The witness care unit that covers a force (the first by code when several do), or undefined. */
export async function coveringUnit(handle: Kysely<Database>, forceCode: string): Promise<string | undefined> {
  const unit = await handle
    .selectFrom('unit_coverage')
    .select('unit_code')
    .where('force_code', '=', forceCode)
    .orderBy('unit_code')
    .executeTakeFirst()
  return unit?.unit_code
}
