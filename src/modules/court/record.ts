import { randomUUID } from 'node:crypto'
import { applyCourtEffects } from './record-charges'
import type { TableWrite } from '../module'

/** Charges, pleas, verdicts, sentences and directions: written by record-charges.ts, event by event. */
const COURT_RECORD_EVENTS = [
  'record_charges',
  'amend_charge',
  'record_plea',
  'record_verdict',
  'end_charge',
  'record_sentence',
  'record_directions',
  'record_direction_compliance',
] as const

/** What the court events write: hearings, and the court record (memory or database). */
export const COURT_WRITES: Readonly<Record<string, TableWrite>> = {
  ...Object.fromEntries(
    COURT_RECORD_EVENTS.map((type): [string, TableWrite] => [
      type,
      async (store, caseId, data, event) => {
        await applyCourtEffects(store, type, caseId, data, event)
      },
    ]),
  ),
  async list_hearing(store, caseId, data, event) {
    await store.insert('hearings', [
      {
        id: randomUUID(),
        case_id: caseId,
        number: await store.nextNumber('hearings', caseId),
        hearing_type: data.hearingType as string,
        hearing_on: data.hearingOn as string,
        court: data.court as string,
        received_on: data.receivedOn as string,
        status: 'listed',
        requested_by: null,
        listed_seq: event.seq,
        outcome_seq: null,
      },
    ])
  },
  async record_hearing_outcome(store, caseId, data, event) {
    const item = (number: unknown) => ({ case_id: caseId, number: number as number })
    await store.update('hearings', item(data.hearingNumber), {
      status: data.result as 'held',
      requested_by: (data.requestedBy as string | undefined) ?? null,
      outcome_seq: event.seq,
      // Who appeared for the prosecution: continuity of counsel compares the advocate at each hearing held.
      advocate_id: data.result === 'held' ? event.facts.advocate.current : null,
    })
  },
}
