import { describe, expect, it } from 'vitest'
import { actingRole, type CaseFacts, refusal, stageAfter } from '../../src/core/event-model'
import {
  availableEvents,
  CLOCK_RULES,
  EVENT_DEFINITIONS,
  eventDefinition,
  TASK_KIND_IDS,
  TASK_KINDS,
  taskDue,
} from '../../src/modules/registry'
import { ROLES, type Role } from '../../src/core/roles'
import { tasksOf } from '../../src/core/event-model'
import { STAGES } from '../../src/core/stages'
import { victimFacts } from '../../src/modules/victim-care/rules'
import { addMonths, vrrIneligible } from '../../src/modules/victim-care/vrr'
import { caseFacts, COMPLAINANT, fullCodeCharge, SUSPECT } from '../helpers/facts'

const ISVA = '44444444-4444-4444-8444-444444444444'
const facts = caseFacts
const actor = (roles: Role[], id = 'actor-1') => ({ id, roles, orgCode: 'avon-and-somerset' })

const FULL_CODE_CHARGE = fullCodeCharge(SUSPECT)

/** One valid data sample per event type; the test below fails if an event is added without one. */
const VALID: Record<string, Record<string, unknown>> = {
  start_investigation: {},
  record_arrest: { suspectId: SUSPECT, arrestedOn: '2026-01-02' },
  record_interview: { suspectId: SUSPECT, interviewedOn: '2026-01-02', interviewType: 'voluntary' },
  record_bail: { suspectId: SUSPECT, bailedOn: '2026-01-02', returnOn: '2026-02-02', conditions: 'No contact' },
  record_released_under_investigation: { suspectId: SUSPECT, releasedOn: '2026-01-03' },
  add_person: { role: 'witness', name: 'A Witness' },
  correct_person: { personId: COMPLAINANT, name: 'Corrected Name', reason: 'Spelling' },
  add_offence: { code: '20A', committedFrom: '2025-12-01', committedTo: '2025-12-02' },
  propose_police_outcome: { outcomeCode: 16, rationale: 'Victim does not support further action' },
  return_police_outcome: { reason: 'More enquiries needed' },
  sign_off_police_outcome: {},
  reopen: { toStage: 'investigation', reason: 'New evidence' },
  request_early_advice: { summary: 's', linesCompleted: 'l', linesOngoing: 'o', questions: 'q' },
  accept_early_advice: { note: 'Advice within two weeks' },
  decline_early_advice: { reason: 'Not enough material yet' },
  challenge_early_advice_decline: { reason: 'The victim is vulnerable and the suspect may reoffend' },
  decide_early_advice_challenge: { decision: 'overturn', reason: 'Early advice is offered in every rape case' },
  give_early_advice: { advice: 'Obtain the phone records' },
  prepare_charging_referral: { category: 'green', linesCompleted: 'l', linesNotPursued: 'n', victimEngagement: 'v' },
  return_charging_referral: { reason: 'Add the forensic results' },
  sign_off_charging_referral: {},
  record_charging_decision: FULL_CODE_CHARGE,
  set_action_plan: {
    items: [
      {
        description: 'Obtain the CCTV',
        owner: 'investigator',
        dueWorkingDays: 10,
        proportionality: 'Directly relevant to identification',
      },
    ],
  },
  answer_action_item: { itemNumber: 1, answer: 'done', details: 'CCTV obtained and reviewed' },
  administratively_finalise: { reasons: 'No answer after every escalation step' },
  request_more_time: { itemNumber: 1, proposedDueOn: '2099-01-01', reason: 'The CCTV provider needs a court order' },
  decide_more_time: { itemNumber: 1, decision: 'accept' },
  record_victim_contact: {
    complainantId: COMPLAINANT,
    contactedOn: '2026-01-03',
    channel: 'phone',
    direction: 'to_victim',
    summary: 'Told of the arrest and the bail conditions',
    entitlements: ['vc_suspect_update'],
  },
  set_contact_preferences: {
    complainantId: COMPLAINANT,
    channels: ['phone', 'via_isva'],
    avoid: ['letter'],
    times: 'Weekdays after 6pm',
    frequency: 'fortnightly',
    interpreter: false,
    intermediary: false,
    interviewerGender: 'female',
  },
  record_needs_assessment: { complainantId: COMPLAINANT, assessedOn: '2026-01-03', needs: ['mental_health'] },
  refer_to_support: { complainantId: COMPLAINANT, service: 'isva', referredOn: '2026-01-03', consent: true },
  assign_isva: { complainantId: COMPLAINANT, isvaId: ISVA },
  end_isva_assignment: { isvaId: ISVA, reason: 'The complainant moved to another area' },
  record_isva_note: { complainantId: COMPLAINANT, kind: 'concern', note: 'She has not heard anything for a month' },
  record_special_measures: {
    complainantId: COMPLAINANT,
    eligibility: ['s17_4'],
    optedOut: false,
    measures: ['s25', 's28'],
  },
  apply_special_measures: { complainantId: COMPLAINANT, appliedOn: '2026-03-01', measures: ['s25', 's28'] },
  record_special_measures_ruling: {
    complainantId: COMPLAINANT,
    decidedOn: '2026-03-10',
    granted: ['s28'],
    refused: ['s25'],
  },
  record_special_measures_meeting: { complainantId: COMPLAINANT, status: 'held', on: '2026-03-12' },
  request_vrr: { complainantId: COMPLAINANT, scheme: 'cps', toldOn: '2026-03-02', receivedOn: '2026-03-09' },
  acknowledge_vrr: { complainantId: COMPLAINANT, reviewer: 'DI Reviewer, Major Crime' },
  record_vrr_local_resolution: {
    complainantId: COMPLAINANT,
    result: 'independent_review',
    explanation: 'Explained the identification evidence',
  },
  decide_vrr: {
    complainantId: COMPLAINANT,
    outcome: 'overturned',
    reopenTo: 'awaiting_charging_decision',
    reasons: 'The evidential stage was met',
  },
  send_victim_letter: {
    complainantId: COMPLAINANT,
    template: 'hello',
    channel: 'post',
    subject: 'Your report to the police',
    body: 'Dear Sam, thank you for telling us what happened.',
  },
  list_hearing: {
    hearingType: 'ptph',
    hearingOn: '2026-12-14',
    court: 'Bristol Crown Court',
    receivedOn: '2026-11-20',
  },
  record_hearing_outcome: {
    hearingNumber: 1,
    result: 'adjourned',
    requestedBy: 'defence',
    reason: 'Defence expert report not ready',
  },
  record_directions: {
    hearingNumber: 1,
    directions: [
      { description: 'Serve the expert report', party: 'prosecution', dueOn: '2026-12-18' },
      { description: 'Serve the defence statement', party: 'defence', dueOn: '2027-01-08' },
    ],
  },
  record_direction_compliance: { directionNumber: 1, outcome: 'complied', compliedOn: '2026-11-20' },
  record_charges: {
    suspectId: SUSPECT,
    charges: [{ offenceCode: '19C', description: 'Rape of a woman aged 16 or over, on 1 January 2026' }],
  },
  amend_charge: {
    chargeNumber: 1,
    offenceCode: '20A',
    description: 'Sexual assault on a female',
    substantial: true,
    reason: 'The evidence supports sexual assault rather than rape',
    decidedOn: '2026-11-20',
  },
  record_plea: { chargeNumber: 1, plea: 'not_guilty', hearingNumber: 1 },
  record_verdict: { chargeNumber: 1, verdict: 'guilty', hearingNumber: 2, receivedOn: '2026-11-20' },
  record_sentence: {
    suspectId: SUSPECT,
    sentence: 'immediate_custody',
    custodyMonths: 96,
    hearingNumber: 3,
    receivedOn: '2026-11-20',
  },
  end_charge: {
    chargeNumber: 1,
    how: 'no_evidence_offered',
    reason: 'complainant_withdrew',
    reasonDetail: 'She no longer supports the prosecution and the other evidence is not enough',
    decidedOn: '2026-11-20',
    hearingNumber: 3,
  },
  instruct_advocate: { advocateId: ISVA },
  record_returned_brief: { reason: 'diary_clash', details: 'Another trial overran', returnedOn: '2026-11-20' },
  record_counsel_report: {
    advocateId: ISVA,
    hearingNumber: 3,
    preparation: 'met',
    complainantCare: 'exceeded',
    section41: 'none',
    advocacy: 'met',
    comments: 'Careful ground rules; the complainant was not asked about her sexual history.',
  },
  propose_material_request: {
    personId: COMPLAINANT,
    material: 'phone',
    lineOfEnquiry: 'She says the suspect messaged her the morning after; he says the messages show consent',
    alternatives: ['screenshots', 'suspect_device'],
    whyNotEnough: 'The suspect deleted his copies and screenshots would not show the dates',
    necessity: 'Only the messages with the suspect over three days are needed',
    dateFrom: '2026-01-01',
    dateTo: '2026-01-03',
    categories: ['messages'],
    contacts: 'Messages between the complainant and the suspect',
    searchTerms: 'party, sorry',
  },
  decide_material_request: { requestNumber: 1, decision: 'approve', reasons: 'A targeted, reasonable line of enquiry' },
  review_material_request: { requestNumber: 1, view: 'proceed', advice: 'Proceed with the scope as set' },
  rescope_material_request: {
    requestNumber: 1,
    whyNewScope: 'The messages refer to photos sent the same night',
    necessity: 'Only photos sent to the suspect on one night',
    dateFrom: '2026-01-01',
    dateTo: '2026-01-01',
    categories: ['photos'],
  },
  give_material_notice: {
    requestNumber: 1,
    givenOn: '2026-11-20',
    givenTo: 'the_person',
    told: ['what', 'why', 'handling', 'need_not_agree', 'refusal', 'time_without'],
  },
  record_material_answer: {
    requestNumber: 1,
    answer: 'agreed',
    answeredOn: '2026-11-20',
    answeredBy: 'the_person',
    inWriting: true,
  },
  withdraw_material_agreement: {
    requestNumber: 1,
    withdrawnOn: '2026-11-21',
    answeredBy: 'the_person',
    materialObtained: 'Nothing had been extracted; the device was returned the same day',
  },
  record_fair_trial_consideration: {
    requestNumber: 1,
    conclusion: 'defence_told',
    reasons: 'The messages are available from the suspect’s account; the defence will be told of the refusal',
  },
  record_device_taken: { requestNumber: 1, takenOn: '2026-11-20', device: 'Black smartphone', voluntary: true },
  record_extraction: {
    requestNumber: 1,
    extractedOn: '2026-11-20',
    method: 'selective',
    scopeApplied: 'as_approved',
    outsideScope: 'none',
  },
  record_device_returned: { requestNumber: 1, returnedOn: '2026-11-21', returnedTo: 'the_person' },
  record_material_request_sent: { requestNumber: 2, sentOn: '2026-11-20' },
  record_holder_response: { requestNumber: 2, response: 'received', respondedOn: '2026-11-24', outsideScope: 'none' },
  record_schedule_version: {
    schedule: 'mg6d',
    items: [
      {
        description: 'Counselling notes of the first session',
        reason: 'Confidential therapy notes of the complainant',
      },
    ],
    amendments: [],
  },
  sign_off_schedule: { schedule: 'mg6c' },
  review_disclosure_items: {
    decisions: [{ itemRef: 'C1', decision: 'disclose', reason: 'Her first account differs on the time' }],
  },
  record_imd: {
    linesOfEnquiry: 'CCTV, phone messages, cell-site of the suspect',
    digitalStrategy: 'Targeted: one conversation, three days',
    thirdParty: 'Counselling notes of the first session only',
  },
  record_dmd: {
    linesOfEnquiry: 'As the investigation management document',
    digitalStrategy: 'Targeted extraction; nothing outside the scope reviewed',
    thirdParty: 'First counselling session sought; nothing else',
    changes: 'First version',
  },
  record_disclosure_served: { stage: 'initial', servedOn: '2026-11-20' },
  record_defence_statement: { receivedOn: '2026-11-20', issues: 'Consent; the timing of the messages' },
  record_withdrawal_of_support: {
    complainantId: COMPLAINANT,
    withdrawnOn: '2026-02-01',
    reasons: ['delay', 'digital'],
    details: 'It has taken too long and I did not want to give my phone',
    continueWithout: 'no',
  },
}

