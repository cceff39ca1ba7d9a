import type { Clock } from './clocks'
import type { Role } from './roles'

/**
 * Work queues. Each kind of task is defined once, by the module whose work it is: who it is for, whether it is a
 * decision someone is waiting on ("awaiting my decision"), and where its due date comes from. Event definitions say which kinds they open and
 * close (`opens`, `closes` in event-model.ts); the scheduler opens escalation tasks for the roles of a ladder step.
 * A task belongs to a role in an organisation: police roles in the case's force, CPS roles in its area.
 */
export interface TaskKind {
  label: string
  /** Null for escalations: the ladder step names the roles. */
  role: Role | null
  decision: boolean
  /** The clocks that date the task (its earliest running one on the case), or a date field of the opening event. */
  due: { clock: string | readonly string[] } | { dataField: string } | null
  /** The task is open exactly while one of its clocks runs, whatever event starts or stops them. */
  whileClocksRun?: boolean
  /** The task stays (and may open) after the case is finalised: a complainant is still told of the last decision. */
  afterFinalisation?: boolean
}

/** A task kind's name (`schedule_sign_off`); the modules define the kinds, the registry lists them all. */
export type TaskKindId = string

/** The due date of an open task of this kind: its earliest running clock, or the opening event's date field. */
export function taskDue(
  kind: TaskKind | undefined,
  clocks: readonly Clock[],
  data: Record<string, unknown> = {},
): string | null {
  const due = kind?.due ?? null
  if (due === null) return null
  if ('dataField' in due) return typeof data[due.dataField] === 'string' ? (data[due.dataField] as string) : null
  const rules = [due.clock].flat()
  const running = clocks
    .filter((c) => rules.includes(c.ruleId) && !c.stoppedBy && c.due)
    .map((c) => c.due!)
    .sort()
  return running[0] ?? null
}

export const TASK_VIEWS = [
  { value: 'mine', text: 'My tasks' },
  { value: 'today', text: 'Due today' },
  { value: 'overdue', text: 'Overdue' },
  { value: 'awaiting', text: 'Awaiting my decision' },
  { value: 'team', text: 'My team' },
] as const
export type TaskView = (typeof TASK_VIEWS)[number]['value']

export const TASK_VIEW_EXPLANATIONS: Record<TaskView, string> = {
  mine: 'Work for the roles you hold in your organisation, soonest due first. A task closes itself when the work behind it is recorded on the case.',
  today: 'Your tasks due by the end of today, such as telling a complainant about an arrest within 1 working day.',
  overdue: 'Your tasks whose due date has passed.',
  awaiting:
    'Decisions other people are waiting for from you: advice, sign-offs, charging decisions and requests for more time.',
  team: 'Every open task in your organisation, with counts by role and kind, soonest due first.',
}

/** Supervisors and unit heads see their whole organisation's queue with counts. */
export const TEAM_VIEW_ROLES: readonly Role[] = ['police_supervisor', 'police_inspector', 'cps_unit_head']
