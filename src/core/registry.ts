import { type Clock, type ClockRule, deriveClocks, type TimelineFact, type VictimContext } from './clocks'
import type { WorkingDayCalendar } from './calendar'
import { type Actor, type CaseFacts, type EventDefinition, nextSteps, REPORT_EVENT } from './event-model'
import type { ModuleRules } from './module'
import { type TaskKind, taskDue } from './tasks'

/**
 * Everything the kernel knows of the modules it was given, gathered once: every event, clock rule and task kind, in
 * the order the modules are listed. A module's definitions must not clash with another's (checked here, at start).
 */
export function createRegistry(modules: readonly ModuleRules[]) {
  const events = modules.flatMap((m) => m.events ?? [])
  const clockRules = modules.flatMap((m) => m.clockRules ?? [])
  const taskKinds: Record<string, TaskKind> = {}
  const systemEvents: Record<string, { title: string; isvaVisible: boolean }> = {}
  const names = new Set<string>()
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`Two modules are called ${m.name}`)
    names.add(m.name)
    for (const [id, kind] of Object.entries(m.taskKinds ?? {})) {
      if (taskKinds[id]) throw new Error(`Task kind ${id} of module ${m.name} is defined twice`)
      taskKinds[id] = kind
    }
    Object.assign(systemEvents, m.systemEvents)
  }
  const byType = new Map<string, EventDefinition>()
  for (const d of events) {
    if (byType.has(d.type) || d.type === REPORT_EVENT.type) throw new Error(`Event ${d.type} is defined twice`)
    byType.set(d.type, d)
  }
  const rulesById = new Map<string, ClockRule>()
  for (const r of clockRules) {
    if (rulesById.has(r.id)) throw new Error(`Clock rule ${r.id} is defined twice`)
    rulesById.set(r.id, r)
  }
  const taskKindIds = Object.keys(taskKinds)
  return {
    modules,
    /** Every event a person may apply, in the order of the modules. */
    events: events as readonly EventDefinition[],
    eventDefinition: (type: string): EventDefinition | undefined => byType.get(type),
    /** The title of any timeline row: the report, a person's event or the service's own. */
    eventTitle(type: string): string {
      if (type === REPORT_EVENT.type) return REPORT_EVENT.title
      return byType.get(type)?.title ?? systemEvents[type]?.title ?? type
    },
    systemEvents: systemEvents as Readonly<typeof systemEvents>,
    /** The events this actor may apply now: the "next steps" list. */
    availableEvents: (facts: CaseFacts, actor: Actor): EventDefinition[] => nextSteps(events, facts, actor),
    clockRules: clockRules as readonly ClockRule[],
    clockRule: (id: string): ClockRule | undefined => rulesById.get(id),
    /** The clocks that belong to one complainant (keyed by them): their Victims' Code entitlements and reviews. */
    complainantClockIds: clockRules
      .filter((r) => r.perComplainant || r.keyField === 'complainantId')
      .map((r) => r.id) as readonly string[],
    /** Every clock of the case from its timeline, by every module's rules (see `deriveClocks`). */
    deriveClocks: (
      facts: readonly TimelineFact[],
      calendar: WorkingDayCalendar,
      today: string,
      overrides: Readonly<Record<string, number>> = {},
      rules: readonly ClockRule[] = clockRules,
      victims?: VictimContext,
    ): Clock[] => deriveClocks(facts, calendar, today, overrides, rules, victims),
    taskKinds: taskKinds as Readonly<Record<string, TaskKind>>,
    taskKindIds: taskKindIds as readonly string[],
    decisionTaskKinds: taskKindIds.filter((k) => taskKinds[k]!.decision) as readonly string[],
    /** The due date of an open task of this kind (see `taskDue`); null for a kind no module defines. */
    taskDue: (kind: string, clocks: readonly Clock[], data?: Record<string, unknown>): string | null =>
      taskDue(taskKinds[kind], clocks, data),
  }
}

export type Registry = ReturnType<typeof createRegistry>
