import { COMPLAINANT_CLOCK_IDS } from '../registry'
import { hearingTypeText } from '../court/hearings'
import { SENTENCES } from '../court/outcomes'
import { REQUEST_CLOCK_IDS } from '../digital/rules'
import { longDate } from './letters'
import type { Stage } from '../../core/stages'

/**
 * The walkthrough: what happens at each stage of a case, in plain language for the person who reported it, and a
 * version for one complainant built from their case's own timeline. It is built from an allow-list: only the events
 * and dates below are ever described, never a name, a note, evidence or anything about another complainant.
 */
export interface StageGuide {
  stage: Stage
  title: string
  happens: readonly string[]
  next: string
  rights: readonly string[]
}

export const WALKTHROUGH: readonly StageGuide[] = [
  {
    stage: 'reported',
    title: 'You report what happened',
    happens: [
      'The police write down what you tell them. They give you a crime reference number and the name of the officer in charge of your case.',
      'With your agreement, they refer you to a support service, such as an independent sexual violence adviser (ISVA). An ISVA is on your side and is not part of the police.',
      'The police ask what help you need, and how and how often you want to hear from them.',
    ],
    next: 'The police start to investigate.',
    rights: [
      'To be referred to support within 2 working days of reporting.',
      'To have an interpreter if you need one.',
      'To ask for a police officer of the gender you choose to interview you.',
    ],
  },
  {
    stage: 'investigation',
    title: 'The police investigate',
    happens: [
      'The police gather evidence. They may record an interview with you on video, so that you do not have to repeat it in court.',
      'They only ask for your phone or other records if they need them for the case, and they tell you why.',
      'They may arrest and interview the suspect.',
    ],
    next: 'When they have finished, the police either send the case to a prosecutor to decide whether to charge, or decide to take no further action and tell you why.',
    rights: [
      'To be told within 1 working day if the suspect is arrested, interviewed, released, or released on bail.',
      'To be kept up to date as often as you agreed with the police.',
      'To be offered the chance to make a victim personal statement, about how the crime has affected you.',
    ],
  },
  {
    stage: 'awaiting_charging_decision',
    title: 'A prosecutor decides whether to charge',
    happens: [
      'The police send the case to the Crown Prosecution Service (CPS). A prosecutor looks at all the evidence.',
      'They ask two questions. Is there enough evidence for a court to be more likely than not to find the suspect guilty? Is a prosecution needed in the public interest?',
    ],
    next: 'The prosecutor decides whether to charge, or asks the police to do more work first.',
    rights: [
      'To be told within 1 working day of a decision to charge or not to charge.',
      'To be told the reasons for the decision.',
    ],
  },
  {
    stage: 'action_plan',
    title: 'The police do more work for the prosecutor',
    happens: [
      'The prosecutor has asked the police for more information before deciding. Each thing they asked for has a date.',
    ],
    next: 'When the work is done, the prosecutor looks at the case again and decides whether to charge.',
    rights: ['To be kept up to date as often as you agreed with the police.'],
  },
  {
    stage: 'charged',
    title: 'The case goes to court',
    happens: [
      'The suspect has been charged. The Witness Care Unit now keeps in touch with you about court.',
      'You can ask for help to give evidence, called special measures. For example, a screen so you do not see the defendant, giving evidence by video link, recording your questioning before the trial, or clearing the public gallery while you give evidence.',
      'You can meet the prosecutor before the trial to talk about what will happen.',
    ],
    next: 'The court sets the hearing dates. If the defendant pleads not guilty, there will be a trial.',
    rights: [
      'To be told of each hearing date within 1 working day of the Witness Care Unit knowing it.',
      'To be told the outcome and the sentence within 1 working day.',
      'To read your victim personal statement in court, or have it read for you, if the defendant is found guilty.',
    ],
  },
  {
    stage: 'finalised',
    title: 'The case ends',
    happens: [
      'A case ends with a verdict at court, or with a decision not to charge or not to go on with the case.',
      'You are told what was decided and why.',
    ],
    next: 'If you disagree with a decision not to charge, or to stop the whole case, you can ask for it to be reviewed. This is the Victims’ Right to Review scheme. Someone who was not involved looks at it again.',
    rights: [
      'To ask for a review of a decision not to charge, or to stop the whole case, under the Victims’ Right to Review scheme. Ask within 3 months of being told. For a decision by the CPS, ask within 10 working days if you can.',
      'To make a complaint if your rights have not been met.',
    ],
  },
]

export const guideFor = (stage: Stage): StageGuide => WALKTHROUGH.find((g) => g.stage === stage)!

type Data = Record<string, unknown>
type Said = (data: Data) => string | null

