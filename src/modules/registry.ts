import { createRegistry } from '../core/registry'
import type { PartsInclude } from '../data/cases-repository'
import type { CaseRow } from '../data/schema'
import { MODULES } from '.'
import type { CaseModule, DemoStory, ModuleParts, ModuleRows, OpenApiShared, TableWrite } from './module'

/** The registry of the modules in the manifest, and its parts under the names the rest of the code uses. */
export const registry = createRegistry(MODULES)

export const EVENT_DEFINITIONS = registry.events
export const eventDefinition = registry.eventDefinition
export const eventTitle = registry.eventTitle
export const availableEvents = registry.availableEvents
export const SYSTEM_EVENTS = registry.systemEvents
export const CLOCK_RULES = registry.clockRules
export const clockRule = registry.clockRule
export const deriveClocks = registry.deriveClocks
export const COMPLAINANT_CLOCK_IDS = registry.complainantClockIds
export const TASK_KINDS = registry.taskKinds
export const TASK_KIND_IDS = registry.taskKindIds
export const DECISION_TASK_KINDS = registry.decisionTaskKinds
export const taskDue = registry.taskDue

/** The modules as the services and pages see them: their reads, facts, views, table writes and sections. */
const CASE_MODULES: readonly CaseModule[] = MODULES

/** The modules' reads of this case, by `module.read`, for the one round trip that reads a case's parts. */
export function moduleReadsFor(row: CaseRow, only?: readonly string[]): NonNullable<PartsInclude['modules']> {
  const reads: Record<string, ModuleParts['reads'][string]> = {}
  for (const m of CASE_MODULES) {
    if (!m.parts || (m.parts.when && !m.parts.when(row)) || (only && !only.includes(m.name))) continue
    for (const [name, read] of Object.entries(m.parts.reads)) reads[`${m.name}.${name}`] = read
  }
  return reads
}

/** One module's rows from all the modules' rows of a case (a read not made gives an empty list). */
export function moduleRows(all: Readonly<Record<string, readonly unknown[]>>, name: string): ModuleRows {
  const m = CASE_MODULES.find((x) => x.name === name)
  return Object.fromEntries(Object.keys(m?.parts?.reads ?? {}).map((read) => [read, all[`${name}.${read}`] ?? []]))
}

/** Every module's part of CaseFacts, from its rows. */
export const moduleFacts = (all: Readonly<Record<string, readonly unknown[]>>) =>
  Object.assign({}, ...CASE_MODULES.map((m) => m.facts?.(moduleRows(all, m.name)) ?? {})) as Record<string, unknown>

/** Every module's part of the case view, from its rows. */
export const moduleViews = (all: Readonly<Record<string, readonly unknown[]>>, fullView: boolean) =>
  Object.assign({}, ...CASE_MODULES.map((m) => m.caseView?.(moduleRows(all, m.name), fullView) ?? {})) as Record<
    string,
    unknown
  >

const writes = new Map(CASE_MODULES.flatMap((m) => Object.entries(m.tableWrites ?? {})))
/** What an event writes to its module's own tables, if its module says. */
export const tableWriteFor = (type: string): TableWrite | undefined => writes.get(type)

/** The modules' own pages of a case, in the order of the manifest, with the event types recorded from each. */
export const CASE_SECTIONS = CASE_MODULES.flatMap((m) =>
  m.section ? [{ ...m.section, module: m.name, eventTypes: new Set((m.events ?? []).map((e) => e.type)) }] : [],
)

/** Every module's paths in the OpenAPI document. */
export const moduleOpenApiPaths = (shared: OpenApiShared) =>
  Object.assign({}, ...CASE_MODULES.map((m) => m.openapi?.(shared) ?? {})) as Record<string, unknown>

/** Every module's pages and API routes, loaded (see `CaseModule.routes`). */
export const moduleRoutes = () => Promise.all(CASE_MODULES.flatMap((m) => (m.routes ? [m.routes()] : [])))

/** Every module's chapter of the demo's story, loaded, in the order of the manifest. */
export const moduleDemoChapters = () => Promise.all(CASE_MODULES.flatMap((m) => (m.demo ? [m.demo()] : [])))

/** Every module's demo records at this point of the demo's story, in the order of the manifest. */
export async function moduleDemos(story: DemoStory) {
  for (const m of CASE_MODULES) await m.demoAt?.(story)
}
