import { describe, expect, it } from 'vitest'
import { readingEase, syllablesIn, termsUsed, TERMS_TO_AVOID } from '../../src/modules/victim-care/plain-english'
import { STAGES } from '../../src/core/stages'
import { complainantWalkthrough, HAPPENED, WALKTHROUGH } from '../../src/modules/victim-care/walkthrough'

const ME = '22222222-2222-4222-8222-222222222222'
const OTHER = '55555555-5555-4555-8555-555555555555'

describe('plain English', () => {
  it('scores reading ease: short plain sentences high, legal prose low', () => {
    expect(syllablesIn('cat')).toBe(1)
    expect(syllablesIn('police')).toBe(2)
    expect(syllablesIn('investigation')).toBe(5)
    // The score is clamped to 0-100: these two are past each end.
    expect(readingEase('The police will call you. They will tell you what happens next.')).toBe(100)
    expect(
      readingEase(
        'Notwithstanding the aforementioned considerations, the prosecutorial determination necessitated evaluation of evidential sufficiency and public interest considerations.',
      ),
    ).toBe(0)
  })

  it('finds the terms to avoid as whole words, the longer term first, abbreviations in capitals only', () => {
    expect(termsUsed('The evidential stage was not met.').map((t) => t.term)).toEqual(['evidential stage'])
    expect(termsUsed('The complainant was told. NFA.').map((t) => t.term)).toEqual(['complainant', 'NFA'])
    expect(termsUsed('Your oic is nice; evidentially fine.')).toEqual([])
    expect(TERMS_TO_AVOID.every((t) => t.instead.length > 0)).toBe(true)
  })
})

describe('the walkthrough', () => {
  it('explains every stage, in plain English, without the terms to avoid', () => {
    expect(WALKTHROUGH.map((g) => g.stage)).toEqual([...STAGES])
    // The review scheme is named where a complainant reads about it (docs/sources.md section 16).
    const ended = WALKTHROUGH.find((g) => g.stage === 'finalised')!
    expect(ended.next).toContain('This is the Victims’ Right to Review scheme.')
    expect(ended.rights[0]).toContain('under the Victims’ Right to Review scheme')
    for (const g of WALKTHROUGH) {
      const text = [g.title, ...g.happens, g.next, ...g.rights].join('\n\n')
      expect(termsUsed(text), g.stage).toEqual([])
      expect(readingEase(text), g.stage).toBeGreaterThanOrEqual(50)
    }
    const happened = Object.values(HAPPENED).map((said) => said({}) ?? '')
    expect(termsUsed(happened.join(' '))).toEqual([])
  })

  it('builds a complainant’s own walkthrough from the timeline: their events only, what comes next, no names', () => {
    const result = complainantWalkthrough({
      stage: 'investigation',
      complainantId: ME,
      events: [
        { seq: 1, type: 'record_report', occurredOn: '2026-11-02', data: { reportedOn: '2026-11-01' } },
        { seq: 2, type: 'start_investigation', occurredOn: '2026-11-02', data: {} },
        { seq: 3, type: 'record_arrest', occurredOn: '2026-11-05', data: { suspectId: 'x', arrestedOn: '2026-11-04' } },
        { seq: 4, type: 'record_isva_note', occurredOn: '2026-11-05', data: { complainantId: ME, note: 'secret' } },
        { seq: 5, type: 'record_needs_assessment', occurredOn: '2026-11-06', data: { complainantId: OTHER } },
        { seq: 6, type: 'add_person', occurredOn: '2026-11-06', data: { role: 'witness', name: 'A Witness' } },
      ],
      clocks: [
        { ruleId: 'vc_suspect_update', key: ME, due: '2026-11-05', status: 'overdue' },
        { ruleId: 'vc_suspect_update', key: OTHER, due: '2026-11-03', status: 'running' },
        { ruleId: 'bail_return', key: 'x', due: '2026-12-01', status: 'running' },
        { ruleId: 'referral_sign_off', key: null, due: '2026-11-10', status: 'running' },
        { ruleId: 'vc_needs_assessment', key: ME, due: '2026-11-04', status: 'met' },
      ],
      reviewSchemes: [],
      contacts: [{ role: 'Officer in charge of your case', name: 'DC Demo' }],
      requests: [],
    })
    expect(result.guide.title).toBe('The police investigate')
    expect(result.happened).toEqual([
      { on: '2026-11-01', text: 'You reported what happened to the police.' },
      { on: '2026-11-02', text: 'The police started to investigate.' },
      { on: '2026-11-04', text: 'The suspect was arrested.' },
    ])
    expect(result.coming).toEqual([
      { text: 'We will tell you what happened with the suspect', by: '2026-11-05' },
      { text: 'The suspect is due back at the police station on bail', by: '2026-12-01' },
    ])
    expect(JSON.stringify(result)).not.toMatch(/secret|A Witness/)
  })

  it('says so when a finalised case’s decision cannot be reviewed', () => {
    const base = { complainantId: ME, events: [], clocks: [], contacts: [], requests: [] }
    const none = complainantWalkthrough({ ...base, stage: 'finalised', reviewSchemes: [] })
    expect(none.rights[0]).toMatch(/^The decision in your case is not one that can be reviewed/)
    const cps = complainantWalkthrough({ ...base, stage: 'finalised', reviewSchemes: ['cps'] })
    expect(cps.rights[0]).toMatch(/^To ask for a review of a decision not to charge/)
  })
})
