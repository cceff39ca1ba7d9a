import type { ClockRule } from '../../core/clocks'
import { type Actor, type CaseFacts, define, type EventDefinition, reopen, REOPEN_TO } from '../../core/event-model'
import { field, optional } from '../../core/fields'
import type { Role } from '../../core/roles'
import { aComplainant } from './rules'

/**
 * Victims' Right to Review (docs/sources.md section 3): the police scheme (NPCC, from 1 April 2015) and the CPS scheme
 * (guidance of 27 May 2021). A complainant asks for a review of a qualifying decision not to prosecute; the request
 * goes through acknowledgement (police) or local resolution (CPS), then an independent review, which upholds the
 * decision or overturns it and reopens the case.
 */
export type VrrScheme = 'police' | 'cps'
export type VrrStage = 'requested' | 'acknowledged' | 'independent_review'

/**
 * Police decisions in scope: not to charge, or not to refer to the CPS, where a suspect was identified and interviewed
 * under caution. Out of scope: no suspect identified, out-of-court disposals, and cases where the victim withdrew
 * support (outcomes 14 and 16).
 */
export const POLICE_VRR_OUTCOMES: readonly number[] = [10, 15, 21]
/** CPS decisions in scope before charge: not to charge. */
export const CPS_VRR_DECISIONS: readonly string[] = ['nfa_evidential', 'nfa_public_interest']
/** CPS decisions in scope after charge, when they end all proceedings: discontinuance, no evidence, left on file. */
export const CPS_VRR_COURT_OUTCOMES: readonly string[] = ['discontinued', 'no_evidence_offered', 'left_on_file']

/** Requests are considered up to 3 months after the complainant was told of the decision; later only exceptionally. */
export const VRR_OUTER_MONTHS = 3

const SCHEMES = [
  { value: 'police', text: 'Police scheme: a police decision not to charge or refer' },
  { value: 'cps', text: 'CPS scheme: a CPS decision not to charge, or to stop the whole prosecution' },
] as const

/** Why a complainant cannot ask for a review under this scheme now, or null when they can. */
export function vrrIneligible(facts: CaseFacts, scheme: unknown): string | null {
  if (facts.stage !== 'finalised') return 'A review can be asked for only once the case is finalised'
  if (scheme === 'police') {
    if (facts.policeOutcomeCode === null || !POLICE_VRR_OUTCOMES.includes(facts.policeOutcomeCode))
      return 'The police scheme covers a police decision not to charge or refer (outcomes 10, 15 and 21), not this outcome'
    if (!facts.victims.suspectInterviewed)
      return 'The police scheme applies only where a suspect was identified and interviewed under caution'
    return null
  }
  if (scheme === 'cps') {
    return facts.decisions.some((d) => CPS_VRR_DECISIONS.includes(d.outcome)) ||
      CPS_VRR_COURT_OUTCOMES.includes(facts.finalOutcome ?? '')
      ? null
      : 'The CPS scheme covers a CPS decision not to charge, or to discontinue, offer no evidence or leave on file every charge; there is none on this case'
  }
  return null
}

/** The calendar date the given number of months after a date (the last day of a shorter month when it overflows). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}

const openRequest = (facts: CaseFacts, data: Record<string, unknown>) =>
  facts.victims.vrr.find((r) => r.complainantId === data.complainantId)

const LIAISON: readonly Role[] = ['investigator', 'police_supervisor', 'witness_care', 'prosecutor', 'cps_unit_head']
const POLICE_REVIEWERS: readonly Role[] = ['police_supervisor', 'police_inspector']
const CPS_REVIEWERS: readonly Role[] = ['prosecutor', 'cps_unit_head']

/** A review is done by the scheme's own roles, by someone who took no part in the decision. */
function reviewerFor(scheme: VrrScheme, facts: CaseFacts, actor: Actor): string | null {
  const roles = scheme === 'police' ? POLICE_REVIEWERS : CPS_REVIEWERS
  if (!actor.roles.some((r) => roles.includes(r)))
    return `A ${scheme === 'police' ? 'police' : 'CPS'} request is reviewed by ${scheme === 'police' ? 'a police supervisor or inspector' : 'a prosecutor or CPS unit head'}`
  return facts.victims.decidedBy.includes(actor.id)
    ? 'You took part in the decision; the review must be done by someone who did not'
    : null
}