/** What each event means to the complainant, in their words. Events not listed here are never shown. */
export const HAPPENED: Readonly<Record<string, Said>> = {
  record_report: () => 'You reported what happened to the police.',
  start_investigation: () => 'The police started to investigate.',
  record_arrest: () => 'The suspect was arrested.',
  record_interview: () => 'The police interviewed the suspect.',
  record_bail: () => 'The suspect was released on bail, with a date to come back to the police station.',
  record_released_under_investigation: () => 'The suspect was released while the police carry on investigating.',
  request_early_advice: () => 'The police asked a prosecutor for early advice.',
  give_early_advice: () => 'A prosecutor gave the police early advice.',
  sign_off_charging_referral: () =>
    'The police sent the case to the Crown Prosecution Service (CPS) to decide whether to charge.',
  set_action_plan: () => 'The prosecutor asked the police to do more work before deciding.',
  record_charging_decision: (data) =>
    data.outcome === 'charge' ? 'The suspect was charged.' : 'The prosecutor decided not to charge the suspect.',
  sign_off_police_outcome: () => 'The police decided to take no further action.',
  administratively_finalise: () => 'The case was closed.',
  reopen: () => 'The case was opened again.',
  list_hearing: (data) =>
    `The court set a date for a hearing (${hearingTypeText(data.hearingType).toLowerCase()}) on ${typeof data.hearingOn === 'string' ? longDate(data.hearingOn) : 'a date we will tell you'}.`,
  record_hearing_outcome: (data) =>
    data.result === 'held'
      ? 'A hearing took place.'
      : 'A hearing was moved. We will tell you the new date when the court sets it.',
  amend_charge: (data) => (data.substantial === true ? 'The prosecutor changed a charge.' : null),
  record_plea: (data) =>
    data.plea === 'guilty'
      ? 'The defendant pleaded guilty to a charge.'
      : 'The defendant pleaded not guilty to a charge, so there will be a trial of it.',
  record_verdict: (data) =>
    ({
      guilty: 'The court found the defendant guilty of a charge.',
      not_guilty: 'The court found the defendant not guilty of a charge.',
      no_verdict:
        'The jury could not reach a verdict on a charge. The prosecutor will decide whether to ask for a new trial.',
    })[String(data.verdict)] ?? null,
  record_sentence: (data) => {
    const sentence = SENTENCES.find((x) => x.value === data.sentence)?.text.toLowerCase()
    if (!sentence || data.sentence === 'other')
      return 'The court sentenced the defendant. We will explain the sentence.'
    return `The court sentenced the defendant: ${sentence}${typeof data.custodyMonths === 'number' ? `, ${data.custodyMonths} months` : ''}. We will explain what this means.`
  },
  end_charge: (data) =>
    ({
      discontinued: 'The prosecutor decided to stop a charge. We will tell you why.',
      no_evidence_offered:
        'The prosecutor offered no evidence on a charge at court, so the court found the defendant not guilty of it. We will tell you why.',
      left_on_file: 'A charge was left on the court file. It will not go ahead unless the court allows it.',
    })[String(data.how)] ?? null,
  refer_to_support: () => 'You were referred to a support service.',
  assign_isva: () => 'An ISVA was assigned to support you.',
  record_needs_assessment: () => 'The police asked what help you need.',
  set_contact_preferences: () => 'You agreed how and when we keep in touch with you.',
  record_special_measures: () => 'You talked about help to give evidence (special measures).',
  apply_special_measures: () => 'The prosecutor asked the court for special measures to help you give evidence.',
  record_special_measures_ruling: () => 'The court decided which special measures you will have.',
  record_special_measures_meeting: (data) =>
    data.status === 'held' ? 'You met the prosecutor to talk about court.' : null,
  record_withdrawal_of_support: () => 'You told us you no longer want to support the case.',
  request_vrr: () => 'You asked for the decision to be reviewed.',
  record_vrr_local_resolution: (data) =>
    data.result === 'resolved'
      ? 'A prosecutor explained the decision to you more fully.'
      : 'Your review went to an independent reviewer.',
  give_material_notice: () =>
    'The police asked if you agree to them looking at some of your information. They told you in writing what they want to look at and why, and that you do not have to agree.',
  record_material_answer: (data) =>
    data.answer === 'agreed'
      ? 'You agreed to the police looking at the information they asked for.'
      : 'You did not agree to the police looking at the information they asked for. The case carries on.',
  withdraw_material_agreement: () => 'You took back your agreement for the police to look at your information.',
  record_device_taken: () => 'The police took your device, to copy only the information they need.',
  record_device_returned: () => 'The police gave your device back.',
  record_holder_response: (data) =>
    data.response === 'declined'
      ? 'The records the police asked for were not given to them.'
      : 'The police received the records they asked for.',
  decide_vrr: (data) =>
    data.outcome === 'overturned'
      ? 'The review found the decision was wrong, and the case was opened again.'
      : 'The review found the decision was right.',
}