describe('event definitions', () => {
  it('have unique types and a valid sample for each', () => {
    const types = EVENT_DEFINITIONS.map((d) => d.type)
    expect(new Set(types).size).toBe(types.length)
    expect(Object.keys(VALID).sort()).toEqual([...types].sort())
  })

  for (const definition of EVENT_DEFINITIONS) {
    describe(definition.type, () => {
      it('accepts its valid sample', () => {
        const parsed = definition.schema.safeParse(VALID[definition.type])
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
      })

      it('rejects unknown fields and wrong types, naming the field', () => {
        const withExtra = definition.schema.safeParse({ ...VALID[definition.type], notAField: 1 })
        expect(withExtra.success).toBe(false)
        for (const [key, f] of Object.entries(definition.fields)) {
          const parsed = definition.schema.safeParse({ ...VALID[definition.type], [key]: { nested: ['wrong type'] } })
          expect(parsed.success, `${key} should reject an object`).toBe(false)
          expect(
            parsed.error!.issues.some((i) => i.path[0] === key),
            `${key} named`,
          ).toBe(true)
          if (!f.optional) {
            const { [key]: _removed, ...without } = VALID[definition.type]!
            expect(definition.schema.safeParse(without).success, `${key} is required`).toBe(false)
          }
        }
      })

      it('allows exactly its roles and refuses others with 403', () => {
        for (const role of ROLES) {
          const allowed = definition.roles.includes(role)
          const result = refusal(definition, facts({ stage: definition.from[0]! }), actor([role]))
          if (allowed) expect(result).toBeNull()
          else expect(result).toMatchObject({ status: 403, code: 'role_not_allowed' })
        }
      })

      it('is refused with 409 in every stage it does not start from', () => {
        const role = definition.roles[0]!
        for (const stage of STAGES) {
          const result = refusal(definition, facts({ stage }), actor([role]))
          if (definition.from.includes(stage)) expect(result).toBeNull()
          else expect(result).toMatchObject({ status: 409, code: 'event_not_allowed_in_stage' })
        }
      })

      it('moves the case to a known stage and summarises without personal data', () => {
        const data = VALID[definition.type]!
        const after = stageAfter(definition, facts({ stage: definition.from[0]! }), data)
        expect(STAGES).toContain(after)
        expect(definition.summary(data)).not.toMatch(/Corrected Name|A Witness/)
      })
    })
  }
})

