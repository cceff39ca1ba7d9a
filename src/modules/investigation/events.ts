import type { TaskKind } from '../../core/tasks'
import {
  CASE_TEAM,
  define,
  type EventDefinition,
  hasKnownSuspect,
  knownSuspect,
  note,
  POLICE,
  reopen,
  REOPEN_TO,
  suspectField,
} from '../../core/event-model'
import { field, optional } from '../../core/fields'
import {
  AGE_BANDS,
  DISABILITY_OPTIONS,
  ETHNICITY_OPTIONS,
  PERSON_ROLES,
  personFields,
  RELATIONSHIP_OPTIONS,
  SEX_OPTIONS,
  suspectExtraFields,
} from '../../domain/people'
import { offenceFields } from '../../domain/report'
import { VERDICT_OUTCOMES } from '../court/outcomes'
import { OPEN_STAGES, STAGES } from '../../core/stages'
import type { ClockRule } from '../../core/clocks'

/**
 * Home Office outcome codes the police may record to close a RASSO investigation. Code 1 (charged) comes from
 * a CPS charging decision and code 9 is a CPS public-interest decision, so neither is a police outcome here.
 */
export const POLICE_OUTCOME_CODES: readonly number[] = [
  2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
]

/** The investigation's events: from the start of the investigation to a police outcome, and reopening a case. */
export const INVESTIGATION_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'start_investigation',
    version: 1,
    title: 'Start the investigation',
    description: 'The police investigation is under way.',
    from: ['reported'],
    to: 'investigation',
    roles: POLICE,
    fields: { note },
    isvaVisible: true,
    summary: () => 'Investigation started',
  }),
  define({
    type: 'record_arrest',
    version: 1,
    title: 'Record an arrest',
    description: 'A suspect was arrested.',
    from: ['investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      suspectId: suspectField,
      arrestedOn: field.date({ label: 'Date of arrest', name: 'the date of arrest', notFuture: true }),
      note,
    },
    isvaVisible: true,
    precondition: hasKnownSuspect,
    guard: knownSuspect,
    summary: () => 'Suspect arrested',
  }),
  define({
    type: 'record_interview',
    version: 1,
    title: 'Record an interview',
    description: 'A suspect was interviewed under caution.',
    from: ['investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      suspectId: suspectField,
      interviewedOn: field.date({ label: 'Date of interview', name: 'the date of interview', notFuture: true }),
      interviewType: field.choice({
        label: 'Type of interview',
        name: 'the type of interview',
        options: [
          { value: 'under_arrest', text: 'Under arrest' },
          { value: 'voluntary', text: 'Voluntary attendance' },
        ],
      }),
      note,
    },
    isvaVisible: true,
    precondition: hasKnownSuspect,
    guard: knownSuspect,
    summary: () => 'Suspect interviewed under caution',
  }),
  define({
    type: 'record_bail',
    version: 1,
    title: 'Record bail',
    description: 'A suspect was released on pre-charge bail, or their bail was changed.',
    from: ['investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      suspectId: suspectField,
      bailedOn: field.date({ label: 'Date bailed', name: 'the date bailed', notFuture: true }),
      returnOn: field.date({ label: 'Date to return on bail', name: 'the date to return on bail' }),
      conditions: optional(
        field.textarea({ label: 'Bail conditions (optional)', name: 'the bail conditions', maxLength: 5000 }),
      ),
    },
    refine: (data) =>
      typeof data.returnOn === 'string' && typeof data.bailedOn === 'string' && data.returnOn < data.bailedOn
        ? { path: 'returnOn', message: 'The date to return on bail must be on or after the date bailed' }
        : null,
    isvaVisible: true,
    precondition: hasKnownSuspect,
    guard: knownSuspect,
    summary: () => 'Suspect released on bail',
  }),
  define({
    type: 'record_released_under_investigation',
    version: 1,
    title: 'Record release under investigation',
    description: 'A suspect was released without bail while the investigation continues.',
    from: ['investigation'],
    to: 'same',
    roles: POLICE,
    fields: {
      suspectId: suspectField,
      releasedOn: field.date({ label: 'Date released', name: 'the date released', notFuture: true }),
      note,
    },
    isvaVisible: true,
    precondition: hasKnownSuspect,
    guard: knownSuspect,
    summary: () => 'Suspect released under investigation',
  }),
  define({
    type: 'add_person',
    version: 1,
    title: 'Add a person',
    description: 'Add a complainant, suspect or witness to the case.',
    from: OPEN_STAGES,
    to: 'same',
    roles: CASE_TEAM,
    fields: {
      role: field.choice({ label: 'Role in the case', name: 'the role in the case', options: PERSON_ROLES }),
      ...personFields,
      ...suspectExtraFields,
    },
    refine: (data) =>
      data.relationship !== undefined && data.role !== 'suspect'
        ? { path: 'relationship', message: 'Only a suspect has a relationship to the complainant' }
        : null,
    isvaVisible: false,
    summary: (data) => `${String(data.role).replace(/^./, (c) => c.toUpperCase())} added`,
  }),
  define({
    type: 'correct_person',
    version: 1,
    title: 'Correct a person’s details',
    description: 'Correct what is recorded about a person. The earlier details stay on the timeline.',
    from: STAGES,
    to: 'same',
    roles: CASE_TEAM,
    fields: {
      personId: field.person({ label: 'Person', name: 'the person', role: 'any' }),
      name: optional(personFields.name),
      sex: optional(field.choice({ label: 'Sex', name: 'the sex', options: SEX_OPTIONS })),
      ageBand: optional(
        field.choice({
          label: 'Age at the time of the report',
          name: 'the age band',
          options: AGE_BANDS,
          as: 'select',
        }),
      ),
      dateOfBirth: personFields.dateOfBirth,
      ethnicity: optional(
        field.choice({ label: 'Ethnicity', name: 'the ethnicity', options: ETHNICITY_OPTIONS, as: 'select' }),
      ),
      disability: optional(
        field.choice({ label: 'Disability', name: 'whether the person has a disability', options: DISABILITY_OPTIONS }),
      ),
      relationship: optional(
        field.choice({
          label: 'Relationship to the complainant',
          name: 'the relationship',
          options: RELATIONSHIP_OPTIONS,
          as: 'select',
        }),
      ),
      reason: field.textarea({
        label: 'Reason for the correction',
        name: 'the reason for the correction',
        maxLength: 2000,
      }),
    },
    refine: (data) =>
      ['name', 'sex', 'ageBand', 'dateOfBirth', 'ethnicity', 'disability', 'relationship'].some(
        (key) => data[key] !== undefined,
      )
        ? null
        : { path: 'name', message: 'Enter at least one detail to correct' },
    isvaVisible: false,
    guard: (facts, _actor, data) =>
      facts.people.some((p) => p.id === data.personId) ? null : 'Select a person on this case',
    summary: () => 'Person’s details corrected',
  }),
  define({
    type: 'add_offence',
    version: 1,
    title: 'Add an offence',
    description: 'Add an offence with its Home Office code.',
    from: OPEN_STAGES,
    to: 'same',
    roles: CASE_TEAM,
    fields: offenceFields,
    refine: (data) =>
      typeof data.committedTo === 'string' &&
      typeof data.committedFrom === 'string' &&
      data.committedTo < data.committedFrom
        ? { path: 'committedTo', message: 'The end of the period must be the same as or after the date of the offence' }
        : null,
    isvaVisible: false,
    summary: (data) => `Offence ${String(data.code)} added`,
  }),
  define({
    type: 'propose_police_outcome',
    version: 1,
    title: 'Propose a police outcome',
    description: 'Propose closing the investigation with a Home Office outcome. A police supervisor must sign it off.',
    from: ['reported', 'investigation', 'action_plan'],
    to: 'same',
    roles: POLICE,
    fields: {
      outcomeCode: field.outcomeCode({ label: 'Home Office outcome', name: 'the outcome' }),
      rationale: field.textarea({
        label: 'Rationale',
        name: 'the rationale',
        hint: 'Why the investigation should close with this outcome, and what was done first',
        maxLength: 10000,
      }),
    },
    isvaVisible: false,
    guard: (_facts, _actor, data) =>
      POLICE_OUTCOME_CODES.includes(Number(data.outcomeCode))
        ? null
        : 'Outcomes 1 (charged) and 9 (CPS decision) come from the CPS, not the police',
    summary: (data) => `Police outcome ${String(data.outcomeCode)} proposed for sign-off`,
    project: (data, _facts, actor) => ({ proposedOutcomeCode: Number(data.outcomeCode), proposedBy: actor.id }),
    opens: ['police_outcome_sign_off'],
  }),
  define({
    type: 'return_police_outcome',
    version: 1,
    title: 'Return the proposed outcome',
    description: 'Do not sign off the proposed outcome; the investigation continues.',
    from: ['reported', 'investigation', 'action_plan'],
    to: 'same',
    roles: ['police_supervisor'],
    fields: {
      reason: field.textarea({ label: 'Why the outcome is not signed off', name: 'the reason', maxLength: 5000 }),
    },
    isvaVisible: false,
    precondition: (facts) => (facts.proposedOutcomeCode === null ? 'There is no proposed outcome to return' : null),
    summary: () => 'Proposed police outcome returned to the investigator',
    project: () => ({ proposedOutcomeCode: null, proposedBy: null }),
    closes: ['police_outcome_sign_off'],
  }),
  define({
    type: 'sign_off_police_outcome',
    version: 1,
    title: 'Sign off the police outcome',
    description: 'Agree the proposed outcome. This finalises the case.',
    from: ['reported', 'investigation', 'action_plan'],
    to: 'finalised',
    roles: ['police_supervisor'],
    fields: { note },
    isvaVisible: true,
    precondition: (facts, actor) => {
      if (facts.proposedOutcomeCode === null) return 'There is no proposed outcome to sign off'
      if (facts.proposedBy === actor.id)
        return 'A police outcome must be signed off by a supervisor other than the person who proposed it'
      return null
    },
    summary: () => 'Police outcome signed off; case finalised',
    project: (_data, facts) => ({
      finalOutcome: 'police_outcome',
      policeOutcomeCode: facts.proposedOutcomeCode,
      proposedOutcomeCode: null,
      proposedBy: null,
      finalisedOn: facts.today,
    }),
    closes: ['police_outcome_sign_off'],
  }),
  define({
    type: 'reopen',
    version: 1,
    title: 'Reopen the case',
    description: 'Reopen a finalised case, for example on new evidence or after a review.',
    from: ['finalised'],
    to: (data) => reopen.stage(data.toStage),
    roles: ['police_supervisor', 'prosecutor'],
    fields: {
      toStage: field.choice({
        label: 'Reopen to',
        name: 'the stage to reopen to',
        options: REOPEN_TO,
      }),
      reason: field.textarea({ label: 'Why the case is reopened', name: 'the reason', maxLength: 5000 }),
    },
    precondition: (facts) =>
      VERDICT_OUTCOMES.includes(facts.finalOutcome ?? '')
        ? 'A case that ended in a conviction or an acquittal at court is not reopened here; an appeal or retrial is for the court'
        : null,
    isvaVisible: true,
    summary: () => 'Case reopened',
    project: () => reopen.change(),
    opens: (data) => reopen.tasks(data.toStage),
  }),
]

