import { CalendarRangeError, type Deadline, explainDeadline, type WorkingDayCalendar } from './calendar'

/**
 * Every clock in Casebridge is a rule here, and every clock on a case is derived from the case's timeline by
 * `deriveClocks`: nothing about a clock is stored, so a corrected event or a refreshed calendar re-dates it.
 */
export interface ClockRule {
  id: string
  name: string
  /** Where the period comes from; "Casebridge default" where no national rule was found. */
  source: string
  /** The events that start the clock. */
  startsOn: readonly string[]
  /** Only events whose data passes this start the clock. */
  startsWhen?: (data: Record<string, unknown>) => boolean
  /** The date the clock counts from: the event's date, or a date field of its data. */
  fromField?: string | readonly string[]
  /** Separate clocks per value of this data field, for example one per suspect. */
  keyField?: string
  /**
   * Events of this type create the numbered thing the key names and carry no number themselves: the nth of them on
   * the case is number n (the service numbers them in the same order).
   */
  numberedBy?: string
  /** Only the first starting event (for the key) starts the clock; later ones do not move it. */
  firstOnly?: boolean
  /**
   * One clock per complainant for each starting event (Victims' Code entitlements): for the complainant the event
   * names (`complainantId`), else for every complainant on the case. Such a clock is met by a `metBy` event naming
   * that complainant, on the first date of `metOnFields` it carries.
   */
  perComplainant?: boolean
  /** A `metBy` event of one of these types meets the clock only when its data passes. */
  metWhen?: Readonly<Record<string, (data: Record<string, unknown>) => boolean>>
  metOnFields?: readonly string[]
  due:
    | {
        unit: 'working' | 'calendar'
        days: number
        configurable: boolean
        /** A shorter period for complainants with enhanced rights (Victims' Code). */
        enhancedDays?: number
      }
    | { dateField: string }
    /**
     * One clock per item of a list field of the starting event (action plan items, judge's directions), numbered
     * across the case in the order set; `when` picks the items this rule times (the numbering counts them all).
     */
    | { items: string; when?: (item: Record<string, unknown>) => boolean; setBy: string }
  /** Events that stop the clock as met (for the same key, when the event names one). */
  metBy: readonly string[]
  /** Events that make the clock no longer apply. */
  cancelledBy: readonly string[]
  /** A request for a new due date (by key), and the event that accepts it and re-dates the running clock. */
  redate?: {
    requestedBy: string
    dateField: string
    acceptedBy: string
    accepted: (data: Record<string, unknown>) => boolean
  }
}

/**
 * Who the Victims' Code clocks are for: the complainants on the case, each with the timeline row from which they are
 * on it (1, the report, or the row that added them), and whether they have enhanced rights.
 */
export interface VictimContext {
  complainants: readonly { id: string; since: number }[]
  enhanced: boolean
}

export interface TimelineFact {
  seq: number
  type: string
  /** The event's date in England and Wales (YYYY-MM-DD). */
  occurredOn: string
  data: Record<string, unknown>
}

export type ClockStatus = 'running' | 'met' | 'overdue' | 'cancelled'

export interface Clock {
  ruleId: string
  name: string
  source: string
  key: string | null
  startedBy: { seq: number; type: string; on: string }
  from: string
  due: string | null
  stoppedBy: { seq: number; type: string; on: string; reason: 'met' | 'cancelled' | 'superseded' } | null
  status: ClockStatus
  /** Met after its due date. */
  late: boolean
  explanation: string[]
  /** Why no due date could be worked out (for example a date past the last known calendar year). */
  problem: string | null
}

export const isDate = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)

export function ruleDays(
  rule: ClockRule,
  overrides: Readonly<Record<string, number>>,
  enhanced = false,
): number | null {
  if (!('unit' in rule.due)) return null
  if (enhanced && rule.due.enhancedDays !== undefined) return rule.due.enhancedDays
  return rule.due.configurable && overrides[rule.id] !== undefined ? overrides[rule.id]! : rule.due.days
}

