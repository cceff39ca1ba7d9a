import type { ModuleRules } from '../../core/module'
import { DIGITAL_CLOCK_RULES, DIGITAL_EVENTS, DIGITAL_TASK_KINDS } from '../../domain/digital'

/** Requests for a complainant's or witness's device or records: scope, agreement, extraction, return. */
export const digital: ModuleRules = {
  name: 'digital',
  events: DIGITAL_EVENTS,
  clockRules: DIGITAL_CLOCK_RULES,
  taskKinds: DIGITAL_TASK_KINDS,
}