describe('rules of particular events', () => {
  it('start_investigation moves reported to investigation', () => {
    expect(stageAfter(eventDefinition('start_investigation')!, facts({ stage: 'reported' }), {})).toBe('investigation')
  })

  it('an arrest needs an identified suspect on the case', () => {
    const arrest = eventDefinition('record_arrest')!
    const onlyUnknown = facts({ people: [{ id: SUSPECT, role: 'suspect', unknown: true }] })
    expect(arrest.precondition!(onlyUnknown, actor(['investigator']))).toMatch(/no identified suspect/)
    expect(arrest.guard!(onlyUnknown, actor(['investigator']), { suspectId: SUSPECT })).toMatch(/unknown suspect/)
    expect(arrest.guard!(facts(), actor(['investigator']), { suspectId: COMPLAINANT })).toMatch(/Select a suspect/)
    expect(arrest.guard!(facts(), actor(['investigator']), { suspectId: SUSPECT })).toBeNull()
  })

  it('bail return date cannot be before the bail date', () => {
    const parsed = eventDefinition('record_bail')!.schema.safeParse({ ...VALID.record_bail, returnOn: '2025-12-31' })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0]!.path).toEqual(['returnOn'])
  })

  it('a police outcome is signed off by a different supervisor, and finalises the case', () => {
    const signOff = eventDefinition('sign_off_police_outcome')!
    const proposed = facts({ proposedOutcomeCode: 16, proposedBy: 'supervisor-1' })
    expect(signOff.precondition!(facts(), actor(['police_supervisor'], 'supervisor-2'))).toMatch(/no proposed outcome/)
    expect(signOff.precondition!(proposed, actor(['police_supervisor'], 'supervisor-1'))).toMatch(
      /other than the person who proposed/,
    )
    expect(signOff.precondition!(proposed, actor(['police_supervisor'], 'supervisor-2'))).toBeNull()
    expect(signOff.project!({}, proposed, actor(['police_supervisor'], 'supervisor-2'))).toMatchObject({
      finalOutcome: 'police_outcome',
      policeOutcomeCode: 16,
      proposedOutcomeCode: null,
    })
    expect(stageAfter(signOff, facts(), {})).toBe('finalised')
  })

  it('police cannot propose the CPS outcomes 1 and 9', () => {
    const propose = eventDefinition('propose_police_outcome')!
    expect(propose.guard!(facts(), actor(['investigator']), { outcomeCode: 1 })).toMatch(/CPS/)
    expect(propose.guard!(facts(), actor(['investigator']), { outcomeCode: 9 })).toMatch(/CPS/)
    expect(propose.guard!(facts(), actor(['investigator']), { outcomeCode: 14 })).toBeNull()
    expect(propose.schema.safeParse({ outcomeCode: 23, rationale: 'x' }).success).toBe(false)
    expect(propose.schema.safeParse({ outcomeCode: '16', rationale: 'x' }).success).toBe(false)
  })

  it('reopen goes to the stage asked for', () => {
    const reopen = eventDefinition('reopen')!
    expect(stageAfter(reopen, facts({ stage: 'finalised' }), { toStage: 'awaiting_charging_decision' })).toBe(
      'awaiting_charging_decision',
    )
    expect(stageAfter(reopen, facts({ stage: 'finalised' }), { toStage: 'investigation' })).toBe('investigation')
  })

  it('correct_person needs at least one change and a reason', () => {
    const correct = eventDefinition('correct_person')!
    expect(correct.schema.safeParse({ personId: COMPLAINANT, reason: 'nothing' }).success).toBe(false)
    expect(correct.schema.safeParse({ personId: COMPLAINANT, sex: 'female' }).success).toBe(false)
  })

  it('next steps list only what the actor may do now', () => {
    const types = (f: CaseFacts, roles: Role[], id?: string) => availableEvents(f, actor(roles, id)).map((d) => d.type)
    expect(types(facts({ stage: 'reported' }), ['investigator'])).toContain('start_investigation')
    expect(types(facts({ stage: 'reported' }), ['prosecutor'])).not.toContain('start_investigation')
    expect(types(facts(), ['investigator'])).toContain('record_arrest')
    expect(types(facts(), ['investigator'])).not.toContain('sign_off_police_outcome')
    expect(types(facts({ proposedOutcomeCode: 16, proposedBy: 'a' }), ['police_supervisor'], 'b')).toContain(
      'sign_off_police_outcome',
    )
    expect(types(facts({ proposedOutcomeCode: 16, proposedBy: 'a' }), ['police_supervisor'], 'a')).not.toContain(
      'sign_off_police_outcome',
    )
    expect(types(facts({ stage: 'finalised' }), ['analyst'])).toEqual([])
    expect(actingRole(eventDefinition('reopen')!, actor(['investigator', 'police_supervisor']))).toBe(
      'police_supervisor',
    )
  })
})

