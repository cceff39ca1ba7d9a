import { randomUUID } from 'node:crypto'
import type { Updateable } from 'kysely'
import type { Database } from '../../data/schema'
import type { CaseStore } from '../../services/case/store'
import { firstCrownCourtHearing, hearingsReached } from './outcomes'
import type { CaseFacts } from '../../core/event-model'
import { invalid } from '../../services/errors'

type Data = Record<string, unknown>
interface Applied {
  seq: number
  facts: CaseFacts
}

/** Every offence code named is a current one in the reference data; otherwise a 400 naming each field. */
async function knownOffences(store: CaseStore, codes: Record<string, string>) {
  const known = await store.activeOffenceCodes(Object.values(codes))
  const problems = Object.entries(codes).filter(([, code]) => !known.has(code))
  if (problems.length)
    throw invalid(Object.fromEntries(problems.map(([key]) => [key, 'Select an offence from the list'])))
}

/**
 * What a court event changes in the court tables (charges, sentences, directions), in the event's transaction.
 * Returns false for events that are not court events.
 */
export async function applyCourtEffects(
  store: CaseStore,
  type: string,
  caseId: string,
  data: Data,
  event: Applied,
): Promise<boolean> {
  const { facts } = event
  // Results and sentences are dated by the hearing they happened at.
  const hearingOn = facts.hearings.find((h) => h.number === data.hearingNumber)?.on ?? facts.today
  const charge = (set: Updateable<Database['charges']>) =>
    store.update('charges', { case_id: caseId, number: data.chargeNumber as number }, set)
  switch (type) {
    case 'record_charges': {
      await knownOffences(
        store,
        Object.fromEntries(
          (data.charges as Data[]).map((c, i) => [`data.charges.${i}.offenceCode`, String(c.offenceCode)]),
        ),
      )
      const first = await store.nextNumber('charges', caseId)
      await store.insert(
        'charges',
        (data.charges as Data[]).map((c, i) => ({
          id: randomUUID(),
          case_id: caseId,
          number: first + i,
          suspect_id: data.suspectId as string,
          offence_code: c.offenceCode as string,
          description: c.description as string,
          added_seq: event.seq,
        })),
      )
      return true
    }
    case 'amend_charge':
      await knownOffences(store, { 'data.offenceCode': String(data.offenceCode) })
      await charge({ offence_code: data.offenceCode as string, description: data.description as string })
      return true
    case 'record_plea': {
      const guilty = data.plea === 'guilty'
      await charge({
        plea: data.plea as 'guilty',
        plea_hearing: data.hearingNumber as number,
        plea_at_first_hearing: guilty ? data.hearingNumber === firstCrownCourtHearing(facts.hearings) : null,
        ...(guilty && { result: 'convicted_plea' as const, result_on: hearingOn, result_seq: event.seq }),
      })
      return true
    }
    case 'record_verdict':
      if (data.verdict !== 'no_verdict')
        await charge({
          result: data.verdict === 'guilty' ? 'convicted_trial' : 'acquitted',
          result_on: hearingOn,
          result_seq: event.seq,
        })
      return true
    case 'end_charge':
      await charge({
        result: data.how as 'discontinued',
        result_on: data.decidedOn as string,
        result_seq: event.seq,
        dropped_reason: data.reason as string,
        dropped_at_hearing: hearingsReached(facts.hearings, facts.today, data.hearingNumber as number | undefined),
      })
      return true
    case 'record_sentence':
      await store.insert('sentences', [
        {
          id: randomUUID(),
          case_id: caseId,
          suspect_id: data.suspectId as string,
          sentence: data.sentence as string,
          custody_months: (data.custodyMonths as number | undefined) ?? null,
          hearing_number: data.hearingNumber as number,
          sentenced_on: hearingOn,
          seq: event.seq,
        },
      ])
      return true
    case 'record_directions': {
      const first = await store.nextNumber('court_directions', caseId)
      await store.insert(
        'court_directions',
        (data.directions as Data[]).map((d, i) => ({
          id: randomUUID(),
          case_id: caseId,
          number: first + i,
          hearing_number: data.hearingNumber as number,
          party: d.party as string,
          description: d.description as string,
          due_on: d.dueOn as string,
          status: 'open' as const,
          set_seq: event.seq,
        })),
      )
      return true
    }
    case 'record_direction_compliance':
      await store.update(
        'court_directions',
        { case_id: caseId, number: data.directionNumber as number },
        {
          status: data.outcome === 'complied' ? 'complied' : data.outcome === 'not_complied' ? 'not_complied' : 'open',
          complied_on: (data.compliedOn as string | undefined) ?? null,
          ...(data.outcome === 'varied' && { due_on: data.newDueOn as string }),
        },
      )
      return true
    default:
      return false
  }
}
