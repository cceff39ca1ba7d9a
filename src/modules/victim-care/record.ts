import { randomUUID } from 'node:crypto'
import { invalid } from '../../services/errors'
import { inDatabaseOnly, type TableWrite } from '../module'

/** What the victim care events write beyond the timeline: an ISVA's access to the case, a letter's email (database only). */
export const VICTIM_CARE_WRITES: Readonly<Record<string, TableWrite>> = {
  async assign_isva(store, caseId, data) {
    const trx = inDatabaseOnly(store, 'assign_isva')
    const isva = await trx
      .selectFrom('users as u')
      .innerJoin('user_roles as r', 'r.user_id', 'u.id')
      .select('u.id')
      .where('u.id', '=', data.isvaId as string)
      .where('u.active', '=', true)
      .where('r.role', '=', 'isva')
      .executeTakeFirst()
    if (!isva) throw invalid({ 'data.isvaId': 'Select an ISVA from the list' })
    // Access to this case only, for the complainant they support.
    await trx
      .insertInto('case_access')
      .values({ case_id: caseId, user_id: isva.id, kind: 'isva', person_id: data.complainantId as string })
      .onConflict((oc) => oc.doNothing())
      .execute()
  },
  async end_isva_assignment(store, caseId, data) {
    const trx = inDatabaseOnly(store, 'end_isva_assignment')
    await trx
      .deleteFrom('case_access')
      .where('case_id', '=', caseId)
      .where('user_id', '=', data.isvaId as string)
      .where('kind', '=', 'isva')
      .execute()
  },
  async send_victim_letter(store, caseId, data, event) {
    const trx = inDatabaseOnly(store, 'send_victim_letter')
    if (data.channel !== 'email') return
    // Queued in the same transaction as the letter; the row points at the letter and the person, nothing more.
    const c = await trx.selectFrom('cases').select('force_code').where('id', '=', caseId).executeTakeFirstOrThrow()
    await trx
      .insertInto('notification_outbox')
      .values({
        id: randomUUID(),
        task_id: null,
        recipient_role: 'complainant',
        org_code: c.force_code,
        channel: 'victim_email',
        case_id: caseId,
        person_id: data.complainantId as string,
        event_seq: event.seq,
        subject: '',
        body: '',
      })
      .execute()
  },
}