describe('administrative finalisation', () => {
  const finalise = eventDefinition('administratively_finalise')!
  it('is refused until the ladder has run out and the period has passed', () => {
    const unit = actor(['cps_unit_head'])
    expect(finalise.precondition!(facts({ stage: 'action_plan' }), unit)).toMatch(/ladder has not run out/)
    expect(
      finalise.precondition!(
        facts({ stage: 'action_plan', adminFinalisation: { ladderExhausted: true, allowedFrom: '2999-01-01' } }),
        unit,
      ),
    ).toMatch(/from 2999-01-01/)
    expect(
      finalise.precondition!(
        facts({ stage: 'action_plan', adminFinalisation: { ladderExhausted: true, allowedFrom: '2020-01-01' } }),
        unit,
      ),
    ).toBeNull()
    expect(finalise.project!({}, facts(), unit)).toMatchObject({
      finalOutcome: 'administratively_finalised',
      finalisedOn: '2026-11-25',
    })
  })
  it('judges the period on the day the rules are applied for (the scheduled job’s day)', () => {
    const unit = actor(['cps_unit_head'])
    const exhausted = { ladderExhausted: true, allowedFrom: '2027-03-01' }
    expect(
      finalise.precondition!(facts({ stage: 'action_plan', today: '2027-02-28', adminFinalisation: exhausted }), unit),
    ).toMatch(/from 2027-03-01/)
    expect(
      finalise.precondition!(facts({ stage: 'action_plan', today: '2027-03-01', adminFinalisation: exhausted }), unit),
    ).toBeNull()
  })
})

describe('challenging declined early advice', () => {
  const challenge = eventDefinition('challenge_early_advice_decline')!
  const decide = eventDefinition('decide_early_advice_challenge')!
  it('is for an inspector (or above), only after a decline, and goes to the CPS unit head', () => {
    const declined = facts({ earlyAdvice: 'declined' })
    expect(refusal(challenge, declined, actor(['investigator']))).toMatchObject({ status: 403 })
    expect(refusal(challenge, declined, actor(['police_supervisor']))).toMatchObject({ status: 403 })
    expect(refusal(challenge, declined, actor(['police_inspector']))).toBeNull()
    expect(challenge.precondition!(facts({ earlyAdvice: 'requested' }), actor(['police_inspector']))).toMatch(
      /no declined/,
    )
    expect(challenge.precondition!(facts({ earlyAdvice: 'decline_upheld' }), actor(['police_inspector']))).toMatch(
      /no declined/,
    )
    expect(challenge.project!({}, declined, actor(['police_inspector']))).toEqual({ earlyAdvice: 'challenged' })
    expect(challenge.opens).toEqual(['early_advice_challenge'])
    expect(refusal(decide, facts({ earlyAdvice: 'challenged' }), actor(['prosecutor']))).toMatchObject({ status: 403 })
  })
  it('overturned sends the request back to a prosecutor; upheld ends it', () => {
    const challenged = facts({ earlyAdvice: 'challenged' })
    const head = actor(['cps_unit_head'])
    expect(decide.precondition!(challenged, head)).toBeNull()
    expect(decide.precondition!(facts({ earlyAdvice: 'declined' }), head)).toMatch(/no challenge/)
    expect(decide.project!({ decision: 'overturn' }, challenged, head)).toEqual({ earlyAdvice: 'requested' })
    expect(decide.project!({ decision: 'uphold' }, challenged, head)).toEqual({ earlyAdvice: 'decline_upheld' })
    expect(tasksOf(decide.opens, { decision: 'overturn' }, challenged)).toEqual(['early_advice_request'])
    expect(tasksOf(decide.opens, { decision: 'uphold' }, challenged)).toEqual([])
    // While a challenge waits, a new request is refused; after an upheld decline a new request can be made.
    const request = eventDefinition('request_early_advice')!
    expect(request.precondition!(challenged, actor(['investigator']))).toMatch(/challenge/)
    expect(request.precondition!(facts({ earlyAdvice: 'decline_upheld' }), actor(['investigator']))).toBeNull()
  })
})

