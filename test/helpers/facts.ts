import type { MaterialRequestFacts } from '../../src/modules/digital/rules'
import type { CaseFacts } from '../../src/core/event-model'

export const SUSPECT = '11111111-1111-4111-8111-111111111111'
export const COMPLAINANT = '22222222-2222-4222-8222-222222222222'

/** The facts of a case under investigation with one complainant and one identified suspect, for rule tests. */
export const caseFacts = (overrides: Partial<CaseFacts> = {}): CaseFacts => ({
  id: '33333333-3333-4333-8333-333333333333',
  today: '2026-11-25',
  stage: 'investigation',
  proposedOutcomeCode: null,
  proposedBy: null,
  policeOutcomeCode: null,
  people: [
    { id: COMPLAINANT, role: 'complainant', unknown: false },
    { id: SUSPECT, role: 'suspect', unknown: false },
  ],
  earlyAdvice: null,
  referral: null,
  decisions: [],
  actionItems: [],
  adminFinalisation: { ladderExhausted: false, allowedFrom: null },
  finalOutcome: null,
  hearings: [],
  charges: [],
  sentenced: [],
  directions: [],
  advocate: { current: null, instructed: [] },
  materialRequests: [],
  disclosure: { versions: [], items: [], served: [], defenceStatement: false },
  victims: { isvaReferrals: [], isvas: [], suspectInterviewed: false, vrr: [], decidedBy: [] },
  ...overrides,
})

/** A complete Full Code Test decision to charge one suspect. */
export const fullCodeCharge = (suspectId: string) => ({
  suspectId,
  test: 'full_code',
  evidentialStage: 'met',
  evidentialReasoning: 'Consistent accounts, forensic support',
  publicInterestSeriousness: 'Very serious',
  publicInterestCulpability: 'High',
  publicInterestHarm: 'Significant harm',
  publicInterestAge: 'Adult',
  publicInterestCommunity: 'Local concern',
  publicInterestProportionate: 'Yes',
  publicInterestSources: 'No',
  publicInterest: 'prosecution_required',
  outcome: 'charge',
  charges: 'Rape, contrary to s.1 Sexual Offences Act 2003',
})

/** A charging referral with every required answer. */
export const REFERRAL = { category: 'green', linesCompleted: 'l', linesNotPursued: 'n', victimEngagement: 'v' }

/** A request for the complainant's device, waiting for a supervisor's decision, recorded by user `inv-1`. */
export const requestFacts = (overrides: Partial<MaterialRequestFacts> = {}): MaterialRequestFacts => ({
  number: 1,
  personId: COMPLAINANT,
  kind: 'device',
  state: 'awaiting_approval',
  scopeStage: 1,
  scopeBy: 'inv-1',
  agreedOn: null,
  held: false,
  takenOn: null,
  extracted: false,
  holder: null,
  sentOn: null,
  fairTrialConsidered: false,
  ...overrides,
})
