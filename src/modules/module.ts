import type { FastifyInstance } from 'fastify'
import type { ZodType } from 'zod'
import type { Compilable, InferResult, Kysely } from 'kysely'
import type { WorkingDayCalendar } from '../core/calendar'
import type { CaseFacts } from '../core/event-model'
import type { ModuleRules } from '../core/module'
import type { Config } from '../config'
import type { Repositories } from '../data'
import type { CaseRow, Database } from '../data/schema'
import type { AuditTrail } from '../services/audit-trail'
import type { CalendarService } from '../services/calendar'
import type { Services } from '../services'
import type { CaseStore } from '../services/case/store'
import type { DemoScene } from '../services/demo/scene'
import type { CasesService } from '../services/case'
import type { RequestContext } from '../services/context'

/**
 * A capability of Casebridge, as the manifest (src/modules/index.ts) lists it: its rules (src/core/module.ts) and
 * everything else it plugs into the kernel. Each part is optional; the kernel never names a module, it goes through
 * the list. See src/modules/README.md.
 */
export interface CaseModule extends ModuleRules {
  /** Its rows of a case, read with the case's other parts in one round trip. */
  parts?: ModuleParts
  /** Its part of CaseFacts (what its event definitions know of a case), from its rows. */
  facts?: (rows: ModuleRows) => Partial<CaseFacts>
  /** Its part of the case as the overview and the API show it, from its rows (empty outside the full view). */
  caseView?: (rows: ModuleRows, fullView: boolean) => Record<string, unknown>
  /** What each of its events writes to the module's own tables, in the event's transaction. */
  tableWrites?: Readonly<Record<string, TableWrite>>
  /** Its own page of a case: a tab on every case page, a link on the overview; its events are recorded from there. */
  section?: CaseSection
  /**
   * Its pages and API routes (the API's under /api/v1), registered once with the services. Loaded when the app is
   * built (a dynamic import), as pages use the web kernel's helpers, which read the registry this list makes.
   */
  routes?: () => Promise<ModuleRoutes>
  /**
   * Its chapter of the demo's story: its own demo cases, told for each force and area in turn, in the order of the
   * manifest (services/demo). Loaded when the demo is (a dynamic import), as a chapter uses the module's service.
   */
  demo?: () => Promise<(scene: DemoScene) => Promise<void>>
  /** Its records on another chapter's demo cases, at the points of the story it knows (see `DemoStory`). */
  demoAt?: (story: DemoStory) => Promise<void>
  /** Its paths in the OpenAPI document, given the document's shared parameters and error responses. */
  openapi?: (shared: OpenApiShared) => Record<string, unknown>
}

/** What a module's service is built over: the kernel's case use cases and the shared parts (never a page). */
export interface ModuleKernel {
  cases: CasesService
  repos: Repositories
  audit: AuditTrail
  config: Config
  calendar: CalendarService
}

const builtServices = new WeakMap<object, Map<string, unknown>>()

/**
 * A module's own service (its use cases over the kernel's), built on first use over the composition root's parts and
 * kept with them: `disclosureOf(services)` in the module's service.ts. Its pages, API and demo reach it so; the
 * module's entry never imports it, as a service may read the registry (every module's events and clocks), which
 * reads the entry.
 */
export function serviceOf<T>(services: ModuleKernel, name: string, build: (kernel: ModuleKernel) => T): T {
  let byName = builtServices.get(services)
  if (!byName) builtServices.set(services, (byName = new Map()))
  if (!byName.has(name)) byName.set(name, build(services))
  return byName.get(name) as T
}

/** What the OpenAPI document shares with a module's paths: the case id parameter, the common errors, the helpers. */
export interface OpenApiShared {
  caseId: unknown
  common: Record<string, unknown>
  /** A zod schema as JSON Schema, as the request is validated. */
  jsonSchema: (schema: ZodType) => unknown
  /** An error answer with the shared error body. */
  errorResponse: (description: string) => unknown
}

export interface ModuleRoutes {
  pages?: (app: FastifyInstance, services: Services) => void
  api?: (api: FastifyInstance, services: Services) => void
}

/** The rows a module reads of a case: named queries, and whether the case can have such rows yet. */
export interface ModuleParts {
  /** Whether to read them for this case (a case just reported has no disclosure); always when absent. */
  when?: (row: CaseRow) => boolean
  reads: Readonly<Record<string, (handle: Kysely<Database>, caseId: string) => Compilable<unknown>>>
}

/** A module's rows of one case, by the names of its reads (empty lists where not read). */
export type ModuleRows = Readonly<Record<string, readonly unknown[]>>

/** The rows of a module's reads, typed from its queries: `RowsOf<typeof reads>`. */
export type RowsOf<R extends ModuleParts['reads']> = { [K in keyof R]: InferResult<ReturnType<R[K]>> }

/** What an event writes besides the case row and its timeline row, through the case store (decision 0027). */
export type TableWrite = (
  store: CaseStore,
  caseId: string,
  data: Record<string, unknown>,
  event: TableWriteEvent,
) => Promise<void>

export interface TableWriteEvent {
  seq: number
  actorId: string
  calendar: WorkingDayCalendar
  /** The case before the event. */
  facts: CaseFacts
  areaCode: string
  advocateWarningDays: number
}

export interface CaseSection {
  /** The page's path under the case: `disclosure` is /cases/:id/disclosure. */
  path: string
  /** The tab's and the link's text. */
  title: string
  /** What the overview's link says the page holds, after the title. */
  summary: string
  /** For the case team only (not the victim-support view). */
  fullViewOnly: boolean
  /** How many of its records the case has, said on the overview's link ("3 on this case"). */
  count?: (detail: Record<string, unknown>) => number
}

/** The database handle of a write that must run in the database (it reads or writes beyond the case's own rows). */
export function inDatabaseOnly(store: CaseStore, type: string): Kysely<Database> {
  if (!store.sql) throw new Error(`${type} is applied only in the database`)
  return store.sql
}

/** A point in the demo's story (services/demo), where each module adds its own records to a demo case. */
export interface DemoStory {
  /** `awaiting_trial`: a charged case listed for trial; `with_the_cps`: a case sent for a charging decision. */
  point: 'awaiting_trial' | 'with_the_cps'
  caseId: string
  /** Applies an event as a person, as the demo does everywhere (the case's version is tracked for it). */
  apply: (who: RequestContext, caseId: string, type: string, data: Record<string, unknown>) => Promise<unknown>
  /** The investigator, police supervisor and prosecutor of the demo's force and area. */
  people: { inv: RequestContext; sup: RequestContext; pros: RequestContext }
  /** The date so many days before today (negative: after). */
  daysAgo: (days: number) => string
}