describe('early advice with an action plan in one step', () => {
  const give = eventDefinition('give_early_advice')!
  const item = { description: 'Obtain the CCTV', owner: 'investigator', dueWorkingDays: 5, proportionality: 'p' }
  it('moves the case to the action plan stage only when items are given', () => {
    const requested = facts({ earlyAdvice: 'requested' })
    expect(stageAfter(give, requested, { advice: 'a' })).toBe('investigation')
    expect(stageAfter(give, requested, { advice: 'a', items: [item] })).toBe('action_plan')
    expect(tasksOf(give.opens, { advice: 'a', items: [item] }, requested)).toEqual(['answer_action_plan'])
    expect(tasksOf(give.closes, { advice: 'a' }, requested)).toEqual(['early_advice_request'])
  })
  it('checks each item as a plan set on its own', () => {
    const parsed = give.schema.safeParse({ advice: 'a', items: [{ ...item, dueOn: '2099-01-01' }] })
    expect(parsed.success).toBe(false)
    expect(JSON.stringify(parsed.error?.issues)).toContain('Give either a number of working days or a due date')
    expect(give.schema.safeParse({ advice: 'a', items: [item] }).success).toBe(true)
    expect(
      give.guard!(
        facts({ earlyAdvice: 'requested', actionItems: [{ number: 1, status: 'open', proposedDueOn: null }] }),
        actor(['prosecutor']),
        { advice: 'a', items: [item] },
      ),
    ).toMatch(/already an action plan/)
  })
})

describe('work queue rules', () => {
  it('name only task kinds that exist, and every decision task has a role', () => {
    for (const definition of EVENT_DEFINITIONS) {
      for (const rule of [definition.opens, definition.closes]) {
        if (Array.isArray(rule)) for (const kind of rule) expect(TASK_KIND_IDS).toContain(kind)
      }
    }
    for (const kind of TASK_KIND_IDS) {
      const due = TASK_KINDS[kind]!.due
      if (due && 'clock' in due) for (const id of [due.clock].flat()) expect(CLOCK_RULES.map((r) => r.id)).toContain(id)
    }
  })
  it('close the answer task with the last open item, and the more-time task with the last waiting request', () => {
    const answer = eventDefinition('answer_action_item')!
    const items = [
      { number: 1, status: 'open' as const, proposedDueOn: '2027-01-01' },
      { number: 2, status: 'open' as const, proposedDueOn: null },
    ]
    const f = facts({ stage: 'action_plan', actionItems: items })
    expect(tasksOf(answer.closes, { itemNumber: 1 }, f)).toEqual(['more_time_decision'])
    expect(tasksOf(answer.closes, { itemNumber: 2 }, f)).toEqual([])
    const lastOne = facts({ stage: 'action_plan', actionItems: [items[0]!, { ...items[1]!, status: 'done' }] })
    expect(tasksOf(answer.closes, { itemNumber: 1 }, lastOne)).toEqual(['answer_action_plan', 'more_time_decision'])
  })
  it('date a task by its earliest running clock', () => {
    const clock = (due: string, stopped = false) =>
      ({ ruleId: 'action_plan_item', due, stoppedBy: stopped ? { seq: 2 } : null }) as never
    expect(taskDue('answer_action_plan', [clock('2027-02-01'), clock('2027-01-01', true), clock('2027-01-15')])).toBe(
      '2027-01-15',
    )
    expect(taskDue('more_time_decision', [], { proposedDueOn: '2027-03-03' })).toBe('2027-03-03')
    expect(taskDue('action_plan_escalation', [])).toBeNull()
  })
})

