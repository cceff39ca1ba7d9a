import { randomUUID } from 'node:crypto'
import { todayIso } from '../../core/fields'
import { inDatabaseOnly, type TableWrite } from '../module'
import { parseItemRef, type Schedule } from './rules'

type Data = Record<string, unknown>
const text = (value: unknown) => (typeof value === 'string' ? value : null)

/**
 * What each disclosure event writes to the disclosure tables, in the event's transaction (the case row is locked).
 * Database only: the bulk generator's memory store does not hold these tables. The management documents (IMD, DMD)
 * live on the timeline only, each record a version.
 */
export const DISCLOSURE_WRITES: Readonly<Record<string, TableWrite>> = {
  async record_schedule_version(store, caseId, data, event) {
    const trx = inDatabaseOnly(store, 'record_schedule_version')
    const today = todayIso()
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
  },
  async sign_off_schedule(store, caseId, data, event) {
    const trx = inDatabaseOnly(store, 'sign_off_schedule')
    const today = todayIso()
    await trx
      .updateTable('disclosure_versions')
      .set({ signed_off_by: event.actorId, signed_off_seq: event.seq, signed_off_on: today })
      .where('case_id', '=', caseId)
      .where('schedule', '=', data.schedule as Schedule)
      .where('signed_off_seq', 'is', null)
      .execute()
  },
  async review_disclosure_items(store, caseId, data, event) {
    const trx = inDatabaseOnly(store, 'review_disclosure_items')
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
  },
  async record_disclosure_served(store, caseId, data, event) {
    const trx = inDatabaseOnly(store, 'record_disclosure_served')
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
  },
  async record_defence_statement(store, caseId, data, event) {
    const trx = inDatabaseOnly(store, 'record_defence_statement')
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
  },
  async record_imd(store) {
    inDatabaseOnly(store, 'record_imd')
  },
  async record_dmd(store) {
    inDatabaseOnly(store, 'record_dmd')
  },
}
