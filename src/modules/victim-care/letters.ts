import type { CaseFacts } from '../../core/event-model'
import { readingEase, termsUsed } from './plain-english'

/**
 * Letters to a complainant (joint action plan: the introductory "hello" letter, the letter at the point of charge,
 * and the no-further-action letter explaining the right to review). A template is merged from an allow-list of
 * values, edited by the sender, checked, and sent; the sent letter is kept on the timeline exactly as sent.
 */
export type LetterTemplateId = 'hello' | 'charge' | 'nfa' | 'walkthrough' | 'material_notice'

/** The only values a letter is merged from: nothing about the suspect beyond "the suspect", nothing about others. */
export interface LetterValues {
  name: string
  crimeReference: string
  officer: string
  today: string
  decisionDate: string | null
  decidedBy: 'the police' | 'the Crown Prosecution Service (CPS)' | null
  isva: string | null
  review: { by: string; normallyBy: string | null } | null
  walkthroughUrl: string
  /** The complainant's own walkthrough as plain text (domain/walkthrough.ts): only what they may be told. */
  walkthrough: string
  /**
   * Their request approved and waiting for written notice (digital.ts), in plain words: what, the scope, who holds
   * records, and the days they may be without a device (the local target).
   */
  request: {
    what: string
    from: string
    to: string
    kinds: string | null
    contacts: string | null
    holder: string | null
    device: boolean
    daysWithout: number
  } | null
}

/** A date as letters write it: 5 January 2027. */
export const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  )

export interface LetterTemplate {
  id: LetterTemplateId
  title: string
  /** Why the template cannot be used on this case for this complainant now, or null. */
  unavailable: (facts: CaseFacts, complainantId: string) => string | null
  /** The Victims' Code entitlements sending it meets. */
  tells: readonly string[]
  subject: (v: LetterValues) => string
  body: (v: LetterValues) => string
}

const signOff = (v: LetterValues) => `Yours sincerely,\n\n${v.officer}\nOfficer in charge of your case`
const isvaLine = (v: LetterValues) =>
  v.isva
    ? `Your ISVA is ${v.isva}. You can talk to them at any time.`
    : 'You can get support from an independent sexual violence adviser (ISVA). An ISVA is on your side and is not part of the police. Ask me and I will put you in touch.'

/** Text in square brackets is for the sender to replace before the letter can be sent. */
export const PLACEHOLDER = /\[[^\]]*\]/