describe('pre-charge rules', () => {
  const decision = eventDefinition('record_charging_decision')!
  const errorsOf = (data: Record<string, unknown>) => {
    const parsed = decision.schema.safeParse(data)
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }

  it('early advice is answered once per request', () => {
    const give = eventDefinition('give_early_advice')!
    expect(give.precondition!(facts(), actor(['prosecutor']))).toMatch(/no early advice request/)
    expect(give.precondition!(facts({ earlyAdvice: 'requested' }), actor(['prosecutor']))).toBeNull()
    expect(
      eventDefinition('request_early_advice')!.precondition!(
        facts({ earlyAdvice: 'requested' }),
        actor(['investigator']),
      ),
    ).toMatch(/already been requested/)
  })

  it('a referral is signed off by a different supervisor and goes to the CPS', () => {
    const signOff = eventDefinition('sign_off_charging_referral')!
    const prepared = facts({ referral: { status: 'prepared', preparedBy: 'sup-1', suspectIds: null } })
    expect(signOff.precondition!(facts(), actor(['police_supervisor'], 'sup-2'))).toMatch(/no referral/)
    expect(signOff.precondition!(prepared, actor(['police_supervisor'], 'sup-1'))).toMatch(
      /other than the person who prepared/,
    )
    expect(signOff.precondition!(prepared, actor(['police_supervisor'], 'sup-2'))).toBeNull()
    expect(stageAfter(signOff, prepared, {})).toBe('awaiting_charging_decision')
    expect(
      eventDefinition('prepare_charging_referral')!.precondition!(
        facts({ people: [{ id: SUSPECT, role: 'suspect', unknown: true }] }),
        actor(['investigator']),
      ),
    ).toMatch(/no identified suspect/)
  })

  it('the Full Code Test needs the evidential stage, then every public interest question', () => {
    expect(errorsOf(FULL_CODE_CHARGE)).toEqual([])
    const { publicInterestHarm: _h, ...missingOne } = FULL_CODE_CHARGE
    expect(errorsOf(missingOne)).toEqual([
      'publicInterestHarm: Answer “What are the circumstances of and the harm caused to the victim?”',
    ])
    expect(errorsOf({ suspectId: SUSPECT, test: 'full_code', outcome: 'charge' })).toEqual(
      expect.arrayContaining([
        'evidentialStage: Select whether the evidential stage is met',
        'evidentialReasoning: Enter the evidential reasoning',
        'charges: Enter the charges',
      ]),
    )
    expect(
      errorsOf({
        suspectId: SUSPECT,
        test: 'full_code',
        evidentialStage: 'not_met',
        evidentialReasoning: 'r',
        outcome: 'charge',
        charges: 'x',
      }),
    ).toContain('outcome: When the evidential stage is not met the decision is no further action (evidential)')
    expect(
      errorsOf({
        suspectId: SUSPECT,
        test: 'full_code',
        evidentialStage: 'not_met',
        evidentialReasoning: 'r',
        outcome: 'nfa_evidential',
      }),
    ).toEqual([])
  })

  it('names the conditional problems in the same pass as the missing fields, and survives a body that is not an object', () => {
    const errors = errorsOf({ test: 'full_code' })
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^suspectId:/),
        expect.stringMatching(/^outcome:/),
        'evidentialStage: Select whether the evidential stage is met',
      ]),
    )
    for (const definition of EVENT_DEFINITIONS) {
      for (const body of [[1, 2], null, 'text', 42]) expect(definition.schema.safeParse(body).success).toBe(false)
    }
  })

  it('the Threshold Test needs all five conditions, a charge and a review date', () => {
    const conditions = {
      thresholdReasonableSuspicion: 'yes',
      thresholdFurtherEvidence: 'yes',
      thresholdSeriousness: 'yes',
      thresholdBail: 'yes',
      thresholdPublicInterest: 'yes',
    }
    const tt = {
      suspectId: SUSPECT,
      test: 'threshold',
      ...conditions,
      fullCodeReviewBy: '2099-01-01',
      outcome: 'charge',
      charges: 'Rape',
    }
    expect(errorsOf(tt)).toEqual([])
    expect(errorsOf({ ...tt, thresholdBail: 'no' })).toContain(
      'outcome: The Threshold Test can be used only when all five conditions are met',
    )
    expect(errorsOf({ ...tt, fullCodeReviewBy: undefined })).toContain(
      'fullCodeReviewBy: Enter the date by which the Full Code Test must be applied',
    )
    expect(errorsOf({ ...tt, fullCodeReviewBy: '2000-01-01' })).toContain(
      'fullCodeReviewBy: The date to apply the Full Code Test by must be today or in the future',
    )
  })

  it('the stage follows every suspect’s decision', () => {
    const two = facts({
      stage: 'awaiting_charging_decision',
      people: [
        { id: SUSPECT, role: 'suspect', unknown: false },
        { id: COMPLAINANT, role: 'suspect', unknown: false },
      ],
    })
    expect(stageAfter(decision, two, { suspectId: SUSPECT, outcome: 'nfa_evidential' })).toBe(
      'awaiting_charging_decision',
    )
    expect(
      stageAfter(
        decision,
        { ...two, decisions: [{ suspectId: COMPLAINANT, outcome: 'nfa_public_interest' }] },
        { suspectId: SUSPECT, outcome: 'nfa_evidential' },
      ),
    ).toBe('finalised')
    expect(stageAfter(decision, two, { suspectId: SUSPECT, outcome: 'charge' })).toBe('charged')
    expect(
      decision.project!(
        { suspectId: SUSPECT, outcome: 'nfa_evidential' },
        { ...two, decisions: [{ suspectId: COMPLAINANT, outcome: 'nfa_public_interest' }] },
        actor(['prosecutor']),
      ),
    ).toMatchObject({ finalOutcome: 'cps_no_further_action' })
  })

  it('after charge, only the Full Code Test for a suspect charged under the Threshold Test', () => {
    const charged = facts({ stage: 'charged', decisions: [{ suspectId: SUSPECT, outcome: 'charge' }] })
    expect(decision.guard!(charged, actor(['prosecutor']), { suspectId: SUSPECT, test: 'full_code' })).toBeNull()
    expect(decision.guard!(charged, actor(['prosecutor']), { suspectId: SUSPECT, test: 'threshold' })).toMatch(
      /After charge/,
    )
    expect(
      decision.guard!(facts({ stage: 'awaiting_charging_decision' }), actor(['prosecutor']), {
        suspectId: COMPLAINANT,
        test: 'full_code',
      }),
    ).toMatch(/identified suspect/)
  })
})

