import type { ClockRule } from './clocks'
import type { EventDefinition } from './event-model'
import type { TaskKind } from './tasks'

/**
 * The rules a capability (a module under src/modules/) gives the case kernel: its events, its clocks and the kinds of
 * task its events open. The kernel works with whatever list of modules it is given (src/modules/index.ts); it never
 * names one. What a module adds beyond its rules (table writes, facts, pages, demo data) is in src/modules/module.ts.
 */
export interface ModuleRules {
  /** The module's folder name: `disclosure`. */
  name: string
  events?: readonly EventDefinition[]
  clockRules?: readonly ClockRule[]
  taskKinds?: Readonly<Record<string, TaskKind>>
  /** Events the service records itself (no person applies them), with their timeline wording. */
  systemEvents?: Readonly<Record<string, { title: string; isvaVisible: boolean }>>
}
