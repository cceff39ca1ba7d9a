import { define, type EventDefinition, POLICE } from '../../core/event-model'
import { field, todayIso } from '../../core/fields'
import {
  text,
  optionalText,
  decisionField,
  ACTION_ITEM_ANSWERS,
  openItems,
  actionPlanItems,
  itemDueProblems,
  lastMoreTimeRequest,
} from './rules'

/** Action plans: setting one, answering its items, more time asked and decided, and administrative finalisation. */
export const ACTION_PLAN_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'administratively_finalise',
    version: 1,
    title: 'Administratively finalise the case',
    description:
      'Close the case without a charging decision because the police have not answered the action plan. Only after every step of the escalation ladder has been taken and the finalisation period has passed. The case can be reopened.',
    from: ['action_plan'],
    to: 'finalised',
    roles: ['cps_unit_head'],
    fields: {
      reasons: text(
        'Reasons',
        'the reasons',
        'What was asked, what was done to get an answer, and why the case cannot wait longer',
      ),
    },
    isvaVisible: true,
    precondition: (facts) => {
      if (!facts.adminFinalisation.ladderExhausted)
        return 'The escalation ladder has not run out for any open action plan item'
      if (!facts.adminFinalisation.allowedFrom || facts.adminFinalisation.allowedFrom > facts.today) {
        return `The finalisation period has not passed: the case can be administratively finalised from ${facts.adminFinalisation.allowedFrom ?? 'a later date'}`
      }
      return null
    },
    summary: () => 'Case administratively finalised',
    project: (_data, facts) => ({ finalOutcome: 'administratively_finalised', finalisedOn: facts.today }),
  }),
  define({
    type: 'set_action_plan',
    version: 1,
    title: 'Set an action plan',
    description:
      'Set out the further work the police must do before a charging decision. Each item has an owner, a due date and why it is proportionate.',
    from: ['investigation', 'awaiting_charging_decision'],
    to: 'action_plan',
    roles: ['prosecutor'],
    fields: {
      items: actionPlanItems(1),
      note: optionalText('Note to the police (optional)', 'the note'),
    },
    refine: itemDueProblems,
    isvaVisible: false,
    precondition: (facts) => {
      if (facts.stage === 'investigation' && facts.earlyAdvice !== 'given')
        return 'An action plan during the investigation follows early advice'
      if (openItems(facts).length > 0) return 'There is already an action plan with open items'
      return null
    },
    summary: (data) => `Action plan set (${Array.isArray(data.items) ? data.items.length : 0} items)`,
    project: () => ({ referral: null }),
    opens: ['answer_action_plan'],
    closes: ['charging_decision'],
  }),
  define({
    type: 'answer_action_item',
    version: 1,
    title: 'Answer an action plan item',
    description: 'Say what was done, or why the item is not possible or not proportionate.',
    from: ['action_plan', 'investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      itemNumber: field.actionItem({ label: 'Item', name: 'the item' }),
      answer: field.choice({ label: 'Answer', name: 'the answer', options: ACTION_ITEM_ANSWERS }),
      details: text('Result, or the reasons', 'the result or the reasons'),
    },
    isvaVisible: false,
    precondition: (facts) => (openItems(facts).length > 0 ? null : 'There are no open action plan items'),
    guard: (facts, _actor, data) =>
      openItems(facts).some((i) => i.number === data.itemNumber) ? null : 'Select an open item of the action plan',
    summary: (data) => `Action plan item ${String(data.itemNumber)} answered: ${String(data.answer).replace('_', ' ')}`,
    closes: (data, facts) => [
      ...(openItems(facts).every((i) => i.number === data.itemNumber) ? (['answer_action_plan'] as const) : []),
      ...(facts.actionItems.some((i) => i.number === data.itemNumber && i.proposedDueOn)
        ? lastMoreTimeRequest(data, facts)
        : []),
    ],
  }),
  define({
    type: 'request_more_time',
    version: 1,
    title: 'Ask for more time on an action plan item',
    description: 'Propose a new due date and say why. The prosecutor accepts or rejects it.',
    from: ['action_plan', 'investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      itemNumber: field.actionItem({ label: 'Item', name: 'the item' }),
      proposedDueOn: field.date({ label: 'Proposed due date', name: 'the proposed due date' }),
      reason: text('Why more time is needed', 'why more time is needed'),
    },
    refine: (data) =>
      typeof data.proposedDueOn === 'string' && data.proposedDueOn <= todayIso()
        ? { path: 'proposedDueOn', message: 'The proposed due date must be in the future' }
        : null,
    isvaVisible: false,
    precondition: (facts) => (openItems(facts).length > 0 ? null : 'There are no open action plan items'),
    guard: (facts, _actor, data) => {
      const item = openItems(facts).find((i) => i.number === data.itemNumber)
      if (!item) return 'Select an open item of the action plan'
      return item.proposedDueOn
        ? 'More time has already been asked for on this item; wait for the prosecutor’s decision'
        : null
    },
    summary: (data) => `More time asked for on action plan item ${String(data.itemNumber)}`,
    opens: ['more_time_decision'],
  }),
  define({
    type: 'decide_more_time',
    version: 1,
    title: 'Decide a request for more time',
    description: 'Accept the proposed due date (the item is re-dated) or reject it (the item stays due as set).',
    from: ['action_plan', 'investigation'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      itemNumber: field.actionItem({ label: 'Item', name: 'the item' }),
      decision: decisionField([
        { value: 'accept', text: 'Accept the proposed date' },
        { value: 'reject', text: 'Reject: the item stays due as set' },
      ]),
      reason: optionalText('Reason (optional)', 'the reason'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.actionItems.some((i) => i.status === 'open' && i.proposedDueOn)
        ? null
        : 'No request for more time is waiting for a decision',
    guard: (facts, _actor, data) =>
      facts.actionItems.some((i) => i.number === data.itemNumber && i.status === 'open' && i.proposedDueOn)
        ? null
        : 'Select an item with a request for more time',
    summary: (data) =>
      `More time on action plan item ${String(data.itemNumber)} ${data.decision === 'accept' ? 'accepted' : 'rejected'}`,
    closes: lastMoreTimeRequest,
  }),
]