/** Whether an event meets a running clock of this rule: the same key, and for a complainant's clock, about it. */
function meets(rule: ClockRule, clock: Clock, fact: TimelineFact): boolean {
  const when = rule.metWhen?.[fact.type]
  if (when && !when(fact.data)) return false
  if (rule.perComplainant) return String(fact.data.complainantId ?? '') === clock.key
  return !rule.keyField || fact.data[rule.keyField] === undefined || String(fact.data[rule.keyField]) === clock.key
}

export function deriveClocks(
  facts: readonly TimelineFact[],
  calendar: WorkingDayCalendar,
  today: string,
  overrides: Readonly<Record<string, number>>,
  rules: readonly ClockRule[],
  victims: VictimContext = { complainants: [], enhanced: true },
): Clock[] {
  const clocks: Clock[] = []
  const itemCounts = new Map<string, number>()
  const ordered = [...facts].sort((a, b) => a.seq - b.seq)
  const proposed = new Map<string, string>()
  const typeCounts = new Map<string, number>()
  for (const fact of ordered) {
    const nth = (typeCounts.get(fact.type) ?? 0) + 1
    typeCounts.set(fact.type, nth)
    const stop = { seq: fact.seq, type: fact.type, on: fact.occurredOn }
    for (const rule of rules) {
      if (!rule.redate || !rule.keyField) continue
      const key = String(fact.data[rule.keyField] ?? '')
      const date = fact.data[rule.redate.dateField]
      if (fact.type === rule.redate.requestedBy && isDate(date)) proposed.set(`${rule.id}:${key}`, date)
      if (fact.type === rule.redate.acceptedBy) {
        const newDue = proposed.get(`${rule.id}:${key}`)
        proposed.delete(`${rule.id}:${key}`)
        const running = clocks.find((c) => c.ruleId === rule.id && c.key === key && !c.stoppedBy)
        if (running && newDue && rule.redate.accepted(fact.data)) {
          running.due = newDue
          running.explanation = [
            ...running.explanation,
            `Re-dated to ${newDue} when more time was agreed on ${fact.occurredOn}`,
          ]
        }
      }
    }
    for (const clock of clocks) {
      if (clock.stoppedBy) continue
      const rule = rules.find((r) => r.id === clock.ruleId)!
      if (rule.metBy.includes(fact.type) && meets(rule, clock, fact)) {
        // A contact is met on the day it happened, which may be before the day it was recorded.
        const on = (rule.metOnFields ?? []).map((f) => fact.data[f]).find(isDate) ?? fact.occurredOn
        clock.stoppedBy = { ...stop, on, reason: 'met' }
        clock.status = 'met'
        clock.late = clock.due !== null && on > clock.due
      } else if (rule.cancelledBy.includes(fact.type) && (rule.perComplainant || meets(rule, clock, fact))) {
        clock.stoppedBy = { ...stop, reason: 'cancelled' }
        clock.status = 'cancelled'
      }
    }
    for (const rule of rules.filter(
      (r) => r.startsOn.includes(fact.type) && (!r.startsWhen || r.startsWhen(fact.data)),
    )) {
      if ('items' in rule.due) {
        // One clock per item; items are numbered across the case in the order they were set.
        const list = fact.data[rule.due.items]
        for (const item of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
          const number = (itemCounts.get(rule.id) ?? 0) + 1
          itemCounts.set(rule.id, number)
          if (!rule.due.when || rule.due.when(item))
            clocks.push(itemClock(rule, fact, String(number), item, calendar, rule.due.setBy))
        }
        continue
      }
      if (rule.perComplainant) {
        // Each event gets its own clock per complainant: a later event never hides an earlier one's breach.
        // For the complainant the event names; else for the one it added; else for everyone on the case by then.
        const named = typeof fact.data.complainantId === 'string' ? [fact.data.complainantId] : null
        const added = victims.complainants.filter((c) => c.since === fact.seq && fact.seq > 1).map((c) => c.id)
        const onCase = victims.complainants.filter((c) => c.since <= fact.seq).map((c) => c.id)
        for (const id of named ?? (added.length > 0 ? added : onCase))
          clocks.push(startClock(rule, fact, id, calendar, overrides, victims.enhanced))
        continue
      }
      const key = rule.keyField ? String(fact.data[rule.keyField] ?? (rule.numberedBy === fact.type ? nth : '')) : null
      if (rule.firstOnly && clocks.some((c) => c.ruleId === rule.id && c.key === key)) continue
      for (const previous of clocks) {
        if (previous.ruleId === rule.id && previous.key === key && !previous.stoppedBy) {
          previous.stoppedBy = { ...stop, reason: 'superseded' }
          previous.status = 'cancelled'
        }
      }
      clocks.push(startClock(rule, fact, key, calendar, overrides))
    }
  }
  for (const clock of clocks) {
    if (clock.status === 'running' && clock.due !== null && clock.due < today) clock.status = 'overdue'
  }
  return clocks
}