const complainant = field.person({ label: 'Complainant', name: 'the complainant', role: 'complainant' })

export const VRR_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'request_vrr',
    version: 1,
    title: 'Record a request for a review (Victims’ Right to Review)',
    description:
      'The complainant asks for the decision not to prosecute to be reviewed. CPS requests are normally made within 10 working days of being told of the decision and are accepted up to 3 months; police requests up to 3 months.',
    from: ['finalised'],
    to: 'same',
    roles: LIAISON,
    fields: {
      complainantId: complainant,
      scheme: field.choice({ label: 'Which scheme', name: 'the scheme', options: SCHEMES }),
      toldOn: field.date({
        label: 'Date the complainant was told of the decision',
        name: 'the date they were told of the decision',
        notFuture: true,
      }),
      receivedOn: field.date({ label: 'Date the request was made', name: 'the date of the request', notFuture: true }),
      exceptional: optional(
        field.textarea({
          label: 'Exceptional circumstances (if more than 3 months after they were told)',
          name: 'the exceptional circumstances',
          maxLength: 2000,
        }),
      ),
      details: optional(
        field.textarea({ label: 'What they said (optional)', name: 'what they said', maxLength: 5000 }),
      ),
    },
    refine: (data) => {
      const problems: { path: string; message: string }[] = []
      const told = typeof data.toldOn === 'string' ? data.toldOn : null
      const received = typeof data.receivedOn === 'string' ? data.receivedOn : null
      if (told && received && received < told)
        problems.push({ path: 'receivedOn', message: 'The request cannot be before they were told of the decision' })
      if (told && received && received > addMonths(told, VRR_OUTER_MONTHS) && data.exceptional === undefined)
        problems.push({
          path: 'exceptional',
          message:
            'The request is more than 3 months after they were told: describe the exceptional circumstances, or it cannot be considered',
        })
      return problems
    },
    guard: (facts, actor, data) =>
      aComplainant(facts, actor, data) ??
      (openRequest(facts, data) ? 'This complainant already has a review in progress' : null) ??
      vrrIneligible(facts, data.scheme),
    precondition: (facts) =>
      vrrIneligible(facts, 'police') && vrrIneligible(facts, 'cps') ? 'No decision on this case can be reviewed' : null,
    isvaVisible: true,
    summary: (data) => `Review requested under the ${data.scheme === 'cps' ? 'CPS' : 'police'} scheme`,
  }),
  define({
    type: 'acknowledge_vrr',
    version: 1,
    title: 'Acknowledge a request for a review (police scheme)',
    description: 'The police acknowledge the request within 10 working days and say who will review the decision.',
    from: ['finalised'],
    to: 'same',
    roles: POLICE_REVIEWERS,
    fields: {
      complainantId: complainant,
      reviewer: field.text({
        label: 'Reviewing officer (not involved in the decision)',
        name: 'the reviewing officer',
        maxLength: 200,
      }),
    },
    guard: (facts, actor, data) => {
      const request = openRequest(facts, data)
      if (!request || request.scheme !== 'police') return 'This complainant has no police review to acknowledge'
      return request.stage === 'requested' ? null : 'The request has already been acknowledged'
    },
    isvaVisible: true,
    summary: () => 'Review request acknowledged',
  }),
  define({
    type: 'record_vrr_local_resolution',
    version: 1,
    title: 'Record local resolution of a review (CPS scheme)',
    description:
      'A prosecutor not involved in the decision checks it and explains it more fully. If the complainant is still dissatisfied, the request goes to independent review.',
    from: ['finalised'],
    to: 'same',
    roles: CPS_REVIEWERS,
    fields: {
      complainantId: complainant,
      result: field.choice({
        label: 'Result',
        name: 'the result',
        options: [
          { value: 'resolved', text: 'Resolved: the complainant accepts the fuller explanation' },
          { value: 'independent_review', text: 'Still dissatisfied, or the decision may be wrong: independent review' },
        ],
      }),
      explanation: field.textarea({ label: 'Explanation given', name: 'the explanation', maxLength: 5000 }),
    },
    guard: (facts, actor, data) => {
      const request = openRequest(facts, data)
      if (!request || request.scheme !== 'cps') return 'This complainant has no CPS review in progress'
      if (request.stage !== 'requested') return 'Local resolution has already been recorded'
      return reviewerFor('cps', facts, actor)
    },
    isvaVisible: true,
    summary: (data) => (data.result === 'resolved' ? 'Review resolved locally' : 'Review passed to independent review'),
  }),
  define({
    type: 'decide_vrr',
    version: 1,
    title: 'Record the outcome of a review',
    description:
      'The reviewer, who was not involved in the decision, looks at it afresh. If it was wrong, the case is reopened.',
    from: ['finalised'],
    to: (data) => (data.outcome === 'overturned' ? reopen.stage(data.reopenTo) : 'finalised'),
    roles: [...POLICE_REVIEWERS, ...CPS_REVIEWERS],
    fields: {
      complainantId: complainant,
      outcome: field.choice({
        label: 'Outcome',
        name: 'the outcome',
        options: [
          { value: 'upheld', text: 'The decision is upheld' },
          { value: 'overturned', text: 'The decision is overturned' },
        ],
      }),
      reopenTo: optional(
        field.choice({
          label: 'If overturned, reopen to',
          name: 'the stage to reopen to',
          options: REOPEN_TO,
        }),
      ),
      reasons: field.textarea({ label: 'Reasons, as told to the complainant', name: 'the reasons', maxLength: 5000 }),
    },
    refine: (data) =>
      data.outcome === 'overturned' && data.reopenTo === undefined
        ? { path: 'reopenTo', message: 'Select the stage to reopen to' }
        : data.outcome === 'upheld' && data.reopenTo !== undefined
          ? { path: 'reopenTo', message: 'Leave the stage empty when the decision is upheld' }
          : null,
    guard: (facts, actor, data) => {
      const request = openRequest(facts, data)
      if (!request) return 'This complainant has no review in progress'
      if (request.scheme === 'cps' && request.stage === 'requested')
        return 'Record local resolution before the independent review'
      return reviewerFor(request.scheme, facts, actor)
    },
    isvaVisible: true,
    summary: (data) =>
      data.outcome === 'overturned' ? 'Review: decision overturned, case reopened' : 'Review: decision upheld',
    project: (data) => (data.outcome === 'overturned' ? reopen.change() : {}),
    opens: (data) => (data.outcome === 'overturned' ? reopen.tasks(data.reopenTo) : []),
  }),
]

