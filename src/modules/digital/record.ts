import { randomUUID } from 'node:crypto'
import type { Updateable } from 'kysely'
import type { Database } from '../../data/schema'
import { kindOf, nextRequestState } from './rules'
import { DIGITAL_EVENT_TYPES, DIGITAL_EVENTS } from './events'
import type { CaseStore } from '../../services/case/store'
import type { TableWrite } from '../module'

type Data = Record<string, unknown>
const text = (value: unknown) => (typeof value === 'string' ? value : null)

/**
 * What a material request event changes in `material_requests`, its scopes and the device's spells with the police,
 * in the event's transaction (the case row is locked). Returns false for other events.
 */
export async function applyDigitalEffects(
  store: CaseStore,
  type: string,
  caseId: string,
  data: Data,
  event: { seq: number; actorId: string },
): Promise<boolean> {
  if (!DIGITAL_EVENT_TYPES.has(type)) return false
  const scope = (stage: number, requestId: string) => ({
    id: randomUUID(),
    request_id: requestId,
    stage,
    date_from: data.dateFrom as string,
    date_to: data.dateTo as string,
    categories: (data.categories as string[] | undefined) ?? [],
    contacts: text(data.contacts),
    search_terms: text(data.searchTerms),
    recorded_by: event.actorId,
    recorded_seq: event.seq,
  })
  if (type === 'propose_material_request') {
    const id = randomUUID()
    await store.insert('material_requests', [
      {
        id,
        case_id: caseId,
        number: await store.nextNumber('material_requests', caseId),
        person_id: data.personId as string,
        material: data.material as string,
        kind: kindOf(data.material),
        holder: text(data.holder),
        state: 'awaiting_approval',
        scope_stage: 1,
        held: false,
        proposed_by: event.actorId,
        proposed_seq: event.seq,
      },
    ])
    await store.insert('material_request_scopes', [scope(1, id)])
    return true
  }
  const [request] = await store.select('material_requests', { case_id: caseId, number: data.requestNumber as number })
  if (!request) throw new Error(`No request ${String(data.requestNumber)} on the case`)
  const state = nextRequestState(type, data)
  const update = (values: Updateable<Database['material_requests']>) =>
    store.update('material_requests', { id: request.id }, { ...(state && { state }), ...values })
  const currentScope = (values: Updateable<Database['material_request_scopes']>) =>
    store.update('material_request_scopes', { request_id: request.id, stage: request.scope_stage }, values)
  const heldSpell = (values: Updateable<Database['device_spells']>) =>
    store.update('device_spells', { request_id: request.id, returned_on: null }, values)
  switch (type) {
    case 'rescope_material_request':
      await store.insert('material_request_scopes', [scope(request.scope_stage + 1, request.id)])
      // A new scope is agreed afresh: the earlier agreement covered the earlier scope only.
      await update({ scope_stage: request.scope_stage + 1, agreed_on: null })
      return true
    case 'decide_material_request':
      await currentScope({ decision: data.decision as string, decided_by: event.actorId, decided_seq: event.seq })
      await update({})
      return true
    case 'review_material_request':
      await currentScope({ review: data.view as string, reviewed_by: event.actorId })
      await update({})
      return true
    case 'give_material_notice':
      await currentScope({ notice_on: data.givenOn as string })
      await update({})
      return true
    case 'record_material_answer':
      await currentScope({ answer: data.answer as string, answered_on: data.answeredOn as string })
      await update({
        answered_by: data.answeredBy as string,
        agreed_on: data.answer === 'agreed' ? (data.answeredOn as string) : null,
      })
      return true
    case 'withdraw_material_agreement':
      await update({ answered_by: data.answeredBy as string })
      return true
    case 'record_fair_trial_consideration':
      await update({ fair_trial_conclusion: data.conclusion as string })
      return true
    case 'record_device_taken':
      await store.insert('device_spells', [
        {
          id: randomUUID(),
          request_id: request.id,
          scope_stage: request.scope_stage,
          device: data.device as string,
          taken_on: data.takenOn as string,
          taken_seq: event.seq,
        },
      ])
      await update({ held: true })
      return true
    case 'record_extraction':
      await heldSpell({
        extracted_on: data.extractedOn as string,
        method: data.method as string,
        scope_applied: data.scopeApplied as string,
        outside_scope: data.outsideScope as string,
      })
      return true
    case 'record_device_returned':
      await heldSpell({ returned_on: data.returnedOn as string, returned_seq: event.seq })
      await update({ held: false })
      return true
    case 'record_material_request_sent':
      await update({ holder_status: 'sent', sent_on: data.sentOn as string })
      return true
    case 'record_holder_response':
      await update({ holder_status: data.response as 'received', responded_on: data.respondedOn as string })
      return true
    default:
      return true
  }
}

/** What each digital evidence event writes to the requests, scopes and device spells (memory or database). */
export const DIGITAL_WRITES: Readonly<Record<string, TableWrite>> = Object.fromEntries(
  DIGITAL_EVENTS.map((d): [string, TableWrite] => [
    d.type,
    async (store, caseId, data, event) => {
      await applyDigitalEffects(store, d.type, caseId, data, event)
    },
  ]),
)
