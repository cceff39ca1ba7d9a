import { type CaseFacts, type ChargeResult, define, type EventDefinition, suspectField } from '../../core/event-model'
import { aHearingThatTookPlace } from './hearings'
import { field, optional } from '../../core/fields'
import type { Stage } from '../../core/stages'

/**
 * The court stage, second part (docs/sources.md, Product targets: module 6): the charges each defendant faces, pleas per charge, verdicts,
 * sentence, and charges dropped (discontinued, no evidence offered) or left on file. The case is finalised by the
 * event that resolves the last charge of the last defendant, with the final outcome worked out here, never typed.
 */
export const PLEAS = [
  { value: 'guilty', text: 'Guilty' },
  { value: 'not_guilty', text: 'Not guilty' },
] as const

export const VERDICTS = [
  { value: 'guilty', text: 'Guilty' },
  { value: 'not_guilty', text: 'Not guilty' },
  { value: 'no_verdict', text: 'No verdict: the jury could not agree or was discharged (a retrial may follow)' },
] as const

export const SENTENCES = [
  { value: 'immediate_custody', text: 'Immediate custody' },
  { value: 'suspended', text: 'Suspended sentence order' },
  { value: 'community', text: 'Community order' },
  { value: 'hospital', text: 'Hospital order' },
  { value: 'discharge', text: 'Discharge' },
  { value: 'other', text: 'Another sentence (describe it below)' },
] as const
/** Sentences measured in months of custody. */
const CUSTODIAL = ['immediate_custody', 'suspended']

export const DROPPED_HOW = [
  { value: 'discontinued', text: 'Discontinued or withdrawn by the CPS' },
  { value: 'no_evidence_offered', text: 'No evidence offered at court (a not guilty verdict is entered)' },
  { value: 'left_on_file', text: 'Left on the court file (not to be proceeded with without the court’s leave)' },
] as const

export const DROPPED_REASONS = [
  { value: 'complainant_withdrew', text: 'The complainant no longer supports the prosecution' },
  { value: 'evidence_changed', text: 'The evidence changed: there is no longer a realistic prospect of conviction' },
  { value: 'witness_unavailable', text: 'A witness other than the complainant cannot give evidence' },
  { value: 'disclosure', text: 'Disclosure could not be completed fairly' },
  { value: 'public_interest', text: 'A prosecution is no longer required in the public interest' },
  { value: 'acceptable_plea', text: 'The defendant pleaded guilty to other charges and that was accepted' },
  { value: 'other', text: 'Another reason (explain below)' },
] as const

export const CHARGE_RESULTS: readonly { value: ChargeResult; text: string }[] = [
  { value: 'convicted_plea', text: 'Convicted on a guilty plea' },
  { value: 'convicted_trial', text: 'Convicted after trial' },
  { value: 'acquitted', text: 'Acquitted' },
  { value: 'no_evidence_offered', text: 'No evidence offered' },
  { value: 'discontinued', text: 'Discontinued' },
  { value: 'left_on_file', text: 'Left on file' },
]
/**
 * The case's final outcome is the first of these that any charge came to: a conviction before anything else, and a
 * trial before a plea (the case went to trial for someone).
 */
export const OUTCOME_ORDER: readonly ChargeResult[] = [
  'convicted_trial',
  'convicted_plea',
  'acquitted',
  'no_evidence_offered',
  'discontinued',
  'left_on_file',
]
export const CONVICTED: readonly ChargeResult[] = ['convicted_plea', 'convicted_trial']
/** Final outcomes decided by a court's verdict or a plea, which the service cannot reopen. */
export const VERDICT_OUTCOMES: readonly string[] = [...CONVICTED, 'acquitted']

type CourtFacts = Pick<CaseFacts, 'people' | 'decisions' | 'charges' | 'sentenced'>

/**
 * The final outcome once every suspect is resolved, else null: every identified suspect has a charging decision, and
 * each one charged has charges recorded, every charge has a result, and a convicted defendant has been sentenced.
 */
export function courtOutcome(facts: CourtFacts): ChargeResult | null {
  const identified = facts.people.filter((p) => p.role === 'suspect' && !p.unknown)
  if (identified.some((p) => !facts.decisions.some((d) => d.suspectId === p.id))) return null
  const charged = facts.decisions.filter((d) => d.outcome === 'charge').map((d) => d.suspectId)
  if (charged.length === 0) return null
  const results: ChargeResult[] = []
  for (const suspectId of charged) {
    const theirs = facts.charges.filter((c) => c.suspectId === suspectId)
    if (theirs.length === 0 || theirs.some((c) => c.result === null)) return null
    if (theirs.some((c) => CONVICTED.includes(c.result!)) && !facts.sentenced.includes(suspectId)) return null
    results.push(...theirs.map((c) => c.result!))
  }
  return OUTCOME_ORDER.find((o) => results.includes(o)) ?? null
}

