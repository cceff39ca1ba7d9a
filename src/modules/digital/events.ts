import { define, type EventDefinition, POLICE } from '../../core/event-model'
import { field, optional } from '../../core/fields'
import { WORKING_STAGES } from '../../core/stages'
import {
  MATERIAL,
  kindOf,
  ALTERNATIVES,
  NOTICE_ITEMS,
  REQUIRED_NOTICE_ITEMS,
  APPROVAL_DECISIONS,
  REVIEW_VIEWS,
  FAIR_TRIAL_CONCLUSIONS,
  EXTRACTION_METHODS,
  SCOPE_APPLIED,
  OUTSIDE_SCOPE_FIELDS,
  outsideScopeProblem,
  HOLDER_RESPONSES,
  REQUEST_STATES,
  type RequestState,
  RESCOPABLE,
  prosecutorEngaged,
  requestField,
  requestOf,
  requestIn,
  someRequest,
  before,
  SCOPE_FIELDS,
  scopeProblems,
  necessity,
  answeredBy,
  someoneElseProblems,
  someoneElseFields,
  oldEnough,
  type Problem,
} from './rules'

export const DIGITAL_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'propose_material_request',
    version: 1,
    title: 'Propose a request for a person’s device or records',
    description:
      'Ask for a complainant’s or witness’s device, or for records held by someone else, only as a reasonable line of enquiry (R v Bater-James, 2020): why it is relevant, why less intrusive ways are not enough, and a targeted scope. A supervisor decides; the person is asked only after that.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      personId: field.person({ label: 'Whose material', name: 'whose material', role: 'complainant_or_witness' }),
      material: field.choice({ label: 'What material', name: 'the material', options: MATERIAL }),
      holder: optional(
        field.text({
          label: 'Who holds the records (third-party material)',
          name: 'who holds the records',
          hint: 'For example, the GP surgery or the counselling service.',
          maxLength: 200,
        }),
      ),
      lineOfEnquiry: field.textarea({
        label: 'The reasonable line of enquiry',
        name: 'the line of enquiry',
        hint: 'What you reasonably believe the material may show, and why. Speculation is not enough.',
        maxLength: 5000,
      }),
      alternatives: field.choices({
        label: 'Less intrusive options considered',
        name: 'the less intrusive options considered',
        options: ALTERNATIVES,
      }),
      whyNotEnough: field.textarea({
        label: 'Why those options are not enough',
        name: 'why those options are not enough',
        maxLength: 5000,
      }),
      necessity,
      ...SCOPE_FIELDS,
    },
    refine: (data) => {
      const problems = scopeProblems(data)
      const device = kindOf(data.material) === 'device'
      if (data.material !== undefined && !device && data.holder === undefined)
        problems.push({ path: 'holder', message: 'Enter who holds the records' })
      if (device && data.categories === undefined)
        problems.push({ path: 'categories', message: 'Select the kinds of data in scope' })
      if (device && data.holder !== undefined)
        problems.push({ path: 'holder', message: 'Leave this empty for a device: the person holds it' })
      return problems
    },
    guard: (facts, _actor, data) => {
      const person = facts.people.find((p) => p.id === data.personId)
      if (!person) return 'Select a person on this case'
      return person.role === 'suspect'
        ? 'A suspect’s devices are seized, not asked for: this request is for a complainant’s or a witness’s material'
        : null
    },
    isvaVisible: false,
    summary: (data) =>
      `Request proposed: ${(MATERIAL.find((m) => m.value === data.material)?.text ?? 'material').toLowerCase()}`,
  }),
  define({
    type: 'decide_material_request',
    version: 1,
    title: 'Decide a request for a person’s device or records',
    description:
      'A supervisor who did not propose the scope decides whether the request is a reasonable line of enquiry, necessary and proportionate. Where the CPS is engaged (early advice, or the case is with the CPS), the prosecutor reviews it before the person is asked.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['police_supervisor'],
    fields: {
      requestNumber: requestField(['awaiting_approval']),
      decision: field.choice({ label: 'Decision', name: 'the decision', options: APPROVAL_DECISIONS }),
      reasons: field.textarea({ label: 'Reasons', name: 'the reasons', maxLength: 5000 }),
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'awaiting_approval', 'No request on this case is waiting for a decision'),
    guard: (facts, actor, data) => {
      const wrong = requestIn(facts, data, ['awaiting_approval'])
      if (wrong) return wrong
      if (requestOf(facts, data)!.scopeBy === actor.id)
        return 'You recorded this scope: another supervisor must decide it'
      return data.decision === 'approve' && prosecutorEngaged(facts)
        ? 'The CPS is engaged on this case: approve it for the prosecutor’s review first'
        : null
    },
    isvaVisible: false,
    summary: (data) =>
      ({
        approve: 'Request approved by a supervisor',
        approve_for_review: 'Request approved by a supervisor, for the prosecutor’s review',
        not_approve: 'Request not approved by a supervisor',
      })[String(data.decision)] ?? 'Request decided',
  }),
  define({
    type: 'review_material_request',
    version: 1,
    title: 'Review a request for a person’s device or records',
    description:
      'The prosecutor’s view of a request approved by the police: whether it is a reasonable line of enquiry, necessary and proportionate, and whether the scope should be narrower.',
    from: WORKING_STAGES,
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      requestNumber: requestField(['awaiting_review']),
      view: field.choice({ label: 'Your view', name: 'your view', options: REVIEW_VIEWS }),
      advice: field.textarea({ label: 'Advice to the police', name: 'the advice', maxLength: 5000 }),
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'awaiting_review', 'No request on this case is waiting for a review'),
    guard: (facts, _actor, data) => requestIn(facts, data, ['awaiting_review']),
    isvaVisible: false,
    summary: (data) =>
      ({
        proceed: 'Prosecutor reviewed a request: proceed',
        narrow: 'Prosecutor reviewed a request: a narrower scope is needed',
        do_not_pursue: 'Prosecutor reviewed a request: do not pursue it',
      })[String(data.view)] ?? 'Prosecutor reviewed a request',
  }),
  define({
    type: 'rescope_material_request',
    version: 1,
    title: 'Record a new scope for a request (wider or narrower)',
    description:
      'The scope changes only by a new recorded decision: what the earlier stage found, or the advice given, that makes this scope a reasonable line of enquiry. The new scope needs a supervisor’s decision, and new notice and agreement, before it is used.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(RESCOPABLE),
      whyNewScope: field.textarea({
        label: 'Why a new scope',
        name: 'why a new scope',
        hint: 'What the earlier stage found, or the advice given, that makes this a reasonable line of enquiry.',
        maxLength: 5000,
      }),
      necessity,
      ...SCOPE_FIELDS,
    },
    refine: scopeProblems,
    precondition: (facts) =>
      someRequest(facts, (r) => RESCOPABLE.includes(r.state), 'No request on this case can have a new scope now'),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, RESCOPABLE)
      if (wrong) return wrong
      return requestOf(facts, data)!.kind === 'device' && data.categories === undefined
        ? 'A request for a device must say which kinds of data are in scope'
        : null
    },
    isvaVisible: false,
    summary: () => 'New scope recorded for a request',
  }),
  define({
    type: 'give_material_notice',
    version: 1,
    title: 'Record the written notice given about a request',
    description:
      'Before a person agrees, they are given written notice of what is sought, why, how it will be dealt with, that they need not agree, and that refusing does not on its own end the investigation (Police, Crime, Sentencing and Courts Act 2022, s.39). For a device, tell them how long they may be without it. For a complainant, the notice can be written as a letter from the request (victim care, letters).',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['approved']),
      givenOn: field.date({
        label: 'Date the notice was given',
        name: 'the date the notice was given',
        notFuture: true,
      }),
      givenTo: answeredBy('Given to', 'who it was given to'),
      told: field.choices({ label: 'The notice told them', name: 'what the notice told them', options: NOTICE_ITEMS }),
    },
    refine: (data) => {
      if (!Array.isArray(data.told)) return null
      const missing = REQUIRED_NOTICE_ITEMS.filter((i) => !(data.told as unknown[]).includes(i.value))
      return missing.length
        ? {
            path: 'told',
            message: `The notice must tell them ${missing.map((m) => m.text.charAt(0).toLowerCase() + m.text.slice(1)).join('; ')}`,
          }
        : null
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'approved', 'No approved request on this case is waiting for its notice'),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['approved'])
      if (wrong) return wrong
      return requestOf(facts, data)!.kind === 'device' &&
        Array.isArray(data.told) &&
        !data.told.includes('time_without')
        ? 'For a device, the notice must tell them how long they may be without it'
        : null
    },
    isvaVisible: false,
    summary: () => 'Written notice given about a request',
  }),
  define({
    type: 'record_material_answer',
    version: 1,
    title: 'Record the answer to a request: agreed or refused',
    description:
      'The person’s answer after written notice, given freely. For a child, or an adult without the capacity to decide, the right person answers and the person’s own views are recorded. A refusal does not stop the rest of the case: the prosecutor considers whether a fair trial is still possible.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['notice_given']),
      answer: field.choice({
        label: 'Answer',
        name: 'the answer',
        options: [
          { value: 'agreed', text: 'Agreed' },
          { value: 'refused', text: 'Refused' },
        ],
      }),
      answeredOn: field.date({ label: 'Date of the answer', name: 'the date of the answer', notFuture: true }),
      answeredBy: answeredBy('Who answered', 'who answered'),
      ...someoneElseFields,
      inWriting: optional(
        field.boolean({
          label: 'If agreed, was the agreement confirmed in writing?',
          name: 'the agreement was confirmed in writing',
        }),
      ),
    },
    refine: (data) => {
      const problems = someoneElseProblems(data)
      if (data.answer === 'agreed' && data.inWriting === undefined)
        problems.push({ path: 'inWriting', message: 'Select whether the agreement was confirmed in writing' })
      if (data.answer === 'refused' && data.inWriting !== undefined)
        problems.push({ path: 'inWriting', message: 'Leave this empty when the request was refused' })
      return problems
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'notice_given', 'No request on this case is waiting for an answer'),
    guard: (facts, _actor, data) => requestIn(facts, data, ['notice_given']) ?? oldEnough(facts, data, 'answeredOn'),
    isvaVisible: false,
    summary: (data) => (data.answer === 'agreed' ? 'Request agreed' : 'Request refused'),
  }),
  define({
    type: 'withdraw_material_agreement',
    version: 1,
    title: 'Record that agreement to a request was withdrawn',
    description:
      'A person may withdraw their agreement at any time. Record what happens to material already obtained; the prosecutor considers whether a fair trial is still possible.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed']),
      withdrawnOn: field.date({ label: 'Date withdrawn', name: 'the date it was withdrawn', notFuture: true }),
      answeredBy: answeredBy('Who withdrew it', 'who withdrew it'),
      ...someoneElseFields,
      materialObtained: field.textarea({
        label: 'What happens to material already obtained',
        name: 'what happens to material already obtained',
        maxLength: 5000,
      }),
    },
    refine: someoneElseProblems,
    precondition: (facts) =>
      someRequest(facts, (r) => r.state === 'agreed', 'No request on this case has an agreement to withdraw'),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'])
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      return before(data.withdrawnOn, request.agreedOn) ? 'It cannot be withdrawn before it was given' : null
    },
    isvaVisible: false,
    summary: () => 'Agreement to a request withdrawn',
  }),
  define({
    type: 'record_fair_trial_consideration',
    version: 1,
    title: 'Consider a fair trial after a refused or withdrawn request',
    description:
      'After a refusal or a withdrawal, the prosecutor considers whether a fair trial is possible without the material and whether the defence must be told (R v Bater-James, 2020). The rest of the case carries on meanwhile.',
    from: [...WORKING_STAGES, 'finalised'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      requestNumber: requestField(['refused', 'withdrawn']),
      conclusion: field.choice({ label: 'Conclusion', name: 'the conclusion', options: FAIR_TRIAL_CONCLUSIONS }),
      reasons: field.textarea({ label: 'Reasons', name: 'the reasons', maxLength: 5000 }),
    },
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => ['refused', 'withdrawn'].includes(r.state) && !r.fairTrialConsidered,
        'No refused or withdrawn request on this case is waiting for the prosecutor',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['refused', 'withdrawn'])
      if (wrong) return wrong
      return requestOf(facts, data)!.fairTrialConsidered ? 'This refusal has already been considered' : null
    },
    isvaVisible: false,
    summary: () => 'Prosecutor considered a fair trial after a refusal',
  }),
  define({
    type: 'record_device_taken',
    version: 1,
    title: 'Record a device taken',
    description:
      'A device is taken only when its user provides it voluntarily and has agreed after written notice. The clock of days without it starts on the day it is taken.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed'], 'Request', 'device'),
      takenOn: field.date({ label: 'Date taken', name: 'the date it was taken', notFuture: true }),
      device: field.text({
        label: 'The device',
        name: 'the device',
        hint: 'Make, model and colour, for example “black smartphone”. Not its number or passcode.',
        maxLength: 200,
      }),
      voluntary: field.boolean({
        label: 'Did its user provide it voluntarily?',
        name: 'its user provided it voluntarily',
      }),
    },
    refine: (data) =>
      data.voluntary === false
        ? {
            path: 'voluntary',
            message: 'A device can be taken for extraction only when its user provides it voluntarily',
          }
        : null,
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => r.kind === 'device' && r.state === 'agreed' && !r.held,
        'No agreed request for a device is waiting for the device',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'], 'device')
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      if (request.held) return 'The police already hold this device'
      return before(data.takenOn, request.agreedOn) ? 'A device cannot be taken before the person agreed' : null
    },
    isvaVisible: false,
    summary: () => 'Device taken',
  }),
  define({
    type: 'record_extraction',
    version: 1,
    title: 'Record an extraction from a device',
    description:
      'How the data was extracted and the scope actually applied, which may be narrower than approved but never wider, and what was done with anything outside the scope.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed'], 'Request', 'device'),
      extractedOn: field.date({ label: 'Date extracted', name: 'the date it was extracted', notFuture: true }),
      method: field.choice({ label: 'Method', name: 'the method', options: EXTRACTION_METHODS }),
      scopeApplied: field.choice({ label: 'Scope applied', name: 'the scope applied', options: SCOPE_APPLIED }),
      scopeNote: optional(
        field.textarea({ label: 'If narrower, how', name: 'how the scope was narrower', maxLength: 5000 }),
      ),
      ...OUTSIDE_SCOPE_FIELDS,
    },
    refine: (data) => {
      const problems: Problem[] = []
      if (data.scopeApplied === 'narrower' && data.scopeNote === undefined)
        problems.push({ path: 'scopeNote', message: 'Enter how the scope was narrower' })
      return [...problems, outsideScopeProblem(data)].filter((p): p is Problem => p !== null)
    },
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => r.kind === 'device' && r.held && r.state === 'agreed',
        'The police hold no device on this case under an agreed scope',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'], 'device')
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      if (!request.held) return 'The police do not hold this device'
      return before(data.extractedOn, request.takenOn) ? 'It cannot be extracted before it was taken' : null
    },
    isvaVisible: false,
    summary: () => 'Data extracted from a device',
  }),
  define({
    type: 'record_device_returned',
    version: 1,
    title: 'Record a device returned',
    description:
      'The day the device went back to its owner. It stops the clock of days without the device; after a withdrawal or the end of the case it must still be returned.',
    from: [...WORKING_STAGES, 'finalised'],
    to: 'same',
    roles: POLICE,
    fields: {
      // Any request whose device the police hold, whatever its state (a new scope may be waiting for a decision).
      requestNumber: requestField(Object.keys(REQUEST_STATES) as RequestState[], 'Request', 'device'),
      returnedOn: field.date({ label: 'Date returned', name: 'the date it was returned', notFuture: true }),
      returnedTo: answeredBy('Returned to', 'who it was returned to'),
    },
    precondition: (facts) =>
      someRequest(facts, (r) => r.kind === 'device' && r.held, 'The police hold no device on this case'),
    guard: (facts, _actor, data) => {
      const request = requestOf(facts, data)
      if (!request) return 'Select a request on this case'
      if (!request.held) return 'The police do not hold a device for this request'
      return before(data.returnedOn, request.takenOn) ? 'It cannot be returned before it was taken' : null
    },
    isvaVisible: false,
    summary: () => 'Device returned',
  }),
  define({
    type: 'record_material_request_sent',
    version: 1,
    title: 'Record a request sent to the holder of records',
    description: 'The day the agreed request for third-party material was sent to whoever holds it.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed'], 'Request', 'third_party'),
      sentOn: field.date({ label: 'Date sent', name: 'the date it was sent', notFuture: true }),
    },
    precondition: (facts) =>
      someRequest(
        facts,
        (r) => r.kind === 'third_party' && r.state === 'agreed' && r.holder === null,
        'No agreed request for records is waiting to be sent',
      ),
    guard: (facts, _actor, data) => {
      const wrong = requestIn(facts, data, ['agreed'], 'third_party')
      if (wrong) return wrong
      const request = requestOf(facts, data)!
      if (request.holder !== null) return 'This request has already been sent'
      return before(data.sentOn, request.agreedOn) ? 'It cannot be sent before the person agreed' : null
    },
    isvaVisible: false,
    summary: () => 'Request for records sent to the holder',
  }),
  define({
    type: 'record_holder_response',
    version: 1,
    title: 'Record the holder’s response to a request for records',
    description: 'What the holder sent, and what was done with anything outside the scope.',
    from: WORKING_STAGES,
    to: 'same',
    roles: POLICE,
    fields: {
      requestNumber: requestField(['agreed', 'withdrawn'], 'Request', 'third_party'),
      response: field.choice({ label: 'Response', name: 'the response', options: HOLDER_RESPONSES }),
      respondedOn: field.date({ label: 'Date of the response', name: 'the date of the response', notFuture: true }),
      ...OUTSIDE_SCOPE_FIELDS,
    },
    refine: outsideScopeProblem,
    precondition: (facts) =>
      someRequest(facts, (r) => r.holder === 'sent', 'No request for records is waiting for the holder’s response'),
    guard: (facts, _actor, data) => {
      const request = requestOf(facts, data)
      if (!request) return 'Select a request on this case'
      if (request.holder !== 'sent') return 'That request is not waiting for the holder’s response'
      return before(data.respondedOn, request.sentOn) ? 'The response cannot be before the request was sent' : null
    },
    isvaVisible: false,
    summary: (data) =>
      ({
        received: 'Records received from the holder',
        part: 'Part of the records received from the holder',
        declined: 'The holder declined to provide the records',
      })[String(data.response)] ?? 'Holder responded',
  }),
]

export const DIGITAL_EVENT_TYPES: ReadonlySet<string> = new Set(DIGITAL_EVENTS.map((d) => d.type))
