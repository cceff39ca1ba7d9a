import type { ModuleRules } from '../../core/module'
import { ADVOCATE_EVENTS } from '../../domain/advocates'

/** The area's panel of RASSO advocates, instructing one on a case, returned briefs and continuity of counsel. */
export const advocates: ModuleRules = {
  name: 'advocates',
  events: ADVOCATE_EVENTS,
}
