import { CalendarRangeError, type WorkingDayCalendar } from './calendar'
import type { Role } from './roles'

/**
 * The escalation ladder for an overdue action plan item, as data (product.md module 3; issue 3's default): at the due
 * date a reminder to the owner; 5 working days later the police supervisor; 10 the CPS unit head and a police
 * inspector; 20 a joint case progression meeting. Police ranks are not modelled yet, so the inspector's step goes
 * to police supervisors.
 */
export interface LadderStep {
  id: string
  /** Working days after the item's due date. */
  afterWorkingDays: number
  /** Who gets a task; 'owner' is the item's owner. */
  roles: readonly (Role | 'owner')[]
  title: string
}

export const DEFAULT_LADDER: readonly LadderStep[] = [
  { id: 'reminder', afterWorkingDays: 0, roles: ['owner'], title: 'Reminder: an action plan item is due' },
  {
    id: 'police_supervisor',
    afterWorkingDays: 5,
    roles: ['police_supervisor'],
    title: 'An action plan item is 5 working days overdue',
  },
  {
    id: 'unit_head_and_inspector',
    afterWorkingDays: 10,
    roles: ['cps_unit_head', 'police_supervisor'],
    title: 'An action plan item is 10 working days overdue',
  },
  {
    id: 'case_progression_meeting',
    afterWorkingDays: 20,
    roles: ['cps_unit_head', 'police_supervisor'],
    title: 'Hold a joint case progression meeting: an action plan item is 20 working days overdue',
  },
]

/**
 * The steps an item has reached by `today`, with the date each was reached. A step whose date falls past the last
 * known bank holiday year is not reached yet: it waits for a newer calendar rather than stopping every other step.
 */
export function stepsReached(
  dueOn: string,
  today: string,
  calendar: WorkingDayCalendar,
  ladder: readonly LadderStep[] = DEFAULT_LADDER,
) {
  const reached: { step: LadderStep; index: number; reachedOn: string }[] = []
  for (const [index, step] of ladder.entries()) {
    let reachedOn: string
    try {
      reachedOn = calendar.addWorkingDays(dueOn, step.afterWorkingDays).due
    } catch (error) {
      if (error instanceof CalendarRangeError) break
      throw error
    }
    if (reachedOn > today) break
    reached.push({ step, index, reachedOn })
  }
  return reached
}

export const POLICE_ROLES: readonly Role[] = ['investigator', 'police_supervisor']

/** Administrative finalisation needs the ladder to have run out and this long since the plan was set (configurable). */
export function finalisationAllowedFrom(setOn: string, months: number): string {
  const date = new Date(`${setOn}T00:00:00Z`)
  date.setUTCMonth(date.getUTCMonth() + months)
  return date.toISOString().slice(0, 10)
}