/**
 * Offences triable only on indictment, by Home Office code: rape, 19C to 19H (Sexual Offences Act 2003, s.1(4);
 * docs/sources.md section 16). The magistrates' court sends such a case to the Crown Court at its first appearance
 * (Crime and Disorder Act 1998, s.51) and takes no plea: pleas are first taken in the Crown Court, at the plea and
 * trial preparation hearing. Assault by penetration is indictable only too but has no code of its own (section 15),
 * so its charges are not caught here.
 */
export const INDICTABLE_ONLY_CODES: ReadonlySet<string> = new Set(['19C', '19D', '19E', '19F', '19G', '19H'])

/** The hearing types held in the magistrates' court; every other is a Crown Court hearing. */
export const MAGISTRATES_HEARING_TYPES: ReadonlySet<string> = new Set(['first_appearance'])

/**
 * The first hearing of the case in the Crown Court: the earliest listed that was not vacated and is not the first
 * appearance before the magistrates. "Guilty pleas at the first hearing" counts pleas here (section 16).
 */
export function firstCrownCourtHearing(hearings: CaseFacts['hearings']): number | null {
  return (
    hearings.filter((h) => h.status !== 'vacated' && !MAGISTRATES_HEARING_TYPES.has(h.type)).map((h) => h.number)[0] ??
    null
  )
}

/** A plea to an offence triable only on indictment is not taken by the magistrates (see `INDICTABLE_ONLY_CODES`). */
function aCourtThatTakesThePlea(facts: CaseFacts, data: Record<string, unknown>): string | null {
  const charge = theCharge(facts, data)
  const hearing = facts.hearings.find((h) => h.number === data.hearingNumber)
  return charge &&
    hearing &&
    INDICTABLE_ONLY_CODES.has(charge.offenceCode) &&
    MAGISTRATES_HEARING_TYPES.has(hearing.type)
    ? 'Rape is tried only in the Crown Court: the magistrates send the case there at the first appearance and take no plea. Record the plea at the plea and trial preparation hearing'
    : null
}

/** How many hearings (not vacated) the case had reached: up to the one named, or every one held so far. */
export function hearingsReached(hearings: CaseFacts['hearings'], today: string, hearingNumber?: number): number {
  return hearings.filter(
    (h) => h.status !== 'vacated' && (hearingNumber === undefined ? h.on <= today : h.number <= hearingNumber),
  ).length
}

/** The charges and sentences after this event (for working out whether it finalises the case). */
function courtFactsAfter(type: string, facts: CourtFacts, data: Record<string, unknown>): CourtFacts {
  const setResult = (result: ChargeResult | null, plea?: 'guilty' | 'not_guilty') => ({
    ...facts,
    charges: facts.charges.map((c) =>
      c.number === data.chargeNumber ? { ...c, plea: plea ?? c.plea, result: result ?? c.result } : c,
    ),
  })
  switch (type) {
    case 'record_plea':
      return setResult(data.plea === 'guilty' ? 'convicted_plea' : null, data.plea as 'guilty' | 'not_guilty')
    case 'record_verdict':
      return setResult(
        data.verdict === 'guilty' ? 'convicted_trial' : data.verdict === 'not_guilty' ? 'acquitted' : null,
      )
    case 'end_charge':
      return setResult(data.how as ChargeResult)
    case 'record_sentence':
      return { ...facts, sentenced: [...facts.sentenced, String(data.suspectId)] }
    default:
      return facts
  }
}

/** A court event finalises the case when, after it, every suspect is resolved; the outcome goes on the case row. */
function finalising(type: string) {
  const outcome = (data: Record<string, unknown>, facts: CaseFacts) => courtOutcome(courtFactsAfter(type, facts, data))
  return {
    to: (data: Record<string, unknown>, facts: CaseFacts): Stage => (outcome(data, facts) ? 'finalised' : facts.stage),
    project: (data: Record<string, unknown>, facts: CaseFacts) => {
      const final = outcome(data, facts)
      return final ? { finalOutcome: final, finalisedOn: facts.today } : {}
    },
  }
}

const chargeNumber = field.charge({ label: 'Charge', name: 'the charge' })
const hearingTookPlace = field.hearing({ label: 'At which hearing', name: 'the hearing' })
const receivedOn = field.date({
  label: 'Date witness care received it from the court',
  name: 'the date witness care received it',
  hint: 'The complainant is told within 1 working day of this day (Victims’ Code, Right 9)',
  notFuture: true,
})

function theCharge(facts: CaseFacts, data: Record<string, unknown>) {
  return facts.charges.find((c) => c.number === data.chargeNumber)
}

