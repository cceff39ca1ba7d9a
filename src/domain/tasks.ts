import type { Clock } from './clocks'
import type { CaseFacts } from './event-model'
import type { Role } from './roles'
import { CPS_VICTIM_CLOCK_IDS, VICTIM_CLOCK_IDS, WITNESS_CARE_CLOCK_IDS } from './victims-code'

/**
 * Work queues. Each kind of task is defined once here: who it is for, whether it is a decision someone is waiting
 * on ("awaiting my decision"), and where its due date comes from. Event definitions say which kinds they open and
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

export const TASK_KINDS = {
  early_advice_request: {
    label: 'Answer a request for early advice',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'early_advice_response' },
  },
  early_advice_challenge: {
    label: 'Decide a challenge to declined early advice',
    role: 'cps_unit_head',
    decision: true,
    due: { clock: 'early_advice_challenge' },
  },
  referral_sign_off: {
    label: 'Sign off a charging referral',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'referral_sign_off' },
  },
  charging_decision: {
    label: 'Make a charging decision',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'charging_decision_time' },
  },
  more_time_decision: {
    label: 'Decide a request for more time on an action plan item',
    role: 'prosecutor',
    decision: true,
    due: { dataField: 'proposedDueOn' },
  },
  police_outcome_sign_off: {
    label: 'Sign off a proposed police outcome',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'police_outcome_sign_off' },
  },
  answer_action_plan: {
    label: 'Answer the action plan',
    role: 'investigator',
    decision: false,
    due: { clock: 'action_plan_item' },
  },
  victim_update: {
    label: 'Tell the complainant (Victims’ Code)',
    role: 'investigator',
    decision: false,
    due: { clock: VICTIM_CLOCK_IDS },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  victim_cps_decision: {
    label: 'Tell the complainant of a decision to drop or alter a charge (Victims’ Code)',
    role: 'prosecutor',
    decision: false,
    due: { clock: CPS_VICTIM_CLOCK_IDS },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  court_direction: {
    label: 'Comply with a judge’s direction',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'court_direction_prosecution' },
    whileClocksRun: true,
  },
  victim_hearing_update: {
    label: 'Tell the complainant of a hearing, verdict or sentence (Victims’ Code)',
    role: 'witness_care',
    decision: false,
    due: { clock: WITNESS_CARE_CLOCK_IDS },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  special_measures_application: {
    label: 'Apply for special measures',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'vc_special_measures_application' },
    whileClocksRun: true,
  },
  material_request_decision: {
    label: 'Decide a request for a person’s device or records',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'material_request_approval' },
    whileClocksRun: true,
  },
  material_request_review: {
    label: 'Review a request for a person’s device or records',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'material_request_review' },
    whileClocksRun: true,
  },
  fair_trial_consideration: {
    label: 'Consider a fair trial after a refused request for material',
    role: 'prosecutor',
    decision: true,
    due: { clock: 'fair_trial_consideration' },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  return_device: {
    label: 'Give a device back to its owner',
    role: 'investigator',
    decision: false,
    due: { clock: 'device_return' },
    whileClocksRun: true,
    afterFinalisation: true,
  },
  schedule_sign_off: {
    label: 'Sign off a disclosure schedule',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'schedule_sign_off' },
    whileClocksRun: true,
  },
  initial_disclosure: {
    label: 'Serve initial disclosure',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'disclosure_initial' },
    whileClocksRun: true,
  },
  continuing_disclosure: {
    label: 'Review the defence statement and serve continuing disclosure',
    role: 'prosecutor',
    decision: false,
    due: { clock: 'continuing_disclosure' },
    whileClocksRun: true,
  },
  action_plan_escalation: { label: 'Overdue action plan item', role: null, decision: false, due: null },
} as const satisfies Record<string, TaskKind>

export type TaskKindId = keyof typeof TASK_KINDS
export const TASK_KIND_IDS = Object.keys(TASK_KINDS) as TaskKindId[]
export const DECISION_TASK_KINDS = TASK_KIND_IDS.filter((k) => TASK_KINDS[k].decision)

/** The task kinds an event opens or closes: a fixed list, or worked out from what was entered and the case before. */
export type TaskRule =
  readonly TaskKindId[] | ((data: Record<string, unknown>, facts: CaseFacts) => readonly TaskKindId[])

export function tasksOf(rule: TaskRule | undefined, data: Record<string, unknown>, facts: CaseFacts) {
  if (!rule) return []
  return typeof rule === 'function' ? rule(data, facts) : rule
}

/** The due date of an open task of this kind: its earliest running clock, or the opening event's date field. */
export function taskDue(kind: TaskKindId, clocks: readonly Clock[], data: Record<string, unknown> = {}): string | null {
  const due: TaskKind['due'] = TASK_KINDS[kind].due
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
