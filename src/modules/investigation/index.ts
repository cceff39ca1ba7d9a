import type { ModuleRules } from '../../core/module'
import { INVESTIGATION_CLOCK_RULES, INVESTIGATION_EVENTS, INVESTIGATION_TASK_KINDS } from '../../domain/events'

/** The police investigation: arrests, interviews, bail, people and offences, a police outcome, reopening. */
export const investigation: ModuleRules = {
  name: 'investigation',
  events: INVESTIGATION_EVENTS,
  clockRules: INVESTIGATION_CLOCK_RULES,
  taskKinds: INVESTIGATION_TASK_KINDS,
}
