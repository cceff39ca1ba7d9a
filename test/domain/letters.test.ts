import { describe, expect, it } from 'vitest'
import type { CaseFacts } from '../../src/core/event-model'
import { checkLetter, LETTER_TEMPLATES, type LetterValues, letterTemplate } from '../../src/modules/victim-care/letters'
import { readingEase, termsUsed } from '../../src/modules/victim-care/plain-english'
import { caseFacts, requestFacts } from '../helpers/facts'

const values: LetterValues = {
  name: 'Sam Example',
  crimeReference: '52/12345/26',
  officer: 'DC Jo Officer',
  today: '25 November 2026',
  decisionDate: '20 November 2026',
  decidedBy: 'the Crown Prosecution Service (CPS)',
  isva: null,
  review: { by: '20 February 2027', normallyBy: '4 December 2026' },
  walkthroughUrl: 'https://casebridge.example.gov.uk/walkthrough',
  walkthrough: 'Where your case is now: The police investigate.\n\nThe police gather evidence.',
  request: {
    what: 'Your mobile phone',
    from: '7 January 2026',
    to: '9 January 2026',
    kinds: 'messages and chats',
    contacts: 'the conversation between you and the suspect.',
    holder: null,
    device: true,
    daysWithout: 1,
  },
}

/** A case with nobody on it: the templates never name anyone but the recipient. */
const facts = (over: Partial<CaseFacts> = {}) => caseFacts({ people: [], ...over })

describe('letter templates', () => {
  it('merge the introductory letter exactly', () => {
    const hello = letterTemplate('hello')!
    expect(hello.subject(values)).toBe('Your report to the police, crime reference 52/12345/26')
    expect(hello.body(values)).toBe(
      [
        'Dear Sam Example,',
        'Thank you for telling us what happened. Your crime reference number is 52/12345/26. Please give this number if you get in touch with us.',
        'I am DC Jo Officer, the officer in charge of your case. I will keep you up to date in the way you told us you want. If someone is arrested, interviewed, released, or released on bail, we will tell you within 1 working day.',
        'You can get support from an independent sexual violence adviser (ISVA). An ISVA is on your side and is not part of the police. Ask me and I will put you in touch.',
        'You can read about each step of a case at https://casebridge.example.gov.uk/walkthrough.',
        'If you need anything, please get in touch with me.',
        'Yours sincerely,\n\nDC Jo Officer\nOfficer in charge of your case',
      ].join('\n\n'),
    )
  })

  it('merge the no further action letter with the review window, or say it cannot be reviewed', () => {
    const nfa = letterTemplate('nfa')!
    expect(nfa.body(values)).toContain(
      'On 20 November 2026, the Crown Prosecution Service (CPS) decided not to charge the suspect. [Explain the reason here in plain words.]',
    )
    expect(nfa.body(values)).toContain('Please ask by 20 February 2027. If you can, ask by 4 December 2026.')
    // The scheme is named, so the complainant can find it on police and CPS websites (docs/sources.md section 16).
    expect(nfa.body(values)).toContain('This is called the Victims’ Right to Review scheme.')
    expect(nfa.body({ ...values, review: null })).toContain('This decision is not one that can be reviewed')
  })

  it('are each plain English once the sender has filled in the square brackets', () => {
    for (const t of LETTER_TEMPLATES) {
      const body = t.body(values).replace(/\[[^\]]*\]/g, 'There was not enough evidence to go to court.')
      expect(termsUsed(body), t.id).toEqual([])
      expect(readingEase(body), t.id).toBeGreaterThanOrEqual(60)
      expect(checkLetter({ subject: t.subject(values), body }, 60, ['Other Person']).problems, t.id).toEqual([])
    }
  })

  it('are offered only when they fit the case', () => {
    expect(letterTemplate('charge')!.unavailable(facts(), 'c')).toBe('Nobody has been charged on this case')
    expect(
      letterTemplate('charge')!.unavailable(facts({ decisions: [{ suspectId: 's', outcome: 'charge' }] }), 'c'),
    ).toBeNull()
    expect(letterTemplate('nfa')!.unavailable(facts({ stage: 'finalised', policeOutcomeCode: 15 }), 'c')).toBeNull()
    expect(letterTemplate('nfa')!.unavailable(facts({ stage: 'charged' }), 'c')).toBe(
      'There is no decision to take no further action on this case',
    )
  })
})

describe('the written notice of a request', () => {
  it('says what is sought from the record, the points the law requires, and how long she may be without it', () => {
    const notice = letterTemplate('material_notice')!
    const body = notice.body(values)
    expect(body).toContain(
      'What we would like to look at: Your mobile phone. We would look only at messages and chats from 7 January 2026 to 9 January 2026, and only the conversation between you and the suspect.',
    )
    expect(body).toContain('You do not have to agree.')
    expect(body).toContain('Why we need it: [Say why in plain words.]')
    expect(body).toContain('we aim to give it back within 1 day')
    expect(body).toContain('the case does not stop just because you said no')
    const records = notice.body({
      ...values,
      request: {
        ...values.request!,
        what: 'Your medical records',
        holder: 'your GP surgery',
        device: false,
        kinds: null,
      },
    })
    expect(records).toContain(
      'Your medical records, from 7 January 2026 to 9 January 2026. We would ask your GP surgery',
    )
    expect(records).not.toContain('give it back')
  })

  it('is offered only for her own request approved and waiting for notice', () => {
    const notice = letterTemplate('material_notice')!
    const request = requestFacts({ personId: 'c', state: 'approved' })
    expect(notice.unavailable(facts({ materialRequests: [request] }), 'c')).toBeNull()
    const none = 'There is no approved request for their device or records waiting for written notice'
    expect(notice.unavailable(facts({ materialRequests: [request] }), 'other')).toBe(none)
    expect(notice.unavailable(facts({ materialRequests: [{ ...request, state: 'agreed' }] }), 'c')).toBe(none)
  })
})

describe('checking a letter', () => {
  it('names each problem on its field: brackets, another person, terms to avoid, hard reading', () => {
    const result = checkLetter(
      {
        subject: 'NFA on your case',
        body: 'The evidential stage of the Full Code Test was not met regarding the allegation concerning Other Person. [reason]',
      },
      60,
      ['Other Person'],
    )
    expect(result.problems).toEqual([
      { field: 'subject', message: 'Instead of “NFA”, say “no further action, explained”' },
      { field: 'body', message: 'Replace the text in square brackets before sending' },
      { field: 'body', message: 'Remove details of another person on the case: the complainant may not receive them' },
      { field: 'body', message: 'Instead of “evidential stage”, say “whether there is enough evidence”' },
      {
        field: 'body',
        message: 'Instead of “Full Code Test”, say “the test prosecutors use to decide whether to charge”',
      },
      {
        field: 'body',
        message: `The letter is hard to read (reading ease ${result.readingEase}; at least 60 is needed): use shorter sentences and everyday words`,
      },
    ])
  })
})