describe('a referral for one suspect, or several together', () => {
  const SECOND = '44444444-4444-4444-8444-444444444444'
  const twoSuspects = (overrides: Partial<CaseFacts> = {}) =>
    facts({
      people: [
        { id: COMPLAINANT, role: 'complainant', unknown: false },
        { id: SUSPECT, role: 'suspect', unknown: false },
        { id: SECOND, role: 'suspect', unknown: false },
      ],
      ...overrides,
    })
  const prepare = eventDefinition('prepare_charging_referral')!
  const decide = eventDefinition('record_charging_decision')!
  const pros = actor(['prosecutor'])
  const nfa = { suspectId: SUSPECT, outcome: 'nfa_evidential', test: 'full_code' }

  it('names identified suspects only, and not ones already decided', () => {
    const inv = actor(['investigator'])
    expect(prepare.guard!(twoSuspects(), inv, { suspectIds: [SUSPECT] })).toBeNull()
    expect(prepare.guard!(twoSuspects(), inv, { suspectIds: [COMPLAINANT] })).toMatch(/identified suspects/)
    expect(
      prepare.guard!(twoSuspects({ decisions: [{ suspectId: SUSPECT, outcome: 'nfa_evidential' }] }), inv, {
        suspectIds: [SUSPECT],
      }),
    ).toMatch(/already has a charging decision/)
    expect(prepare.project!({ category: 'red', suspectIds: [SECOND] }, twoSuspects(), inv)).toMatchObject({
      referral: { suspectIds: [SECOND] },
    })
    expect(prepare.schema.safeParse({ ...VALID.prepare_charging_referral, suspectIds: [] }).success).toBe(false)
    expect(prepare.schema.safeParse({ ...VALID.prepare_charging_referral, suspectIds: ['x'] }).success).toBe(false)
  })

  it('lets the CPS decide only the suspects referred; once they are decided the others are investigated on', () => {
    const referredOne = twoSuspects({
      stage: 'awaiting_charging_decision',
      referral: { status: 'signed_off', preparedBy: 'inv', suspectIds: [SUSPECT] },
    })
    expect(decide.guard!(referredOne, pros, { ...nfa, suspectId: SECOND })).toMatch(/not in the referral/)
    expect(decide.guard!(referredOne, pros, nfa)).toBeNull()
    expect(stageAfter(decide, referredOne, nfa)).toBe('investigation')
    expect(decide.project!(nfa, referredOne, pros)).toEqual({ referral: null })
    // Referred together, the case waits for both; a charge for either means charged.
    const both = twoSuspects({
      stage: 'awaiting_charging_decision',
      referral: { status: 'signed_off', preparedBy: 'inv', suspectIds: null },
    })
    expect(stageAfter(decide, both, nfa)).toBe('awaiting_charging_decision')
    expect(stageAfter(decide, both, { ...nfa, outcome: 'charge' })).toBe('charged')
    const lastOne = twoSuspects({
      stage: 'awaiting_charging_decision',
      referral: { status: 'signed_off', preparedBy: 'inv', suspectIds: [SECOND] },
      decisions: [{ suspectId: SUSPECT, outcome: 'nfa_evidential' }],
    })
    expect(stageAfter(decide, lastOne, { ...nfa, suspectId: SECOND })).toBe('finalised')
  })
})

describe('accepting a request for early advice', () => {
  const accept = eventDefinition('accept_early_advice')!
  it('is for a waiting request only, and the advice still follows', () => {
    expect(accept.precondition!(facts({ earlyAdvice: 'requested' }), actor(['prosecutor']))).toBeNull()
    expect(accept.precondition!(facts({ earlyAdvice: 'accepted' }), actor(['prosecutor']))).toMatch(/no early advice/)
    expect(
      eventDefinition('give_early_advice')!.precondition!(facts({ earlyAdvice: 'accepted' }), actor(['prosecutor'])),
    ).toBeNull()
    expect(
      eventDefinition('request_early_advice')!.precondition!(
        facts({ earlyAdvice: 'accepted' }),
        actor(['investigator']),
      ),
    ).toMatch(/not yet given/)
  })
})

describe('victim care rules', () => {
  const def = (type: string) => EVENT_DEFINITIONS.find((d) => d.type === type)!
  const errorsOf = (type: string, data: Record<string, unknown>) =>
    def(type)
      .schema.safeParse(data)
      .error?.issues.map((i) => [i.path.join('.'), i.message])

  it('names a complainant who is not one on the case', () => {
    expect(def('record_victim_contact').guard!(facts(), actor(['investigator']), { complainantId: SUSPECT })).toBe(
      'Select a complainant on this case',
    )
  })

  it('refuses a referral without consent, and an ISVA before a referral to an ISVA service', () => {
    expect(errorsOf('refer_to_support', { ...VALID.refer_to_support, consent: false })).toEqual([
      ['consent', 'A referral needs the complainant’s agreement. If they declined, record a contact saying so instead'],
    ])
    const assign = def('assign_isva').guard!
    expect(assign(facts(), actor(['investigator']), VALID.assign_isva!)).toMatch(/^Refer the complainant/)
    expect(
      assign(
        facts({
          victims: { isvaReferrals: [COMPLAINANT], isvas: [], suspectInterviewed: false, vrr: [], decidedBy: [] },
        }),
        actor(['investigator']),
        VALID.assign_isva!,
      ),
    ).toBeNull()
  })

  it('checks special measures against eligibility, opting out, and a ruling both ways', () => {
    const sm = VALID.record_special_measures!
    expect(errorsOf('record_special_measures', { ...sm, measures: ['s29'] })).toEqual([
      ['measures', 'An intermediary and aids to communication are for vulnerable witnesses (section 16) only'],
    ])
    expect(errorsOf('record_special_measures', { ...sm, eligibility: ['s16'], measures: ['s29'] })).toBeUndefined()
    expect(errorsOf('record_special_measures', { ...sm, optedOut: true })).toEqual([
      ['measures', 'Leave the measures empty when they have opted out'],
    ])
    expect(
      errorsOf('record_special_measures_ruling', {
        complainantId: COMPLAINANT,
        decidedOn: '2026-03-10',
        granted: ['s28'],
        refused: ['s28'],
      }),
    ).toEqual([['refused', 'A measure cannot be both granted and refused']])
    expect(errorsOf('record_special_measures_ruling', { complainantId: COMPLAINANT, decidedOn: '2026-03-10' })).toEqual(
      [['granted', 'Select the measures granted or the measures refused']],
    )
  })

  it('refuses a way to contact that is also a way never to contact, and “no needs” with needs', () => {
    expect(errorsOf('set_contact_preferences', { ...VALID.set_contact_preferences, avoid: ['phone'] })).toEqual([
      ['avoid', 'A way to contact them cannot also be a way never to contact them'],
    ])
    expect(
      errorsOf('record_needs_assessment', { ...VALID.record_needs_assessment, needs: ['none', 'interpreter'] }),
    ).toEqual([['needs', 'Select “No additional needs identified” on its own, or the needs identified']])
  })

  it('lets only an ISVA record liaison notes, and only from the victim-support view', () => {
    expect(def('record_isva_note').isvaMayRecord).toBe(true)
    expect(EVENT_DEFINITIONS.filter((d) => d.isvaMayRecord).map((d) => d.type)).toEqual(['record_isva_note'])
  })
})

