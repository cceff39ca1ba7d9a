/** The projected state of a case (docs/sources.md, "Case lifecycle"). */
export const STAGES = [
  'reported',
  'investigation',
  'awaiting_charging_decision',
  'action_plan',
  'charged',
  'finalised',
] as const
export type Stage = (typeof STAGES)[number]

export const OPEN_STAGES: readonly Stage[] = STAGES.filter((stage) => stage !== 'finalised')
/** Open stages once the investigation has started (digital evidence and disclosure are recorded in these). */
export const WORKING_STAGES: readonly Stage[] = OPEN_STAGES.filter((stage) => stage !== 'reported')

export const STAGE_LABELS: Record<Stage, string> = {
  reported: 'Reported',
  investigation: 'Investigation',
  awaiting_charging_decision: 'Awaiting charging decision',
  action_plan: 'Action plan',
  charged: 'Charged',
  finalised: 'Finalised',
}

/** GOV.UK tag colour for each stage badge. */
export const STAGE_TAG_CLASSES: Record<Stage, string> = {
  reported: 'govuk-tag--grey',
  investigation: 'govuk-tag--blue',
  awaiting_charging_decision: 'govuk-tag--yellow',
  action_plan: 'govuk-tag--orange',
  charged: 'govuk-tag--purple',
  finalised: 'govuk-tag--green',
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value)
}

/** The final outcomes a finalised case can have (docs/sources.md, "Case lifecycle"), derived by the event that finalises it. */
export const FINAL_OUTCOMES = [
  { value: 'police_outcome', text: 'Police outcome (no further action by the police)' },
  { value: 'cps_no_further_action', text: 'CPS no further action' },
  { value: 'out_of_court_disposal', text: 'Out-of-court disposal' },
  { value: 'administratively_finalised', text: 'Administratively finalised' },
  { value: 'convicted_plea', text: 'Convicted on a guilty plea' },
  { value: 'convicted_trial', text: 'Convicted after trial' },
  { value: 'acquitted', text: 'Acquitted' },
  { value: 'no_evidence_offered', text: 'No evidence offered' },
  { value: 'discontinued', text: 'Discontinued' },
  { value: 'left_on_file', text: 'Left on file' },
] as const

export const finalOutcomeText = (value: unknown) => FINAL_OUTCOMES.find((o) => o.value === value)?.text ?? null
