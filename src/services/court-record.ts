import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../data/schema'
import { firstHearing, hearingsReached } from '../domain/court-outcomes'
import type { CaseFacts } from '../domain/event-model'
import { invalid } from './errors'

type Data = Record<string, unknown>
interface Applied {
  seq: number
  facts: CaseFacts
}

/** The next number of a numbered thing on a case, counted in the event's own transaction (the case row is locked). */
export async function nextNumber(
  trx: Kysely<Database>,
  table: 'charges' | 'court_directions' | 'hearings' | 'action_plan_items' | 'material_requests',
  caseId: string,
) {
  const last = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>('number').as('n'))
    .where('case_id', '=', caseId)
    .executeTakeFirst()
  return (last?.n ?? 0) + 1
}

/** Every offence code named is a current one in the reference data; otherwise a 400 naming each field. */
async function knownOffences(trx: Kysely<Database>, codes: Record<string, string>) {
  const known = await trx
    .selectFrom('offence_codes')
    .select('code')
    .where('active', '=', true)
    .where('code', 'in', [...Object.values(codes), ''])
    .execute()
  const problems = Object.entries(codes).filter(([, code]) => !known.some((k) => k.code === code))
  if (problems.length)
    throw invalid(Object.fromEntries(problems.map(([key]) => [key, 'Select an offence from the list'])))
}

/**
 * What a court event changes in the court tables (charges, sentences, directions), in the event's transaction.
 * Returns false for events that are not court events.
 */
export async function applyCourtEffects(
  trx: Kysely<Database>,
  type: string,
  caseId: string,
  data: Data,
  event: Applied,
): Promise<boolean> {
  const { facts } = event
  // Results and sentences are dated by the hearing they happened at.
  const hearingOn = facts.hearings.find((h) => h.number === data.hearingNumber)?.on ?? facts.today
  const charge = () =>
    trx
      .updateTable('charges')
      .where('case_id', '=', caseId)
      .where('number', '=', data.chargeNumber as number)
  switch (type) {
    case 'record_charges': {
      await knownOffences(
        trx,
        Object.fromEntries(
          (data.charges as Data[]).map((c, i) => [`data.charges.${i}.offenceCode`, String(c.offenceCode)]),
        ),
      )
      const first = await nextNumber(trx, 'charges', caseId)
      await trx
        .insertInto('charges')
        .values(
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
        .execute()
      return true
    }
    case 'amend_charge':
      await knownOffences(trx, { 'data.offenceCode': String(data.offenceCode) })
      await charge()
        .set({ offence_code: data.offenceCode as string, description: data.description as string })
        .execute()
      return true
    case 'record_plea': {
      const guilty = data.plea === 'guilty'
      await charge()
        .set({
          plea: data.plea as 'guilty',
          plea_hearing: data.hearingNumber as number,
          plea_at_first_hearing: guilty ? data.hearingNumber === firstHearing(facts.hearings) : null,
          ...(guilty && { result: 'convicted_plea' as const, result_on: hearingOn, result_seq: event.seq }),
        })
        .execute()
      return true
    }
    case 'record_verdict':
      if (data.verdict !== 'no_verdict')
        await charge()
          .set({
            result: data.verdict === 'guilty' ? 'convicted_trial' : 'acquitted',
            result_on: hearingOn,
            result_seq: event.seq,
          })
          .execute()
      return true
    case 'end_charge':
      await charge()
        .set({
          result: data.how as 'discontinued',
          result_on: data.decidedOn as string,
          result_seq: event.seq,
          dropped_reason: data.reason as string,
          dropped_at_hearing: hearingsReached(facts.hearings, facts.today, data.hearingNumber as number | undefined),
        })
        .execute()
      return true
    case 'record_sentence':
      await trx
        .insertInto('sentences')
        .values({
          id: randomUUID(),
          case_id: caseId,
          suspect_id: data.suspectId as string,
          sentence: data.sentence as string,
          custody_months: (data.custodyMonths as number | undefined) ?? null,
          hearing_number: data.hearingNumber as number,
          sentenced_on: hearingOn,
          seq: event.seq,
        })
        .execute()
      return true
    case 'record_directions': {
      const first = await nextNumber(trx, 'court_directions', caseId)
      await trx
        .insertInto('court_directions')
        .values(
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
        .execute()
      return true
    }
    case 'record_direction_compliance':
      await trx
        .updateTable('court_directions')
        .set({
          status: data.outcome === 'complied' ? 'complied' : data.outcome === 'not_complied' ? 'not_complied' : 'open',
          complied_on: (data.compliedOn as string | undefined) ?? null,
          ...(data.outcome === 'varied' && { due_on: data.newDueOn as string }),
        })
        .where('case_id', '=', caseId)
        .where('number', '=', data.directionNumber as number)
        .execute()
      return true
    default:
      return false
  }
}