/** What comes next that the complainant may be told, from the case's running clocks, with the date. */
export const COMING: Readonly<Record<string, string>> = {
  early_advice_response: 'A prosecutor is due to give the police early advice',
  charging_decision_time: 'The prosecutor aims to decide whether to charge',
  action_plan_item: 'The police are due to finish the work the prosecutor asked for',
  bail_return: 'The suspect is due back at the police station on bail',
  vrr_review: 'Your review is due to be finished, and you told the result,',
  vc_support_referral: 'We will refer you to support',
  vc_needs_assessment: 'We will ask what help you need',
  vc_vps_offered: 'We will offer you the chance to make a victim personal statement',
  vc_suspect_update: 'We will tell you what happened with the suspect',
  vc_decision: 'We will tell you about the decision and why',
  vc_hearing_date: 'We will tell you the date, time and place of a hearing',
  vc_charge_dropped: 'We will tell you about the prosecutor’s decision and why',
  vc_outcome: 'We will tell you the outcome or the sentence',
  device_return: 'The police aim to give your device back',
}

/** Date fields that say when an event happened, before it was recorded. */
const WHEN = [
  'reportedOn',
  'arrestedOn',
  'interviewedOn',
  'bailedOn',
  'releasedOn',
  'referredOn',
  'assessedOn',
  'appliedOn',
  'decidedOn',
  'on',
  'withdrawnOn',
  'receivedOn',
  'givenOn',
  'answeredOn',
  'takenOn',
  'returnedOn',
  'respondedOn',
]

export interface WalkthroughInput {
  stage: Stage
  complainantId: string
  events: readonly { seq: number; type: string; occurredOn: string; data: Data }[]
  clocks: readonly { ruleId: string; key: string | null; due: string | null; status: string }[]
  reviewSchemes: readonly ('police' | 'cps')[]
  contacts: readonly { role: string; name: string }[]
  /** Whose material each request on the case is for: a complainant is told only of requests for their own. */
  requests: readonly { number: number; personId: string }[]
}

export function complainantWalkthrough(input: WalkthroughInput) {
  const guide = guideFor(input.stage)
  const ownerOf = (number: unknown) => input.requests.find((r) => String(r.number) === String(number))?.personId ?? null
  const happened = input.events
    .filter((e) => {
      // Events about another complainant, or about someone else's material, are never shown.
      const about = e.data.requestNumber !== undefined ? ownerOf(e.data.requestNumber) : e.data.complainantId
      return (about === undefined || about === input.complainantId) && HAPPENED[e.type] !== undefined
    })
    .map((e) => ({
      on: WHEN.map((f) => e.data[f]).find((v): v is string => typeof v === 'string') ?? e.occurredOn,
      text: HAPPENED[e.type]!(e.data),
    }))
    .filter((h): h is { on: string; text: string } => h.text !== null)
  const coming = input.clocks
    .filter((k) => (k.status === 'running' || k.status === 'overdue') && k.due !== null && COMING[k.ruleId])
    // A complainant's own clocks are shown only to them.
    .filter((k) => !COMPLAINANT_CLOCK_IDS.includes(k.ruleId) || k.key === input.complainantId)
    .filter((k) => !REQUEST_CLOCK_IDS.includes(k.ruleId) || ownerOf(k.key) === input.complainantId)
    .map((k) => ({ text: COMING[k.ruleId]!, by: k.due! }))
    .sort((a, b) => a.by.localeCompare(b.by))
    // One line per kind of thing: the soonest.
    .filter((c, i, all) => all.findIndex((o) => o.text === c.text) === i)
  const rights = [...guide.rights]
  if (input.stage === 'finalised' && input.reviewSchemes.length === 0)
    rights.splice(
      0,
      1,
      'The decision in your case is not one that can be reviewed under the review schemes. Ask us if you are not sure.',
    )
  return { guide, happened, coming, rights, contacts: input.contacts }
}

/** The walkthrough as plain text, to send as a letter. */
export function walkthroughText(w: ReturnType<typeof complainantWalkthrough>): string {
  return [
    `Where your case is now: ${w.guide.title}.`,
    ...w.guide.happens,
    'What has happened so far:',
    ...w.happened.map((h) => `${longDate(h.on)}: ${h.text}`),
    'What happens next:',
    w.guide.next,
    ...w.coming.map((c) => `${c.text} by ${longDate(c.by)}.`),
    ...(w.coming.length ? ['These dates can change. We will tell you if they do.'] : []),
    'Your rights now:',
    ...w.rights,
    'Who to contact:',
    ...w.contacts.map((c) => `${c.role}: ${c.name}`),
  ].join('\n\n')
}
