import type { Kysely } from 'kysely'
import type { Database } from '../../data/schema'
import type { ModuleParts, RowsOf } from '../module'

/** The disclosure rows of a case: schedule versions (with who prepared and signed them off), items, milestones. */
const reads = {
  versions: (h: Kysely<Database>, caseId: string) =>
    h
      .selectFrom('disclosure_versions as v')
      .innerJoin('users as u', 'u.id', 'v.prepared_by')
      .leftJoin('users as s', 's.id', 'v.signed_off_by')
      .selectAll('v')
      .select(['u.name as prepared_by_name', 's.name as signed_off_by_name'])
      .where('v.case_id', '=', caseId)
      .orderBy('v.schedule')
      .orderBy('v.version'),
  items: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('disclosure_items').selectAll().where('case_id', '=', caseId).orderBy('schedule').orderBy('number'),
  milestones: (h: Kysely<Database>, caseId: string) =>
    h.selectFrom('disclosure_milestones').selectAll().where('case_id', '=', caseId).orderBy('seq'),
}

export type DisclosureRows = RowsOf<typeof reads>

/** Read with the case's other parts once it is past the report (a case just reported has no disclosure). */
export const DISCLOSURE_PARTS: ModuleParts = { when: (row) => row.stage !== 'reported', reads }
