import { define, type EventDefinition, note, POLICE, suspectField } from '../../core/event-model'
import { field, optional, todayIso } from '../../core/fields'
import {
  text,
  optionalText,
  decisionField,
  PUBLIC_INTEREST_QUESTIONS,
  THRESHOLD_CONDITIONS,
  YES_NO,
  DECISION_OUTCOMES,
  OUTCOME_SUMMARY,
  openItems,
  actionPlanItems,
  itemDueProblems,
  earlyAdviceRequested,
  referredSuspects,
  stageAfterDecision,
} from './rules'

/** Early advice, the charging referral and its sign-off, and the charging decision. */
export const CHARGING_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'request_early_advice',
    version: 1,
    title: 'Request early advice',
    description: 'Ask a prosecutor for advice before a charging decision can be made (DG6 chapter 7).',
    from: ['investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      summary: text('Summary of the case', 'a summary of the case'),
      linesCompleted: text('Lines of enquiry completed, and their results', 'the lines of enquiry completed'),
      linesOngoing: text(
        'Lines of enquiry ongoing or planned, with timescales',
        'the lines of enquiry ongoing or planned',
        'Include what each is expected to show and when',
      ),
      issues: optionalText(
        'Issues identified so far (optional)',
        'the issues',
        'Including any account the suspect has given',
      ),
      questions: text('What you want advice on', 'what you want advice on'),
      material: optionalText(
        'Material supplied (optional)',
        'the material supplied',
        'For example the ABE interview or interview notes',
      ),
    },
    isvaVisible: false,
    precondition: (facts) => {
      if (facts.earlyAdvice === 'requested' || facts.earlyAdvice === 'accepted')
        return 'Early advice has already been requested and not yet given'
      if (facts.earlyAdvice === 'challenged') return 'A challenge to declined early advice is waiting for a decision'
      return null
    },
    summary: () => 'Early advice requested',
    project: () => ({ earlyAdvice: 'requested' }),
    opens: ['early_advice_request'],
  }),
  define({
    type: 'accept_early_advice',
    version: 1,
    title: 'Accept the early advice request',
    description:
      'Tell the investigator the request is accepted and when to expect the advice. The advice itself follows with “Give early advice”.',
    from: ['investigation'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      note: optionalText('Note to the investigator (optional)', 'the note', 'For example, when you expect to advise'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.earlyAdvice === 'requested' ? null : 'There is no early advice request waiting to be accepted',
    summary: () => 'Early advice request accepted',
    project: () => ({ earlyAdvice: 'accepted' }),
  }),
  define({
    type: 'decline_early_advice',
    version: 1,
    title: 'Decline the early advice request',
    description:
      'Say why early advice cannot be given now. A police inspector (or above) can challenge the decision to the CPS unit head.',
    from: ['investigation'],
    to: 'same',
    roles: ['prosecutor'],
    fields: { reason: text('Why early advice is declined', 'why early advice is declined') },
    isvaVisible: false,
    precondition: earlyAdviceRequested,
    summary: () => 'Early advice declined',
    project: () => ({ earlyAdvice: 'declined' }),
    closes: ['early_advice_request'],
  }),
  define({
    type: 'challenge_early_advice_decline',
    version: 1,
    title: 'Challenge the decision to decline early advice',
    description:
      'An officer of inspector rank or above may challenge a refusal of early advice through the escalation process (DG6 chapter 7). The CPS unit head decides.',
    from: ['investigation'],
    to: 'same',
    roles: ['police_inspector'],
    fields: {
      reason: text('Why early advice should be given', 'why early advice should be given'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.earlyAdvice === 'declined' ? null : 'There is no declined early advice request to challenge',
    summary: () => 'Decision to decline early advice challenged by a police inspector',
    project: () => ({ earlyAdvice: 'challenged' }),
    opens: ['early_advice_challenge'],
  }),
  define({
    type: 'decide_early_advice_challenge',
    version: 1,
    title: 'Decide the challenge to declined early advice',
    description:
      'Uphold the decision to decline, or overturn it: the request goes back to a prosecutor to give early advice.',
    from: ['investigation'],
    to: 'same',
    roles: ['cps_unit_head'],
    fields: {
      decision: decisionField([
        { value: 'overturn', text: 'Overturn: a prosecutor gives early advice' },
        { value: 'uphold', text: 'Uphold the decision to decline' },
      ]),
      reason: text('Reasons', 'the reasons'),
    },
    isvaVisible: false,
    precondition: (facts) =>
      facts.earlyAdvice === 'challenged'
        ? null
        : 'There is no challenge to declined early advice waiting for a decision',
    summary: (data) =>
      data.decision === 'overturn'
        ? 'Challenge upheld: early advice to be given'
        : 'Challenge rejected: the decision to decline early advice stands',
    project: (data) => ({ earlyAdvice: data.decision === 'overturn' ? 'requested' : 'decline_upheld' }),
    closes: ['early_advice_challenge'],
    opens: (data) => (data.decision === 'overturn' ? ['early_advice_request'] : []),
  }),
  define({
    type: 'give_early_advice',
    version: 1,
    title: 'Give early advice',
    description:
      'Answer the investigator’s questions. You can set an action plan with the advice: the police then answer it item by item.',
    from: ['investigation'],
    to: (data) => (Array.isArray(data.items) && data.items.length > 0 ? 'action_plan' : 'investigation'),
    roles: ['prosecutor'],
    fields: {
      advice: text(
        'Advice',
        'the advice',
        'Answer each question; say what further enquiries would help a charging decision',
        20000,
      ),
      items: optional(actionPlanItems(0)),
    },
    refine: itemDueProblems,
    isvaVisible: false,
    precondition: earlyAdviceRequested,
    guard: (facts, _actor, data) =>
      Array.isArray(data.items) && data.items.length > 0 && openItems(facts).length > 0
        ? 'There is already an action plan with open items; give the advice without a new plan'
        : null,
    summary: (data) =>
      Array.isArray(data.items) && data.items.length > 0
        ? `Early advice given with an action plan (${data.items.length} items)`
        : 'Early advice given',
    project: () => ({ earlyAdvice: 'given' }),
    closes: ['early_advice_request'],
    opens: (data) => (Array.isArray(data.items) && data.items.length > 0 ? ['answer_action_plan'] : []),
  }),
  define({
    type: 'prepare_charging_referral',
    version: 1,
    title: 'Prepare a charging referral',
    description:
      'Set out the investigation for a charging decision (DG6 annex). A police supervisor signs it off before it goes to the CPS. It covers every identified suspect.',
    from: ['investigation', 'action_plan'],
    to: 'same',
    roles: POLICE,
    fields: {
      category: field.choice({
        label: 'Category',
        name: 'the category',
        options: [
          { value: 'red', text: 'Red' },
          { value: 'green', text: 'Green' },
          { value: 'green_priority', text: 'Green priority' },
        ],
      }),
      linesCompleted: text(
        'Reasonable lines of enquiry completed, including those that assist the defence, and their results',
        'the lines of enquiry completed',
      ),
      linesNotPursued: text('Lines of enquiry not pursued, and why', 'the lines of enquiry not pursued'),
      linesOutstanding: optionalText(
        'Outstanding lines of enquiry, with timescales and likely impact on the decision (optional)',
        'the outstanding lines of enquiry',
      ),
      outstandingEvidence: optionalText(
        'Outstanding evidence by type, with target dates (optional)',
        'the outstanding evidence',
        'Audio-visual, bad character, communications, forensic, identification, medical',
      ),
      victimEngagement: text(
        'Victim and witness engagement',
        'the victim and witness engagement',
        'Whether any victim or witness has not engaged or does not support the case',
      ),
      linkedSuspects: optionalText('Linked suspects and investigations (optional)', 'the linked suspects'),
      suspectIds: optional(
        field.people({
          label: 'Suspects this referral is for (optional)',
          name: 'the suspects',
          role: 'suspect',
          hint: 'Refer one suspect, or several together. If you tick none, the referral is for every identified suspect.',
        }),
      ),
    },
    isvaVisible: false,
    precondition: (facts) => {
      if (!facts.people.some((p) => p.role === 'suspect' && !p.unknown))
        return 'There is no identified suspect to refer'
      if (facts.referral?.status === 'prepared') return 'A referral is already waiting for supervisor sign-off'
      return null
    },
    guard: (facts, _actor, data) => {
      if (!Array.isArray(data.suspectIds)) return null
      const identified = new Set(facts.people.filter((p) => p.role === 'suspect' && !p.unknown).map((p) => p.id))
      if (!data.suspectIds.every((id) => identified.has(String(id)))) return 'Select identified suspects on this case'
      const decided = new Set(facts.decisions.map((d) => d.suspectId))
      return data.suspectIds.every((id) => decided.has(String(id)))
        ? 'Every suspect selected already has a charging decision'
        : null
    },
    summary: (data) => `Charging referral prepared (${String(data.category).replace('_', ' ')})`,
    project: (data, _facts, actor) => ({
      referral: {
        status: 'prepared',
        preparedBy: actor.id,
        category: String(data.category),
        suspectIds: Array.isArray(data.suspectIds) ? data.suspectIds.map(String) : null,
      },
    }),
    opens: ['referral_sign_off'],
  }),
  define({
    type: 'return_charging_referral',
    version: 1,
    title: 'Return the charging referral',
    description: 'Do not sign off the referral; say what is needed first.',
    from: ['investigation', 'action_plan'],
    to: 'same',
    roles: ['police_supervisor'],
    fields: { reason: text('What is needed before sign-off', 'what is needed before sign-off') },
    isvaVisible: false,
    precondition: (facts) =>
      facts.referral?.status === 'prepared' ? null : 'There is no referral waiting for sign-off',
    summary: () => 'Charging referral returned to the investigator',
    project: () => ({ referral: null }),
    closes: ['referral_sign_off'],
  }),
  define({
    type: 'sign_off_charging_referral',
    version: 1,
    title: 'Sign off the charging referral',
    description: 'Agree the referral and send it to the CPS for a charging decision.',
    from: ['investigation', 'action_plan'],
    to: 'awaiting_charging_decision',
    roles: ['police_supervisor'],
    fields: { note },
    isvaVisible: true,
    precondition: (facts, actor) => {
      if (facts.referral?.status !== 'prepared') return 'There is no referral waiting for sign-off'
      if (facts.referral.preparedBy === actor.id)
        return 'A referral must be signed off by a supervisor other than the person who prepared it'
      return null
    },
    summary: () => 'Referred to the CPS for a charging decision',
    project: (_data, facts) => ({
      referral: {
        status: 'signed_off',
        preparedBy: facts.referral?.preparedBy ?? null,
        category: null,
        suspectIds: facts.referral?.suspectIds ?? null,
      },
    }),
    closes: ['referral_sign_off'],
    opens: ['charging_decision'],
  }),
  define({
    type: 'record_charging_decision',
    version: 1,
    title: 'Record a charging decision',
    description:
      'Apply the Full Code Test (the evidential stage, then each public interest question) or the Threshold Test (all five conditions) for one suspect. ' +
      'After a Threshold Test charge, apply the Full Code Test by the review date.',
    from: ['awaiting_charging_decision', 'charged'],
    to: stageAfterDecision,
    roles: ['prosecutor'],
    fields: {
      suspectId: suspectField,
      test: field.choice({
        label: 'Test applied',
        name: 'the test applied',
        options: [
          { value: 'full_code', text: 'Full Code Test' },
          { value: 'threshold', text: 'Threshold Test' },
        ],
      }),
      evidentialStage: optional(
        field.choice({
          label: 'Full Code Test: is there a realistic prospect of conviction?',
          name: 'whether the evidential stage is met',
          options: [
            { value: 'met', text: 'Yes, the evidential stage is met' },
            { value: 'not_met', text: 'No, the evidential stage is not met' },
          ],
        }),
      ),
      evidentialReasoning: optionalText(
        'Evidential stage: reasoning',
        'the evidential reasoning',
        'Admissibility, reliability, credibility and any defence',
      ),
      ...Object.fromEntries(
        PUBLIC_INTEREST_QUESTIONS.map((q) => [
          q.key,
          optionalText(`Public interest: ${q.text}`, `your answer to “${q.text}”`),
        ]),
      ),
      publicInterest: optional(
        field.choice({
          label: 'Public interest stage: conclusion',
          name: 'the public interest conclusion',
          options: [
            { value: 'prosecution_required', text: 'A prosecution is required in the public interest' },
            { value: 'prosecution_not_required', text: 'A prosecution is not required in the public interest' },
          ],
        }),
      ),
      ...Object.fromEntries(
        THRESHOLD_CONDITIONS.map((c) => [
          c.key,
          optional(
            field.choice({
              label: `Threshold Test: ${c.text}`,
              name: 'whether this condition is met',
              options: YES_NO,
            }),
          ),
        ]),
      ),
      fullCodeReviewBy: optional(
        field.date({
          label: 'Threshold Test: apply the Full Code Test by',
          name: 'the date to apply the Full Code Test by',
        }),
      ),
      outcome: field.choice({ label: 'Decision', name: 'the decision', options: DECISION_OUTCOMES }),
      charges: optionalText('Charges (if charging)', 'the charges', 'Each charge and the offence it relates to'),
    },
    refine: (data) => {
      const problems: { path: string; message: string }[] = []
      const need = (key: string, message: string) => {
        if (data[key] === undefined) problems.push({ path: key, message })
      }
      if (data.test === 'full_code') {
        need('evidentialStage', 'Select whether the evidential stage is met')
        need('evidentialReasoning', 'Enter the evidential reasoning')
        if (data.evidentialStage === 'met') {
          for (const q of PUBLIC_INTEREST_QUESTIONS) need(q.key, `Answer “${q.text}”`)
          need('publicInterest', 'Select the public interest conclusion')
        }
        if (data.evidentialStage === 'not_met' && data.outcome !== undefined && data.outcome !== 'nfa_evidential') {
          problems.push({
            path: 'outcome',
            message: 'When the evidential stage is not met the decision is no further action (evidential)',
          })
        }
        if (
          data.evidentialStage === 'met' &&
          data.publicInterest === 'prosecution_required' &&
          data.outcome !== undefined &&
          data.outcome !== 'charge'
        ) {
          problems.push({
            path: 'outcome',
            message: 'When a prosecution is required in the public interest the decision is to charge',
          })
        }
        if (data.publicInterest === 'prosecution_not_required' && data.outcome === 'charge') {
          problems.push({
            path: 'outcome',
            message: 'You cannot charge when a prosecution is not required in the public interest',
          })
        }
        if (data.fullCodeReviewBy !== undefined)
          problems.push({ path: 'fullCodeReviewBy', message: 'A review date goes with the Threshold Test only' })
      }
      if (data.test === 'threshold') {
        for (const c of THRESHOLD_CONDITIONS) need(c.key, 'Select whether this condition is met')
        if (THRESHOLD_CONDITIONS.some((c) => data[c.key] === 'no')) {
          problems.push({
            path: 'outcome',
            message: 'The Threshold Test can be used only when all five conditions are met',
          })
        } else if (data.outcome !== undefined && data.outcome !== 'charge') {
          problems.push({
            path: 'outcome',
            message:
              'A Threshold Test decision is a decision to charge; apply the Full Code Test for any other decision',
          })
        }
        need('fullCodeReviewBy', 'Enter the date by which the Full Code Test must be applied')
        if (typeof data.fullCodeReviewBy === 'string' && data.fullCodeReviewBy < todayIso()) {
          problems.push({
            path: 'fullCodeReviewBy',
            message: 'The date to apply the Full Code Test by must be today or in the future',
          })
        }
      }
      if (data.outcome === 'charge') need('charges', 'Enter the charges')
      return problems
    },
    isvaVisible: true,
    guard: (facts, _actor, data) => {
      const suspect = facts.people.find((p) => p.id === data.suspectId)
      if (!suspect || suspect.role !== 'suspect' || suspect.unknown) return 'Select an identified suspect on this case'
      if (facts.stage === 'awaiting_charging_decision' && !referredSuspects(facts).includes(suspect.id))
        return 'This suspect is not in the referral the CPS received; the police refer them separately'
      const previous = facts.decisions.find((d) => d.suspectId === data.suspectId)
      if (facts.stage === 'charged' && !(previous?.outcome === 'charge' && data.test === 'full_code')) {
        return 'After charge, a further decision is the Full Code Test for a suspect charged under the Threshold Test'
      }
      return null
    },
    summary: (data) => OUTCOME_SUMMARY[String(data.outcome)] ?? 'Charging decision',
    closes: (data, facts) =>
      stageAfterDecision(data, facts) === 'awaiting_charging_decision' ? [] : ['charging_decision'],
    project: (data, facts) => {
      const stage = stageAfterDecision(data, facts)
      // Every referred suspect has a decision and others are still under investigation: the referral is done.
      if (stage === 'investigation') return { referral: null }
      if (stage !== 'finalised') return {}
      const outcomes = new Set([...facts.decisions.map((d) => d.outcome), String(data.outcome)])
      return {
        finalOutcome:
          outcomes.has('out_of_court_disposal') && outcomes.size === 1
            ? 'out_of_court_disposal'
            : 'cps_no_further_action',
        finalisedOn: facts.today,
      }
    },
  }),
]
