import type { CaseModule } from '../module'
import { INVESTIGATION_CLOCK_RULES, INVESTIGATION_EVENTS, INVESTIGATION_TASK_KINDS } from './events'
import { INVESTIGATION_WRITES } from './record'

/** The police investigation: arrests, interviews, bail, people and offences, a police outcome, reopening. */
export const investigation: CaseModule = {
  name: 'investigation',
  tableWrites: INVESTIGATION_WRITES,
  events: INVESTIGATION_EVENTS,
  clockRules: INVESTIGATION_CLOCK_RULES,
  taskKinds: INVESTIGATION_TASK_KINDS,
}
