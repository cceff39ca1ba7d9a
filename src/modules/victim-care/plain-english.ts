/**
 * Plain English checks for what complainants read (letters, the walkthrough): a Flesch reading ease score and a list
 * of legal and internal terms to avoid, each with what to say instead. The action plan asks for better letters; the
 * list is Casebridge's own, drawn from the terms the joint inspection found confusing victims.
 */

/** Reading ease from 0 (very hard) to 100 (very easy); 60 to 70 is plain English. */
export function readingEase(text: string): number {
  const words = text.match(/[A-Za-z]+(?:['’][A-Za-z]+)*/g) ?? []
  if (words.length === 0) return 100
  const sentences = Math.max(1, text.split(/[.!?]+(?:\s|$)|\n\s*\n/).filter((s) => /[A-Za-z]/.test(s)).length)
  const syllables = words.reduce((n, w) => n + syllablesIn(w), 0)
  const score = 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllables / words.length)
  return Math.round(Math.max(0, Math.min(100, score)))
}

/** A rough syllable count: groups of vowels, less a silent final e, at least one. */
export function syllablesIn(word: string): number {
  const w = word.toLowerCase().replace(/['’]/g, '')
  if (w.length <= 3) return 1
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '')
  const groups = trimmed.match(/[aeiouy]{1,2}/g)
  return Math.max(1, groups?.length ?? 1)
}

export const TERMS_TO_AVOID: readonly { term: string; instead: string }[] = [
  { term: 'complainant', instead: 'you' },
  { term: 'NFA', instead: 'no further action, explained' },
  { term: 'evidential stage', instead: 'whether there is enough evidence' },
  { term: 'evidential', instead: 'about the evidence' },
  { term: 'realistic prospect of conviction', instead: 'whether a court is more likely than not to convict' },
  { term: 'Full Code Test', instead: 'the test prosecutors use to decide whether to charge' },
  { term: 'Threshold Test', instead: 'the test prosecutors use when a suspect is kept in custody' },
  { term: 'public interest stage', instead: 'whether a prosecution is needed in the public interest, explained' },
  { term: 'discontinuance', instead: 'stopping the case' },
  { term: 'discontinue', instead: 'stop the case' },
  { term: 'indictment', instead: 'the list of charges' },
  { term: 'pursuant to', instead: 'under' },
  { term: 'hereby', instead: '(leave out)' },
  { term: 'aforementioned', instead: 'this' },
  { term: 'inter alia', instead: 'among other things' },
  { term: 'RUI', instead: 'released while the police investigate' },
  { term: 'OIC', instead: 'the officer in charge of your case' },
  { term: 'ABE', instead: 'your video-recorded interview' },
  { term: 'VRR', instead: 'your right to ask for a review' },
  { term: 'administratively finalised', instead: 'closed' },
]

/** The terms to avoid that a text uses, whole words only; a longer term found hides the shorter one inside it. */
export function termsUsed(text: string): { term: string; instead: string }[] {
  const found = TERMS_TO_AVOID.filter(({ term }) => {
    const pattern = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')
    // Abbreviations match in capitals only ("oic" is not "OIC"); words in any case.
    const flags = term === term.toUpperCase() ? '' : 'i'
    return new RegExp(`(?<![A-Za-z])${pattern}(?![A-Za-z])`, flags).test(text)
  })
  return found.filter((t) => !found.some((o) => o !== t && o.term.toLowerCase().includes(t.term.toLowerCase())))
}
