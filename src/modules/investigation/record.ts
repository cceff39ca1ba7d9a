import { randomUUID } from 'node:crypto'
import type { PersonRow } from '../../data/schema'
import { nullify, personColumns } from '../../domain/people'
import type { TableWrite } from '../module'

/** What the investigation's events write to the case's people and offences (memory or database). */
export const INVESTIGATION_WRITES: Readonly<Record<string, TableWrite>> = {
  async add_person(store, caseId, data, event) {
    await store.insert('case_people', [
      {
        id: randomUUID(),
        case_id: caseId,
        role: data.role as PersonRow['role'],
        unknown: false,
        added_seq: event.seq,
        ...nullify(personColumns(data)),
      },
    ])
  },
  async correct_person(store, caseId, data) {
    const set = Object.fromEntries(Object.entries(personColumns(data)).filter(([, v]) => v !== undefined))
    await store.update('case_people', { id: data.personId as string, case_id: caseId }, set)
  },
  async add_offence(store, caseId, data) {
    await store.insert('case_offences', [
      {
        id: randomUUID(),
        case_id: caseId,
        code: data.code as string,
        committed_from: data.committedFrom as string,
        committed_to: (data.committedTo as string) ?? null,
      },
    ])
  },
}
