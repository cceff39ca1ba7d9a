import type { ModuleRules } from '../../core/module'
import { COURT_CLOCK_RULES, COURT_EVENTS, COURT_TASK_KINDS } from '../../domain/court'
import { COURT_OUTCOME_EVENTS } from '../../domain/court-outcomes'

/** Hearings, the judge's directions, pleas, verdicts and sentences. */
export const court: ModuleRules = {
  name: 'court',
  events: [...COURT_EVENTS, ...COURT_OUTCOME_EVENTS],
  clockRules: COURT_CLOCK_RULES,
  taskKinds: COURT_TASK_KINDS,
}