/** The charge named is on this case and has no result yet. */
function anOpenCharge(facts: CaseFacts, data: Record<string, unknown>): string | null {
  const charge = theCharge(facts, data)
  if (!charge) return 'Select a charge on this case'
  return charge.result === null ? null : 'This charge already has its result'
}

const firstOf = (...checks: (string | null)[]) => checks.find((c) => c !== null) ?? null

const hasCharges = (facts: CaseFacts) =>
  facts.charges.some((c) => c.result === null) ? null : 'There is no charge on this case waiting for its result'

export const COURT_OUTCOME_EVENTS: readonly EventDefinition[] = [
  define({
    type: 'record_charges',
    version: 1,
    title: 'Record the charges a defendant faces',
    description:
      'Each charge (count) a charged suspect faces at court, with the offence and its particulars. Pleas, verdicts and any charge dropped are recorded against these.',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      suspectId: suspectField,
      charges: field.list({
        label: 'Charges',
        name: 'the charges',
        itemLabel: 'Charge',
        min: 1,
        max: 30,
        slots: 3,
        item: {
          offenceCode: field.offenceCode({ label: 'Offence', name: 'the offence' }),
          description: field.textarea({
            label: 'Particulars',
            name: 'the particulars',
            hint: 'The wording of the charge',
            maxLength: 2000,
          }),
        },
      }),
    },
    guard: (facts, _actor, data) =>
      facts.decisions.some((d) => d.suspectId === data.suspectId && d.outcome === 'charge')
        ? null
        : 'Select a suspect the CPS decided to charge',
    isvaVisible: false,
    summary: (data) => {
      const n = Array.isArray(data.charges) ? data.charges.length : 0
      return n === 0 ? 'Charges recorded' : `${n} ${n === 1 ? 'charge' : 'charges'} recorded`
    },
  }),
  define({
    type: 'amend_charge',
    version: 1,
    title: 'Amend a charge',
    description:
      'A change to a charge’s offence or particulars. A substantial change (for example to a less serious offence) must be explained to the complainant within 1 working day (Victims’ Code, Right 6).',
    from: ['charged'],
    to: 'same',
    roles: ['prosecutor'],
    fields: {
      chargeNumber,
      offenceCode: field.offenceCode({ label: 'Offence', name: 'the offence' }),
      description: field.textarea({ label: 'Particulars', name: 'the particulars', maxLength: 2000 }),
      substantial: field.boolean({
        label: 'Is this a substantial change, such as a less serious offence?',
        name: 'this is a substantial change',
      }),
      reason: field.textarea({ label: 'Why the charge is amended', name: 'the reason', maxLength: 5000 }),
      decidedOn: field.date({ label: 'Date of the decision', name: 'the date of the decision', notFuture: true }),
    },
    precondition: hasCharges,
    guard: (facts, _actor, data) => anOpenCharge(facts, data),
    isvaVisible: true,
    summary: (data) => (data.substantial === true ? 'A charge was substantially amended' : 'A charge was amended'),
  }),
  define({
    type: 'record_plea',
    version: 1,
    title: 'Record a plea',
    description:
      'The plea entered to one charge and the hearing at which it was entered. A guilty plea convicts on that charge; a change of plea from not guilty to guilty is recorded the same way.',
    from: ['charged'],
    to: finalising('record_plea').to,
    roles: ['prosecutor'],
    fields: {
      chargeNumber,
      plea: field.choice({ label: 'Plea', name: 'the plea', options: PLEAS }),
      hearingNumber: hearingTookPlace,
    },
    precondition: hasCharges,
    guard: (facts, _actor, data) => {
      const charge = theCharge(facts, data)
      return firstOf(
        anOpenCharge(facts, data),
        charge?.plea === 'not_guilty' && data.plea === 'not_guilty'
          ? 'A not guilty plea is already recorded on this charge'
          : null,
        aHearingThatTookPlace(facts, data),
        aCourtThatTakesThePlea(facts, data),
      )
    },
    isvaVisible: true,
    summary: (data) =>
      ({ guilty: 'Guilty plea entered', not_guilty: 'Not guilty plea entered' })[String(data.plea)] ?? 'Plea recorded',
    project: finalising('record_plea').project,
  }),
  define({
    type: 'record_verdict',
    version: 1,
    title: 'Record a verdict',
    description:
      'The verdict on one charge after a not guilty plea. Witness care tells the complainant within 1 working day of receiving it from the court (Victims’ Code, Right 9).',
    from: ['charged'],
    to: finalising('record_verdict').to,
    roles: ['prosecutor', 'witness_care'],
    fields: {
      chargeNumber,
      verdict: field.choice({ label: 'Verdict', name: 'the verdict', options: VERDICTS }),
      hearingNumber: hearingTookPlace,
      receivedOn,
    },
    precondition: hasCharges,
    guard: (facts, _actor, data) =>
      firstOf(
        anOpenCharge(facts, data),
        theCharge(facts, data)?.plea === 'not_guilty'
          ? null
          : 'A verdict follows a not guilty plea; record the plea on this charge first',
        aHearingThatTookPlace(facts, data),
      ),
    isvaVisible: true,
    summary: (data) =>
      ({ guilty: 'Verdict: guilty', not_guilty: 'Verdict: not guilty', no_verdict: 'No verdict reached' })[
        String(data.verdict)
      ] ?? 'Verdict recorded',
    project: finalising('record_verdict').project,
  }),
  define({
    type: 'record_sentence',
    version: 1,
    title: 'Record a sentence',
    description:
      'The sentence passed on a convicted defendant. Witness care tells the complainant, with an explanation, within 1 working day of receiving it (Victims’ Code, Right 9).',
    from: ['charged'],
    to: finalising('record_sentence').to,
    roles: ['prosecutor', 'witness_care'],
    fields: {
      suspectId: field.person({ label: 'Defendant', name: 'the defendant', role: 'suspect' }),
      sentence: field.choice({ label: 'Sentence', name: 'the sentence', options: SENTENCES }),
      custodyMonths: optional(
        field.integer({
          label: 'Length in months (custody or suspended sentence)',
          name: 'the length in months',
          min: 1,
          max: 1200,
        }),
      ),
      details: optional(
        field.textarea({ label: 'Details (orders, conditions)', name: 'the details', maxLength: 5000 }),
      ),
      hearingNumber: hearingTookPlace,
      receivedOn,
    },
    refine: (data) => {
      const problems: { path: string; message: string }[] = []
      if (CUSTODIAL.includes(String(data.sentence)) && data.custodyMonths === undefined)
        problems.push({ path: 'custodyMonths', message: 'Enter the length in months' })
      if (data.sentence !== undefined && !CUSTODIAL.includes(String(data.sentence)) && data.custodyMonths !== undefined)
        problems.push({
          path: 'custodyMonths',
          message: 'A length in months goes with custody or a suspended sentence',
        })
      if (data.sentence === 'other' && data.details === undefined)
        problems.push({ path: 'details', message: 'Describe the sentence' })
      return problems
    },
    precondition: (facts) =>
      facts.charges.some((c) => CONVICTED.includes(c.result!) && !facts.sentenced.includes(c.suspectId))
        ? null
        : 'No defendant on this case is waiting to be sentenced',
    guard: (facts, _actor, data) =>
      firstOf(
        facts.charges.some((c) => c.suspectId === data.suspectId && CONVICTED.includes(c.result!))
          ? null
          : 'Select a defendant convicted on this case',
        facts.sentenced.includes(String(data.suspectId)) ? 'This defendant’s sentence is already recorded' : null,
        aHearingThatTookPlace(facts, data),
      ),
    isvaVisible: true,
    summary: () => 'Sentence passed',
    project: finalising('record_sentence').project,
  }),
  define({
    type: 'end_charge',
    version: 1,
    title: 'Record that a charge was dropped or left on file',
    description:
      'A charge discontinued, with no evidence offered, or left on file, with the reasons and the hearing. The complainant is told within 1 working day, with the reasons and how to ask for a review (Victims’ Code, Right 6).',
    from: ['charged'],
    to: finalising('end_charge').to,
    roles: ['prosecutor'],
    fields: {
      chargeNumber,
      how: field.choice({ label: 'What happened to the charge', name: 'what happened', options: DROPPED_HOW }),
      reason: field.choice({ label: 'The main reason', name: 'the main reason', options: DROPPED_REASONS }),
      reasonDetail: field.textarea({ label: 'The reasons in full', name: 'the reasons in full', maxLength: 5000 }),
      decidedOn: field.date({ label: 'Date of the decision', name: 'the date of the decision', notFuture: true }),
      hearingNumber: optional(
        field.hearing({
          label: 'At which hearing (leave blank if discontinued by notice outside a hearing)',
          name: 'the hearing',
        }),
      ),
    },
    refine: (data) =>
      (data.how === 'no_evidence_offered' || data.how === 'left_on_file') && data.hearingNumber === undefined
        ? { path: 'hearingNumber', message: 'Select the hearing: this happens in court' }
        : null,
    precondition: hasCharges,
    guard: (facts, _actor, data) => firstOf(anOpenCharge(facts, data), aHearingThatTookPlace(facts, data)),
    isvaVisible: true,
    summary: (data) =>
      ({
        discontinued: 'A charge was discontinued',
        no_evidence_offered: 'No evidence offered on a charge',
        left_on_file: 'A charge was left on file',
      })[String(data.how)] ?? 'Charge result recorded',
    project: finalising('end_charge').project,
  }),
]