/** The investigation's clocks: pre-charge bail, and the supervisor's sign-off of a proposed police outcome. */
export const INVESTIGATION_CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'bail_return',
    name: 'Pre-charge bail return date',
    source: 'The return date set when the suspect was bailed; a decision is needed before it',
    startsOn: ['record_bail'],
    keyField: 'suspectId',
    due: { dateField: 'returnOn' },
    metBy: [],
    cancelledBy: ['record_released_under_investigation', 'sign_off_police_outcome'],
  },
  {
    id: 'police_outcome_sign_off',
    name: 'Supervisor sign-off of a proposed police outcome',
    source: 'Casebridge default: no national time limit was found; set locally by an administrator',
    startsOn: ['propose_police_outcome'],
    due: { unit: 'working', days: 5, configurable: true },
    metBy: ['sign_off_police_outcome', 'return_police_outcome'],
    cancelledBy: ['reopen'],
  },
]

/** The investigation's work: a supervisor signs off a proposed police outcome. */
export const INVESTIGATION_TASK_KINDS: Readonly<Record<string, TaskKind>> = {
  police_outcome_sign_off: {
    label: 'Sign off a proposed police outcome',
    role: 'police_supervisor',
    decision: true,
    due: { clock: 'police_outcome_sign_off' },
  },
}
