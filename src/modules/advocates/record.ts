import { applyAdvocateEffects } from './service'
import { inDatabaseOnly, type TableWrite } from '../module'

/** Instructing an advocate and a returned brief change the case's advocates (database only: the panel is shared). */
const write: (type: string) => TableWrite = (type) => async (store, caseId, data, event) => {
  await applyAdvocateEffects(inDatabaseOnly(store, type), type, caseId, data, event)
}

export const ADVOCATE_WRITES: Readonly<Record<string, TableWrite>> = {
  instruct_advocate: write('instruct_advocate'),
  record_returned_brief: write('record_returned_brief'),
}