function itemClock(
  rule: ClockRule,
  fact: TimelineFact,
  key: string,
  item: Record<string, unknown>,
  calendar: WorkingDayCalendar,
  setBy: string,
): Clock {
  const clock = startClock({ ...rule, due: { dateField: '_' } }, fact, key, calendar, {})
  clock.problem = null
  try {
    clock.due = actionItemDue(item, fact.occurredOn, calendar)
    clock.explanation = isDate(item.dueOn)
      ? [`Due on ${item.dueOn}, the date ${setBy} set`]
      : explainDeadline(calendar.addWorkingDays(fact.occurredOn, Number(item.dueWorkingDays)))
  } catch (error) {
    if (!(error instanceof CalendarRangeError)) throw error
    clock.problem = error.message
  }
  return clock
}

function startClock(
  rule: ClockRule,
  fact: TimelineFact,
  key: string | null,
  calendar: WorkingDayCalendar,
  overrides: Readonly<Record<string, number>>,
  enhanced = false,
): Clock {
  // The first of the rule's date fields that the event carries; otherwise the day the event was recorded.
  const from =
    [rule.fromField ?? []]
      .flat()
      .map((f) => fact.data[f])
      .find(isDate) ?? fact.occurredOn
  const clock: Clock = {
    ruleId: rule.id,
    name: rule.name,
    source: rule.source,
    key,
    startedBy: { seq: fact.seq, type: fact.type, on: fact.occurredOn },
    from,
    due: null,
    stoppedBy: null,
    status: 'running',
    late: false,
    explanation: [],
    problem: null,
  }
  if ('items' in rule.due) return clock
  if ('dateField' in rule.due) {
    const due = fact.data[rule.due.dateField]
    if (isDate(due)) {
      clock.due = due
      clock.explanation = [`Due on ${due}, the date recorded with the event`]
    } else clock.problem = 'The event has no date to count to'
    return clock
  }
  const days = ruleDays(rule, overrides, enhanced)!
  try {
    const deadline: Deadline =
      rule.due.unit === 'working' ? calendar.addWorkingDays(from, days) : calendar.addCalendarDays(from, days)
    clock.due = deadline.due
    clock.explanation = explainDeadline(deadline)
  } catch (error) {
    if (!(error instanceof CalendarRangeError)) throw error
    clock.problem = error.message
  }
  return clock
}

/** The due date of an item of a list (an action plan item, a direction): a date, or N working days from the day the plan was set. */
export function actionItemDue(item: Record<string, unknown>, setOn: string, calendar: WorkingDayCalendar): string {
  if (isDate(item.dueOn)) return item.dueOn
  return calendar.addWorkingDays(setOn, Number(item.dueWorkingDays)).due
}