/** Target times of the schemes, as clocks (per complainant's request). */
export const VRR_CLOCK_RULES: readonly ClockRule[] = [
  {
    id: 'vrr_acknowledge',
    name: 'Right to Review: police acknowledge the request',
    source: 'NPCC Victims’ Right to Review scheme (Wiltshire PCC): acknowledge within 10 working days',
    startsOn: ['request_vrr'],
    startsWhen: (data) => data.scheme === 'police',
    fromField: 'receivedOn',
    keyField: 'complainantId',
    due: { unit: 'working', days: 10, configurable: false },
    metBy: ['acknowledge_vrr', 'decide_vrr'],
    cancelledBy: [],
  },
  {
    id: 'vrr_local_resolution',
    name: 'Right to Review: CPS local resolution',
    source:
      'CPS Victims’ Right to Review guidance (2021): local resolution first. The target is commonly said to be 10 working days, UNVERIFIED: set locally by an administrator',
    startsOn: ['request_vrr'],
    startsWhen: (data) => data.scheme === 'cps',
    fromField: 'receivedOn',
    keyField: 'complainantId',
    due: { unit: 'working', days: 10, configurable: true },
    metBy: ['record_vrr_local_resolution'],
    cancelledBy: [],
  },
  {
    id: 'vrr_review',
    name: 'Right to Review: review completed and the complainant told',
    source:
      'CPS guidance and the NPCC scheme: the review is completed and the victim told within 30 working days overall; complex cases may take longer and the victim is told',
    startsOn: ['request_vrr'],
    fromField: 'receivedOn',
    keyField: 'complainantId',
    due: { unit: 'working', days: 30, configurable: false },
    metBy: ['decide_vrr', 'record_vrr_local_resolution'],
    metWhen: { record_vrr_local_resolution: (data) => data.result === 'resolved' },
    cancelledBy: [],
  },
]
