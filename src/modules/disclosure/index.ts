import type { ModuleRules } from '../../core/module'
import { DISCLOSURE_CLOCK_RULES, DISCLOSURE_EVENTS, DISCLOSURE_TASK_KINDS } from '../../domain/disclosure'

/** Disclosure of unused material: schedules in versions, the prosecutor's decisions, what was served and when. */
export const disclosure: ModuleRules = {
  name: 'disclosure',
  events: DISCLOSURE_EVENTS,
  clockRules: DISCLOSURE_CLOCK_RULES,
  taskKinds: DISCLOSURE_TASK_KINDS,
}
