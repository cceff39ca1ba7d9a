import { type Compilable, type ExpressionBuilder, type InferResult, type Kysely, sql } from 'kysely'
import { runTogether, together } from './read-together'
import { statementCache } from './statement-cache'
import type { CaseAccessRule } from '../core/scope'
import type { Stage } from '../core/stages'
import type { CaseRow, Database, EventRow, PersonRow } from './schema'

type CaseEb = ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>

/** The SQL form of the scope rules in domain/scope.ts: the one place that decides which case rows a user sees. */
export function visible(eb: CaseEb, rules: readonly CaseAccessRule[], userId: string) {
  const ruleMatches = rules.map((rule) => ruleMatch(eb, rule))
  if (ruleMatches.length === 0) return eb.lit(false)
  const onAccessList = eb.exists(
    eb
      .selectFrom('case_access as ra')
      .select('ra.case_id')
      .whereRef('ra.case_id', '=', 'c.id')
      .where('ra.user_id', '=', userId)
      .where('ra.kind', '=', 'restricted'),
  )
  return eb.and([eb.or(ruleMatches), eb.or([eb('c.restricted', '=', false), onAccessList])])
}

function ruleMatch(eb: CaseEb, rule: CaseAccessRule) {
  switch (rule.via) {
    case 'own_force':
      return eb('c.force_code', '=', rule.forceCode)
    case 'area_forces':
      return eb(
        'c.force_code',
        'in',
        eb.selectFrom('force_areas').select('force_code').where('area_code', '=', rule.areaCode),
      )
    case 'unit_forces':
      return eb(
        'c.force_code',
        'in',
        eb.selectFrom('unit_coverage').select('force_code').where('unit_code', '=', rule.unitCode),
      )
    case 'assigned':
      return eb.exists(
        eb
          .selectFrom('case_access as ia')
          .select('ia.case_id')
          .whereRef('ia.case_id', '=', 'c.id')
          .where('ia.user_id', '=', rule.userId)
          .where('ia.kind', '=', 'isva'),
      )
  }
}

/** True when the case is visible through a rule that gives the full view (not only the victim-support view). */
function fullView(eb: CaseEb, rules: readonly CaseAccessRule[]) {
  const full = rules.filter((rule) => rule.view === 'full').map((rule) => ruleMatch(eb, rule))
  return full.length === 0 ? eb.lit(false) : eb.or(full)
}

export type CaseSort = 'updated' | 'reported' | 'urn' | 'stage'
export interface CaseListFilters {
  stage?: Stage
  forceCode?: string
  search?: string
  sort: CaseSort
  direction: 'asc' | 'desc'
  page: number
  pageSize: number
}

export interface CaseListItem {
  id: string
  urn: string
  crimeReference: string
  forceCode: string
  stage: string
  reportedOn: string
  updatedAt: Date
  /** Empty in the victim-support view, which shows no offences (an ISVA's list says no more than her view of the case). */
  offenceCodes: string[]
  restricted: boolean
  /** False when the caller sees the case only through the victim-support view. */
  fullView: boolean
}

/** The parts `parts` reads of every case, in the order of its statement (the modules' reads follow). */
const PART_KEYS = [
  'people',
  'decisions',
  'actionItems',
  'escalations',
  'isvas',
  'events',
  'hearings',
  'charges',
  'sentences',
  'directions',
  'advocates',
  'materialRequests',
  'offences',
  'tasks',
] as const

/** The statements of this file built once per shape (data/statement-cache.ts). */
const statements = statementCache()

