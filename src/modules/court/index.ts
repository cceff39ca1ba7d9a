import type { CaseModule } from '../module'
import { COURT_CLOCK_RULES, COURT_EVENTS, COURT_TASK_KINDS } from './hearings'
import { COURT_OUTCOME_EVENTS } from './outcomes'
import { COURT_WRITES } from './record'

/** Hearings, the judge's directions, pleas, verdicts and sentences. */
export const court: CaseModule = {
  name: 'court',
  tableWrites: COURT_WRITES,
  events: [...COURT_EVENTS, ...COURT_OUTCOME_EVENTS],
  clockRules: COURT_CLOCK_RULES,
  taskKinds: COURT_TASK_KINDS,
  demo: async () => (await import('./demo')).courtChapter,
}