export const LETTER_TEMPLATES: readonly LetterTemplate[] = [
  {
    id: 'hello',
    title: 'Introductory letter (“hello” letter)',
    unavailable: () => null,
    tells: [],
    subject: (v) => `Your report to the police, crime reference ${v.crimeReference}`,
    body: (v) =>
      [
        `Dear ${v.name},`,
        `Thank you for telling us what happened. Your crime reference number is ${v.crimeReference}. Please give this number if you get in touch with us.`,
        `I am ${v.officer}, the officer in charge of your case. I will keep you up to date in the way you told us you want. If someone is arrested, interviewed, released, or released on bail, we will tell you within 1 working day.`,
        isvaLine(v),
        `You can read about each step of a case at ${v.walkthroughUrl}.`,
        'If you need anything, please get in touch with me.',
        signOff(v),
      ].join('\n\n'),
  },
  {
    id: 'charge',
    title: 'Letter at the point of charge',
    unavailable: (facts) =>
      facts.decisions.some((d) => d.outcome === 'charge') ? null : 'Nobody has been charged on this case',
    tells: ['vc_decision'],
    subject: () => 'The suspect in your case has been charged',
    body: (v) =>
      [
        `Dear ${v.name},`,
        `I am writing to tell you that on ${v.decisionDate ?? '[date of the decision]'} the Crown Prosecution Service (CPS) decided to charge the suspect in your case. Your crime reference number is ${v.crimeReference}.`,
        'The case will now go to court. The Witness Care Unit will keep in touch with you about court. They will tell you the date of each hearing within 1 working day of knowing it.',
        'You can ask for help to give evidence. This is called special measures. For example, you could give evidence from behind a screen or by video link, or ask for the public gallery to be cleared while you speak. A prosecutor can meet you to talk about this and about what will happen at court.',
        isvaLine(v),
        signOff(v),
      ].join('\n\n'),
  },
  {
    id: 'nfa',
    title: 'No further action, with the right to review',
    unavailable: (facts) =>
      facts.stage === 'finalised' &&
      (facts.policeOutcomeCode !== null || facts.decisions.some((d) => d.outcome !== 'charge'))
        ? null
        : 'There is no decision to take no further action on this case',
    tells: ['vc_decision'],
    subject: () => 'A decision about your case',
    body: (v) =>
      [
        `Dear ${v.name},`,
        `I am writing to tell you about a decision in your case. Your crime reference number is ${v.crimeReference}.`,
        `On ${v.decisionDate ?? '[date of the decision]'}, ${v.decidedBy ?? 'we'} decided not to charge the suspect. [Explain the reason here in plain words.]`,
        'I know this may be hard to hear. You can talk it through with me, or with your ISVA if you have one.',
        v.review
          ? `If you do not agree with this decision, you can ask for it to be looked at again. This is called the Victims’ Right to Review scheme. Someone who was not involved in the decision will look at it. Please ask by ${v.review.by}.${v.review.normallyBy ? ` If you can, ask by ${v.review.normallyBy}.` : ''} To ask, get in touch with me.`
          : 'This decision is not one that can be reviewed under the review schemes. If you have any questions about it, please get in touch with me.',
        signOff(v),
      ].join('\n\n'),
  },
  {
    id: 'material_notice',
    title: 'Written notice of a request for their device or records',
    unavailable: (facts, complainantId) =>
      facts.materialRequests.some((r) => r.personId === complainantId && r.state === 'approved')
        ? null
        : 'There is no approved request for their device or records waiting for written notice',
    tells: [],
    subject: () => 'We would like to look at some of your information',
    body: (v) => {
      const r = v.request
      const what = r
        ? r.device
          ? `${r.what}. We would look only at ${r.kinds ?? 'what is listed'} from ${r.from} to ${r.to}${r.contacts ? `, and only ${r.contacts.replace(/\.$/, '')}` : ''}.`
          : `${r.what}, from ${r.from} to ${r.to}. We would ask ${r.holder ?? 'the people who hold them'} for them.`
        : '[What we would like to look at.]'
      return [
        `Dear ${v.name},`,
        `Your crime reference number is ${v.crimeReference}. I am writing to ask if you agree to the police looking at some of your information. You do not have to agree.`,
        `What we would like to look at: ${what}`,
        'Why we need it: [Say why in plain words.]',
        'What we will do with it: we will copy only what is listed above and keep it safe. Only the people working on your case will see it. It is only shared with the suspect’s lawyers if the law says it must be, because it could help or harm the case.',
        ...(r?.device
          ? [
              `How long you may be without it: we aim to give it back within ${r.daysWithout === 1 ? '1 day' : `${r.daysWithout} days`}. If we can copy what we need while you wait, we will.`,
            ]
          : []),
        'If you say no: the case does not stop just because you said no. The prosecutor will think about what it means for the case, and I will talk to you about it. You can also change your mind later.',
        isvaLine(v),
        signOff(v),
      ].join('\n\n')
    },
  },
  {
    id: 'walkthrough',
    title: 'Walkthrough of their case',
    unavailable: () => null,
    tells: [],
    subject: (v) => `Your case, crime reference ${v.crimeReference}: where it is now`,
    body: (v) => [`Dear ${v.name},`, v.walkthrough, signOff(v)].join('\n\n'),
  },
]

export const letterTemplate = (id: unknown) => LETTER_TEMPLATES.find((t) => t.id === id)

export interface LetterCheck {
  readingEase: number
  /** Problems that stop the letter being sent, by field. */
  problems: { field: 'subject' | 'body'; message: string }[]
}

/**
 * Checks a letter before it is sent: plain English (a reading ease score at or above the minimum, and none of the
 * terms to avoid), no text left in square brackets, and nothing the complainant may not receive (`forbidden`: other
 * people's names and details, which the service supplies from the case).
 */
export function checkLetter(
  letter: { subject: string; body: string },
  minimum: number,
  forbidden: readonly string[],
  /** The recipient's own name: never a term to avoid, whatever it contains. */
  own: readonly string[] = [],
): LetterCheck {
  const score = readingEase(letter.body)
  const problems: LetterCheck['problems'] = []
  for (const field of ['subject', 'body'] as const) {
    const text = letter[field]
    if (PLACEHOLDER.test(text)) problems.push({ field, message: 'Replace the text in square brackets before sending' })
    for (const value of forbidden)
      if (value.trim().length >= 3 && text.toLowerCase().includes(value.trim().toLowerCase()))
        problems.push({
          field,
          message: 'Remove details of another person on the case: the complainant may not receive them',
        })
    const words = own.filter((o) => o.trim().length > 0).reduce((t, o) => t.split(o).join(' '), text)
    for (const t of termsUsed(words)) problems.push({ field, message: `Instead of “${t.term}”, say “${t.instead}”` })
  }
  if (score < minimum)
    problems.push({
      field: 'body',
      message: `The letter is hard to read (reading ease ${score}; at least ${minimum} is needed): use shorter sentences and everyday words`,
    })
  // One message of each kind per field is enough.
  return {
    readingEase: score,
    problems: problems.filter(
      (p, i) => problems.findIndex((o) => o.field === p.field && o.message === p.message) === i,
    ),
  }
}
