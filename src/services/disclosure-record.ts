import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { todayIso } from '../core/fields'
import type { Database } from '../data/schema'
import { DISCLOSURE_EVENT_TYPES, parseItemRef, type Schedule } from '../domain/disclosure'

type Data = Record<string, unknown>
const text = (value: unknown) => (typeof value === 'string' ? value : null)

/**
 * What a disclosure event changes in the disclosure tables, in the event's transaction (the case row is locked).
 * Returns false for other events.
 */
export async function applyDisclosureEffects(
  trx: Kysely<Database>,
  type: string,
  caseId: string,
  data: Data,
  event: { seq: number; actorId: string },
): Promise<boolean> {
  if (!DISCLOSURE_EVENT_TYPES.has(type)) return false
  const today = todayIso()
  switch (type) {
    case 'record_schedule_version': {
      const schedule = data.schedule as Schedule
      const [last, lastItem] = await Promise.all([
        trx
          .selectFrom('disclosure_versions')
          .select((eb) => eb.fn.max<number | null>('version').as('n'))
          .where('case_id', '=', caseId)
          .where('schedule', '=', schedule)
          .executeTakeFirst(),
        trx
          .selectFrom('disclosure_items')
          .select((eb) => eb.fn.max<number | null>('number').as('n'))
          .where('case_id', '=', caseId)
          .where('schedule', '=', schedule)
          .executeTakeFirst(),
      ])
      const version = (last?.n ?? 0) + 1
      const items = (data.items ?? []) as Data[]
      const amendments = (data.amendments ?? []) as Data[]
      await trx
        .insertInto('disclosure_versions')
        .values({
          id: randomUUID(),
          case_id: caseId,
          schedule,
          version,
          nil: data.nil === true,
          added: items.length,
          amended: amendments.length,
          prepared_by: event.actorId,
          prepared_seq: event.seq,
          prepared_on: today,
        })
        .execute()
      if (items.length)
        await trx
          .insertInto('disclosure_items')
          .values(
            items.map((item, i) => ({
              id: randomUUID(),
              case_id: caseId,
              schedule,
              number: (lastItem?.n ?? 0) + i + 1,
              description: item.description as string,
              reason: text(item.reason),
              added_version: version,
            })),
          )
          .execute()
      for (const a of amendments) {
        const ref = parseItemRef(a.itemRef)!
        // An amended item is decided afresh: the prosecutor's earlier decision was on the earlier wording.
        await trx
          .updateTable('disclosure_items')
          .set({
            description: a.description as string,
            reason: text(a.reason),
            amended_version: version,
            decision: null,
            decision_reason: null,
            decided_by: null,
            decided_seq: null,
          })
          .where('case_id', '=', caseId)
          .where('schedule', '=', ref.schedule)
          .where('number', '=', ref.number)
          .execute()
      }
      return true
    }
    case 'sign_off_schedule':
      await trx
        .updateTable('disclosure_versions')
        .set({ signed_off_by: event.actorId, signed_off_seq: event.seq, signed_off_on: today })
        .where('case_id', '=', caseId)
        .where('schedule', '=', data.schedule as Schedule)
        .where('signed_off_seq', 'is', null)
        .execute()
      return true
    case 'review_disclosure_items':
      for (const d of data.decisions as Data[]) {
        const ref = parseItemRef(d.itemRef)!
        await trx
          .updateTable('disclosure_items')
          .set({
            decision: d.decision as string,
            decision_reason: d.reason as string,
            decided_by: event.actorId,
            decided_seq: event.seq,
          })
          .where('case_id', '=', caseId)
          .where('schedule', '=', ref.schedule)
          .where('number', '=', ref.number)
          .execute()
      }
      return true
    case 'record_disclosure_served':
      await trx
        .insertInto('disclosure_milestones')
        .values({
          id: randomUUID(),
          case_id: caseId,
          kind: data.stage as 'initial',
          on_date: data.servedOn as string,
          seq: event.seq,
        })
        .execute()
      // Everything decided as disclosable and not yet served goes with it.
      await trx
        .updateTable('disclosure_items')
        .set({ served_on: data.servedOn as string, served_seq: event.seq })
        .where('case_id', '=', caseId)
        .where('decision', '=', 'disclose')
        .where('served_on', 'is', null)
        .execute()
      return true
    case 'record_defence_statement':
      await trx
        .insertInto('disclosure_milestones')
        .values({
          id: randomUUID(),
          case_id: caseId,
          kind: 'defence_statement',
          on_date: data.receivedOn as string,
          seq: event.seq,
        })
        .execute()
      return true
    default:
      // The management documents live on the timeline only: each record is a version.
      return true
  }
}