/** The reads of one case's parts, as queries (run one by one, or together in one round trip by `parts`). */
export const caseReads = {
  people: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('case_people')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('role')
      .orderBy('id'),
  isvas: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('case_access as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('organisations as o', 'o.code', 'u.org_code')
      .select([
        'a.user_id as userId',
        'a.person_id as complainantId',
        'u.name',
        'o.name as orgName',
        'a.granted_at as grantedAt',
      ])
      .where('a.case_id', '=', caseId)
      .where('a.kind', '=', 'isva')
      .orderBy('a.granted_at'),
  // By case, not by type: with a type list the planner preferred the (type, occurred_at) index and read tens of
  // thousands of rows at national size; by case it reads the case's few dozen (`ofTypes` picks the types out).
  eventFacts: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('case_events').select(['type', 'data', 'actor_id']).where('case_id', '=', caseId).orderBy('seq'),
  decisions: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('charging_decisions')
      .select(['suspect_id', 'outcome', 'seq'])
      .where('case_id', '=', caseId)
      .orderBy('seq'),
  escalations: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('escalations').select(['item_id', 'step']).where('case_id', '=', caseId),
  openTasks: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('tasks')
      .select(['kind', 'role', 'title', 'due_on'])
      .where('case_id', '=', caseId)
      .where('done_at', 'is', null)
      .orderBy(sql`due_on asc nulls last`),
  actionItems: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('action_plan_items').selectAll().where('case_id', '=', caseId).orderBy('number'),
  hearings: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('hearings').selectAll().where('case_id', '=', caseId).orderBy('number'),
  charges: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('charges').selectAll().where('case_id', '=', caseId).orderBy('number'),
  sentences: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('sentences').selectAll().where('case_id', '=', caseId).orderBy('seq'),
  directions: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('court_directions').selectAll().where('case_id', '=', caseId).orderBy('number'),
  advocates: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('case_advocates as i')
      .innerJoin('advocates as a', 'a.id', 'i.advocate_id')
      .selectAll('i')
      .select(['a.name', 'a.kind', 'a.chambers'])
      .where('i.case_id', '=', caseId)
      .orderBy('i.instructed_seq'),
  /** Requests for material with what their rules need: who recorded the current scope, the device held. */
  materialRequests: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('material_requests as r')
      .innerJoin('material_request_scopes as s', (j) =>
        j.onRef('s.request_id', '=', 'r.id').onRef('s.stage', '=', 'r.scope_stage'),
      )
      .leftJoin('device_spells as d', (j) => j.onRef('d.request_id', '=', 'r.id').on('d.returned_on', 'is', null))
      .selectAll('r')
      .select(['s.recorded_by as scope_by', 'd.taken_on', 'd.extracted_on'])
      .select((eb) =>
        eb
          .exists(eb.selectFrom('device_spells as x').select('x.id').whereRef('x.request_id', '=', 'r.id'))
          .as('ever_taken'),
      )
      .where('r.case_id', '=', caseId)
      .orderBy('r.number'),
  offences: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('case_offences as o')
      .leftJoin('offence_codes as oc', 'oc.code', 'o.code')
      .selectAll('o')
      .select('oc.name')
      .where('o.case_id', '=', caseId)
      .orderBy('o.created_at')
      .orderBy('o.id'),
}

const ofTypes = (rows: readonly { type: string; data: unknown; actor_id: string }[], types: readonly string[]) => {
  const wanted = new Set(types)
  return rows
    .filter((r) => wanted.has(r.type))
    .map((r) => ({ type: r.type, data: r.data as Record<string, unknown>, actorId: r.actor_id }))
}

/** The latest charging decision for each suspect (rows in timeline order). */
const latestDecisions = (rows: readonly { suspect_id: string; outcome: string }[]) =>
  [...new Map(rows.map((r) => [r.suspect_id, r.outcome]))].map(([suspectId, outcome]) => ({ suspectId, outcome }))

/** Which of a case's parts to read: the court record only once it can exist, a page's extras, the modules' reads. */
export interface PartsInclude {
  court: boolean
  /** The hearings (every page of the whole case shows them; a module's own page does not). */
  hearings: boolean
  /** The requests for a person's device or records. */
  requests: boolean
  eventTypes: readonly string[]
  offences: boolean
  tasks: boolean
  /** The modules' own reads of the case (src/modules/module.ts), by `module.read`; their rows come back as `modules`. */
  modules?: Readonly<Record<string, (handle: Kysely<Database>, caseId: string) => Compilable<unknown>>>
}
type Read<K extends keyof typeof caseReads> = InferResult<ReturnType<(typeof caseReads)[K]>>
/** The rows `parts` reads, each list as its `caseReads` query gives it (empty where not included). */
export interface RawParts {
  people: PersonRow[]
  decisions: Read<'decisions'>
  actionItems: Read<'actionItems'>
  escalations: Read<'escalations'>
  isvas: Read<'isvas'>
  events: Read<'eventFacts'>
  hearings: Read<'hearings'>
  charges: Read<'charges'>
  sentences: Read<'sentences'>
  directions: Read<'directions'>
  advocates: Read<'advocates'>
  materialRequests: Read<'materialRequests'>
  offences: Read<'offences'>
  tasks: Read<'openTasks'>
  /** The modules' rows, by `module.read`. */
  modules: Record<string, unknown[]>
}

/** The parts of a case its rules and pages read, from the rows (the database's, or the bulk generator's in memory). */
export function shapeParts(r: RawParts, include: Pick<PartsInclude, 'eventTypes'>) {
  return {
    people: r.people,
    decisions: latestDecisions(r.decisions),
    actionItems: r.actionItems,
    escalations: r.escalations,
    isvas: r.isvas,
    careEvents: ofTypes(r.events, include.eventTypes),
    hearings: r.hearings,
    court: { charges: r.charges, sentences: r.sentences, directions: r.directions, advocates: r.advocates },
    materialRequests: r.materialRequests,
    modules: r.modules,
    offences: r.offences,
    tasks: r.tasks,
  }
}

const SORT_COLUMNS = { updated: 'c.updated_at', reported: 'c.reported_on', urn: 'c.urn', stage: 'c.stage' } as const

export function casesRepository(db: Kysely<Database>) {
  return {
    async list(
      rules: readonly CaseAccessRule[],
      userId: string,
      filters: CaseListFilters,
    ): Promise<{ items: CaseListItem[]; total: number }> {
      let query = db.selectFrom('cases as c').where((eb) => visible(eb, rules, userId))
      if (filters.stage) query = query.where('c.stage', '=', filters.stage)
      if (filters.forceCode) query = query.where('c.force_code', '=', filters.forceCode)
      if (filters.search) {
        const term = filters.search.trim()
        query = query.where((eb) => eb.or([eb('c.urn', '=', term.toUpperCase()), eb('c.crime_reference', '=', term)]))
      }
      const [rows, count] = await Promise.all([
        query
          .select((eb) => [
            'c.id',
            'c.urn',
            'c.crime_reference',
            'c.force_code',
            'c.stage',
            'c.reported_on',
            'c.updated_at',
            'c.restricted',
            fullView(eb, rules).as('full_view'),
            eb
              .case()
              .when(fullView(eb, rules))
              .then(
                eb.fn<string[]>('array', [
                  eb
                    .selectFrom('case_offences as o')
                    .select('o.code')
                    .whereRef('o.case_id', '=', 'c.id')
                    .orderBy('o.created_at'),
                ]),
              )
              .else(sql<string[]>`'{}'::text[]`)
              .end()
              .as('offence_codes'),
          ])
          .orderBy(SORT_COLUMNS[filters.sort], filters.direction)
          .orderBy('c.id')
          .limit(filters.pageSize)
          .offset((filters.page - 1) * filters.pageSize)
          .execute(),
        query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ])
      return {
        total: Number(count.n),
        items: rows.map((r) => ({
          id: r.id,
          urn: r.urn,
          crimeReference: r.crime_reference,
          forceCode: r.force_code,
          stage: r.stage,
          reportedOn: r.reported_on,
          updatedAt: r.updated_at,
          offenceCodes: r.offence_codes ?? [],
          restricted: r.restricted,
          fullView: Boolean(r.full_view),
        })),
      }
    },

    async findVisible(
      rules: readonly CaseAccessRule[],
      userId: string,
      id: string,
    ): Promise<{ row: CaseRow; fullView: boolean } | undefined> {
      // Built once for each set of rules (a person's scope), as every case page asks it (statement-cache.ts).
      const statement = statements(
        `visible:${JSON.stringify(rules)}`,
        (user: string, caseId: string) =>
          db
            .selectFrom('cases as c')
            .selectAll('c')
            .select((eb) => fullView(eb, rules).as('full_view'))
            .where('c.id', '=', caseId)
            .where((eb) => visible(eb, rules, user)),
        userId,
        id,
      )
      const [row] = (await db.executeQuery(statement)).rows
      if (!row) return undefined
      const { full_view, ...caseRow } = row
      return { row: caseRow as CaseRow, fullView: Boolean(full_view) }
    },

    async lockForUpdate(trx: Kysely<Database>, id: string): Promise<CaseRow | undefined> {
      return trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
    },

    async people(caseId: string, handle: Kysely<Database> = db): Promise<PersonRow[]> {
      return caseReads.people(handle, caseId).execute()
    },
    /** ISVAs assigned to the case, with the complainant each supports. */
    async isvas(caseId: string, handle: Kysely<Database> = db) {
      return caseReads.isvas(handle, caseId).execute()
    },
    /** The names of the advocates ever instructed on a case (for its timeline). */
    async advocateNames(caseId: string) {
      return db
        .selectFrom('case_advocates as i')
        .innerJoin('advocates as a', 'a.id', 'i.advocate_id')
        .select(['a.id', 'a.name'])
        .where('i.case_id', '=', caseId)
        .execute()
    },
    /** A case's requests for material with what their rules need: who recorded the current scope, the device held. */
    async materialRequests(caseId: string, handle: Kysely<Database> = db) {
      return caseReads.materialRequests(handle, caseId).execute()
    },
    /**
     * What the rules need of a case besides its row, in one round trip: people, decisions, action plan items and
     * their escalations, ISVAs, the events victim care looks at, hearings, the court record (once charged), material
     * requests and disclosure (once past the report); with the offences and open tasks when a page shows them.
     */
    async parts(caseId: string, include: PartsInclude, handle: Kysely<Database> = db) {
      const queries = (id: string) => {
        const none = db
          .selectFrom('cases')
          .select('id')
          .where(sql<boolean>`false`)
        return {
          people: caseReads.people(db, id),
          decisions: caseReads.decisions(db, id),
          actionItems: caseReads.actionItems(db, id),
          escalations: caseReads.escalations(db, id),
          isvas: caseReads.isvas(db, id),
          events: caseReads.eventFacts(db, id),
          hearings: include.hearings ? caseReads.hearings(db, id) : none,
          charges: include.court ? caseReads.charges(db, id) : none,
          sentences: include.court ? caseReads.sentences(db, id) : none,
          directions: include.court ? caseReads.directions(db, id) : none,
          advocates: include.court ? caseReads.advocates(db, id) : none,
          materialRequests: include.requests ? caseReads.materialRequests(db, id) : none,
          offences: include.offences ? caseReads.offences(db, id) : none,
          tasks: include.tasks ? caseReads.openTasks(db, id) : none,
          ...Object.fromEntries(
            Object.entries(include.modules ?? {}).map(([key, read]) => [`module:${key}`, read(db, id)]),
          ),
        }
      }
      // The statement depends on which parts are read (and on nothing else but the case): built once per choice.
      const moduleKeys = Object.keys(include.modules ?? {})
      const flags = [include.court, include.hearings, include.requests, include.offences, include.tasks]
      const shape = `parts:${flags.join(':')}:${moduleKeys.join(',')}`
      const keys = [...PART_KEYS, ...moduleKeys.map((key) => `module:${key}`)]
      const r = await runTogether<Record<string, unknown[]>>(
        handle,
        statements(
          shape,
          (id: string) => {
            const built = queries(id)
            if (Object.keys(built).join() !== keys.join()) throw new Error('The parts read and its keys disagree')
            return together(built)
          },
          caseId,
        ),
        keys,
      )
      const modules: Record<string, unknown[]> = {}
      for (const [key, rows] of Object.entries(r))
        if (key.startsWith('module:')) modules[key.slice(7)] = rows as unknown[]
      return shapeParts({ ...(r as unknown as RawParts), modules }, include)
    },
    /** Every scope of a case's requests and every spell a device was held (the case team's record). */
    async materialRecord(caseId: string) {
      const [scopes, spells] = await Promise.all([
        db
          .selectFrom('material_request_scopes as s')
          .innerJoin('material_requests as r', 'r.id', 's.request_id')
          .innerJoin('users as u', 'u.id', 's.recorded_by')
          .selectAll('s')
          .select(['r.number as request_number', 'u.name as recorded_by_name'])
          .where('r.case_id', '=', caseId)
          .orderBy('s.stage')
          .execute(),
        db
          .selectFrom('device_spells as d')
          .innerJoin('material_requests as r', 'r.id', 'd.request_id')
          .selectAll('d')
          .select('r.number as request_number')
          .where('r.case_id', '=', caseId)
          .orderBy('d.taken_seq')
          .execute(),
      ])
      return { scopes, spells }
    },
    /** One timeline row's type and summary (summaries never name a person). */
    async eventSummary(caseId: string, seq: number) {
      return db
        .selectFrom('case_events')
        .select(['type', 'summary'])
        .where('case_id', '=', caseId)
        .where('seq', '=', seq)
        .executeTakeFirst()
    },
    async events(caseId: string, handle: Kysely<Database> = db): Promise<(EventRow & { actor_name: string })[]> {
      return handle
        .selectFrom('case_events as e')
        .innerJoin('users as u', 'u.id', 'e.actor_id')
        .selectAll('e')
        .select('u.name as actor_name')
        .where('e.case_id', '=', caseId)
        .orderBy('e.seq', 'desc')
        .execute()
    },
    async eventByKey(trx: Kysely<Database>, caseId: string, key: string) {
      return trx
        .selectFrom('case_events')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst()
    },
    async caseByCreateKey(trx: Kysely<Database>, userId: string, key: string) {
      return trx
        .selectFrom('cases')
        .selectAll()
        .where('created_by', '=', userId)
        .where('create_key', '=', key)
        .executeTakeFirst()
    },

    /** Takes the next serial for a force, unit and year; the row lock makes two reports never share a URN. */
    async nextUrnSerial(trx: Kysely<Database>, forceCode: string, unit: string, year2: string): Promise<number> {
      const row = await trx
        .insertInto('urn_serials')
        .values({ force_code: forceCode, unit, year2, last_serial: 1 })
        .onConflict((oc) =>
          oc.columns(['force_code', 'unit', 'year2']).doUpdateSet({ last_serial: sql`urn_serials.last_serial + 1` }),
        )
        .returning('last_serial')
        .executeTakeFirstOrThrow()
      return row.last_serial
    },

    async forceForCase(trx: Kysely<Database>, forceCode: string) {
      return trx
        .selectFrom('organisations as o')
        .leftJoin('force_areas as fa', (join) =>
          join.onRef('fa.force_code', '=', 'o.code').on('fa.is_default', '=', true),
        )
        .select(['o.code', 'o.kind', 'o.urn_code', 'fa.area_code'])
        .where('o.code', '=', forceCode)
        .executeTakeFirst()
    },

    async accessGrants(caseId: string) {
      return db
        .selectFrom('case_access as a')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .select(['a.user_id', 'a.kind', 'u.name', 'u.email', 'a.granted_at'])
        .where('a.case_id', '=', caseId)
        .orderBy('a.granted_at')
        .execute()
    },
  }
}

export type CasesRepository = ReturnType<typeof casesRepository>
