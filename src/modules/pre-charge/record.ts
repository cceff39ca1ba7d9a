import { randomUUID } from 'node:crypto'
import { actionItemDue } from '../../core/clocks'
import type { TableWrite } from '../module'

/** Action plan items set by an action plan or by early advice, numbered on from the case's last. */
async function addActionItems(...[store, caseId, data, event]: Parameters<TableWrite>) {
  if (!Array.isArray(data.items) || !data.items.length) return
  const first = await store.nextNumber('action_plan_items', caseId)
  // The event's day (today, or the day of a synthetic event generated as of the past).
  const today = event.facts.today
  const items = data.items as Record<string, unknown>[]
  await store.insert(
    'action_plan_items',
    items.map((item, index) => ({
      id: randomUUID(),
      case_id: caseId,
      number: first + index,
      set_seq: event.seq,
      description: item.description as string,
      owner_role: item.owner as 'investigator',
      proportionality: item.proportionality as string,
      due_on: actionItemDue(item, today, event.calendar),
      status: 'open' as const,
      answered_seq: null,
      answered_on: null,
      set_on: today,
    })),
  )
}

/** A request for more time on an item, and the prosecutor's decision (which re-dates it when accepted). */
async function moreTime(
  type: 'request_more_time' | 'decide_more_time',
  ...[store, caseId, data]: Parameters<TableWrite>
) {
  const item = (number: unknown) => ({ case_id: caseId, number: number as number })
  const accepted = type === 'decide_more_time' && data.decision === 'accept'
  const [current] = await store.select('action_plan_items', item(data.itemNumber))
  await store.update('action_plan_items', item(data.itemNumber), {
    proposed_due_on: type === 'request_more_time' ? (data.proposedDueOn as string) : null,
    ...(accepted && current && { due_on: current.proposed_due_on ?? current.due_on }),
  })
}

/** What the pre-charge events write to the action plan and charging decision tables (memory or database). */
export const PRE_CHARGE_WRITES: Readonly<Record<string, TableWrite>> = {
  set_action_plan: addActionItems,
  give_early_advice: addActionItems,
  async answer_action_item(store, caseId, data, event) {
    const item = (number: unknown) => ({ case_id: caseId, number: number as number })
    const [answered] = await store.update('action_plan_items', item(data.itemNumber), {
      status: data.answer as 'done',
      answered_seq: event.seq,
      answered_on: event.facts.today,
    })
    // The item's escalation tasks are done once it is answered.
    const escalations = answered ? await store.select('escalations', { item_id: answered.id }) : []
    if (escalations.length)
      await store.update(
        'tasks',
        { escalation_id: escalations.map((e) => e.id), done_at: null },
        { done_at: new Date() },
      )
  },
  async record_charging_decision(store, caseId, data, event) {
    await store.insert('charging_decisions', [
      {
        id: randomUUID(),
        case_id: caseId,
        seq: event.seq,
        suspect_id: data.suspectId as string,
        test: data.test as 'full_code' | 'threshold',
        outcome: data.outcome as 'charge',
        decided_on: event.facts.today,
        full_code_review_by: (data.fullCodeReviewBy as string | undefined) ?? null,
        decided_by: event.actorId,
      },
    ])
  },
  request_more_time: (...args) => moreTime('request_more_time', ...args),
  decide_more_time: (...args) => moreTime('decide_more_time', ...args),
}
