import { CalendarRangeError, type WorkingDayCalendar } from '../../core/calendar'
import { z } from 'zod'
import type { Role } from '../../core/roles'

/**
 * The escalation ladder for an overdue action plan item, as data (docs/sources.md, Product targets: module 3; issue 3's default): at the due
 * date a reminder to the owner; 5 working days later the police supervisor; 10 the CPS unit head and a police
 * inspector; 20 a joint case progression meeting. An administrator can set a different ladder for a force, a CPS
 * area, or a force and area together (`resolveLadder`).
 */
export const LADDER_ROLES = [
  'owner',
  'investigator',
  'police_supervisor',
  'police_inspector',
  'prosecutor',
  'cps_unit_head',
] as const satisfies readonly (Role | 'owner')[]
export type LadderRole = (typeof LADDER_ROLES)[number]

export interface LadderStep {
  id: string
  /** Working days after the item's due date. */
  afterWorkingDays: number
  /** Who gets a task; 'owner' is the item's owner. */
  roles: readonly LadderRole[]
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
    roles: ['cps_unit_head', 'police_inspector'],
    title: 'An action plan item is 10 working days overdue',
  },
  {
    id: 'case_progression_meeting',
    afterWorkingDays: 20,
    roles: ['cps_unit_head', 'police_supervisor', 'police_inspector'],
    title: 'Hold a joint case progression meeting: an action plan item is 20 working days overdue',
  },
]

export const MAX_LADDER_STEPS = 8

/** A ladder as an administrator may set it: the rules every ladder keeps, each problem named on its field. */
export const ladderStepsSchema = z
  .array(
    z.object({
      id: z
        .string({ error: 'Enter a step name' })
        .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Use lower-case letters, digits and underscores, starting with a letter'),
      afterWorkingDays: z
        .number({ error: 'Enter a whole number of working days' })
        .int('Enter a whole number of working days')
        .min(0, 'The number of working days must be 0 or more')
        .max(250, 'The number of working days must be 250 or fewer'),
      roles: z
        .array(z.enum(LADDER_ROLES, { error: 'Select who is told from the list' }), {
          error: 'Select who is told at this step',
        })
        .min(1, 'Select who is told at this step')
        .max(LADDER_ROLES.length),
      title: z
        .string({ error: 'Enter what the task says' })
        .trim()
        .min(1, 'Enter what the task says')
        .max(200, 'What the task says must be 200 characters or fewer'),
    }),
    { error: 'Enter the steps as a list' },
  )
  .min(1, 'A ladder needs at least one step')
  .max(MAX_LADDER_STEPS, `A ladder has at most ${MAX_LADDER_STEPS} steps`)
  .superRefine(
    (steps, ctx) => {
      if (!Array.isArray(steps)) return
      const at = (index: number) => (steps[index] ?? {}) as Partial<LadderStep>
      steps.forEach((_, index) => {
        const step = at(index)
        if (typeof step.id === 'string' && steps.findIndex((_s, i) => at(i).id === step.id) !== index)
          ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'Each step needs a different name' })
        const before = index > 0 ? at(index - 1).afterWorkingDays : undefined
        if (typeof step.afterWorkingDays === 'number' && typeof before === 'number' && step.afterWorkingDays <= before)
          ctx.addIssue({
            code: 'custom',
            path: [index, 'afterWorkingDays'],
            message: 'Each step must come more working days after the due date than the step before',
          })
      })
    },
    // Name the rules between steps even when a step has another problem, so every problem shows at once.
    { when: () => true },
  )

/** A ladder set for a force, an area, or both together. */
export interface LadderSetting {
  forceCode: string | null
  areaCode: string | null
  steps: readonly LadderStep[]
}

/** The ladder for a case: its force and area together, then its force, then its area, then the default. */
export function resolveLadder(
  settings: readonly LadderSetting[],
  forceCode: string,
  areaCode: string,
): { steps: readonly LadderStep[]; setFor: string } {
  const match = (force: string | null, area: string | null) =>
    settings.find((s) => s.forceCode === force && s.areaCode === area)
  const found =
    match(forceCode, areaCode) ?? match(forceCode, null) ?? match(null, areaCode) ?? match(null, null) ?? null
  if (!found) return { steps: DEFAULT_LADDER, setFor: 'default' }
  return { steps: found.steps, setFor: [found.forceCode, found.areaCode].filter(Boolean).join(' and ') || 'default' }
}

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