describe('Victims’ Right to Review', () => {
  const def = (type: string) => EVENT_DEFINITIONS.find((d) => d.type === type)!
  const finalised = (over: Partial<CaseFacts> = {}) => facts({ stage: 'finalised', ...over })
  const victims = (over: Partial<CaseFacts['victims']>) => ({
    isvaReferrals: [],
    isvas: [],
    suspectInterviewed: false,
    vrr: [],
    decidedBy: [],
    ...over,
  })

  it('checks eligibility from the decision: police outcomes 10, 15 and 21 after an interview; a CPS decision not to charge', () => {
    expect(vrrIneligible(facts(), 'cps')).toBe('A review can be asked for only once the case is finalised')
    expect(vrrIneligible(finalised({ policeOutcomeCode: 16 }), 'police')).toMatch(/not this outcome$/)
    expect(vrrIneligible(finalised({ policeOutcomeCode: 15 }), 'police')).toMatch(/interviewed under caution$/)
    expect(
      vrrIneligible(finalised({ policeOutcomeCode: 15, victims: victims({ suspectInterviewed: true }) }), 'police'),
    ).toBeNull()
    expect(vrrIneligible(finalised(), 'cps')).toMatch(/there is none on this case$/)
    expect(
      vrrIneligible(finalised({ decisions: [{ suspectId: SUSPECT, outcome: 'nfa_evidential' }] }), 'cps'),
    ).toBeNull()
    expect(vrrIneligible(finalised({ decisions: [{ suspectId: SUSPECT, outcome: 'charge' }] }), 'cps')).toBe(
      'The CPS scheme covers a CPS decision not to charge, or to discontinue, offer no evidence or leave on file every charge; there is none on this case',
    )
    // Hidden from next steps when nothing can be reviewed.
    expect(def('request_vrr').precondition!(finalised(), actor(['investigator']))).toBe(
      'No decision on this case can be reviewed',
    )
  })

  it('asks for exceptional circumstances after 3 months, counted in calendar months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28')
    expect(addMonths('2024-11-29', 3)).toBe('2025-02-28')
    const late = { ...VALID.request_vrr, toldOn: '2026-01-10', receivedOn: '2026-04-11' }
    expect(
      def('request_vrr')
        .schema.safeParse(late)
        .error?.issues.map((i) => i.path[0]),
    ).toEqual(['exceptional'])
    expect(def('request_vrr').schema.safeParse({ ...late, receivedOn: '2026-04-10' }).success).toBe(true)
    expect(def('request_vrr').schema.safeParse({ ...late, exceptional: 'In hospital' }).success).toBe(true)
    expect(
      def('request_vrr')
        .schema.safeParse({ ...late, receivedOn: '2026-01-09' })
        .error?.issues.map((i) => i.message),
    ).toEqual(['The request cannot be before they were told of the decision'])
  })

  it('follows a request through local resolution to review, by a reviewer of the right scheme', () => {
    const events = [
      { type: 'record_interview', data: {} },
      { type: 'request_vrr', data: { complainantId: COMPLAINANT, scheme: 'cps' } },
    ]
    expect(victimFacts(events)).toEqual({
      isvaReferrals: [],
      decidedBy: [],
      suspectInterviewed: true,
      vrr: [{ complainantId: COMPLAINANT, scheme: 'cps', stage: 'requested' }],
    })
    const inReview = finalised({ victims: victims(victimFacts(events)) })
    const decide = def('decide_vrr').guard!
    expect(decide(inReview, actor(['cps_unit_head']), VALID.decide_vrr!)).toBe(
      'Record local resolution before the independent review',
    )
    const escalated = victimFacts([
      ...events,
      { type: 'record_vrr_local_resolution', data: { complainantId: COMPLAINANT, result: 'independent_review' } },
    ])
    const f = finalised({ victims: victims(escalated) })
    expect(decide(f, actor(['police_supervisor']), VALID.decide_vrr!)).toMatch(/^A CPS request is reviewed by/)
    expect(decide(f, actor(['cps_unit_head']), VALID.decide_vrr!)).toBeNull()
    // Someone who took part in the decision cannot review it.
    const theirs = finalised({ victims: victims({ ...escalated, decidedBy: ['actor-1'] }) })
    expect(decide(theirs, actor(['cps_unit_head']), VALID.decide_vrr!)).toBe(
      'You took part in the decision; the review must be done by someone who did not',
    )
    expect(victimFacts([{ type: 'record_charging_decision', data: {}, actorId: 'prosecutor-1' }]).decidedBy).toEqual([
      'prosecutor-1',
    ])
    expect(def('request_vrr').guard!(f, actor(['witness_care']), { ...VALID.request_vrr })).toBe(
      'This complainant already has a review in progress',
    )
    expect(
      victimFacts([
        ...events,
        { type: 'record_vrr_local_resolution', data: { complainantId: COMPLAINANT, result: 'resolved' } },
      ]).vrr,
    ).toEqual([])
    expect(stageAfter(def('decide_vrr'), f, VALID.decide_vrr!)).toBe('awaiting_charging_decision')
    expect(stageAfter(def('decide_vrr'), f, { ...VALID.decide_vrr, outcome: 'upheld', reopenTo: undefined })).toBe(
      'finalised',
    )
  })
})
