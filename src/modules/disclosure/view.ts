import type { CaseFacts } from '../../core/event-model'
import type { ModuleRows } from '../module'
import type { DisclosureRows } from './reads'
import { itemRef, type Schedule } from './rules'

declare module '../../services/case/view' {
  interface CaseDetail {
    /** Items on the disclosure schedules (full view only), for choosing one on a form. */
    disclosureItems: { ref: string; schedule: Schedule; number: number; description: string; decision: string | null }[]
  }
}

const own = (rows: ModuleRows) => rows as unknown as DisclosureRows

/** What the disclosure events' rules know of a case: each schedule's versions, the items and what was served. */
export function disclosureFacts(rows: ModuleRows): Pick<CaseFacts, 'disclosure'> {
  const { versions, items, milestones } = own(rows)
  return {
    disclosure: {
      versions: versions.map((v) => ({
        schedule: v.schedule,
        version: v.version,
        preparedBy: v.prepared_by,
        signedOff: v.signed_off_seq !== null,
      })),
      items: items.map((i) => ({
        schedule: i.schedule,
        number: i.number,
        // Decided only on wording that has been signed off: the version that added or last amended it.
        signedOff: versions.some(
          (v) =>
            v.schedule === i.schedule &&
            v.version === (i.amended_version ?? i.added_version) &&
            v.signed_off_seq !== null,
        ),
        decision: i.decision,
        served: i.served_on !== null,
      })),
      served: milestones.filter((m) => m.kind !== 'defence_statement').map((m) => m.kind as 'initial'),
      defenceStatement: milestones.some((m) => m.kind === 'defence_statement'),
    },
  }
}

/** The case's disclosure items as the case view gives them (to choose one on a form): the case team's only. */
export function disclosureView(rows: ModuleRows, fullView: boolean) {
  return {
    disclosureItems: fullView
      ? own(rows).items.map((i) => ({
          ref: itemRef(i.schedule, i.number),
          schedule: i.schedule,
          number: i.number,
          description: i.description,
          decision: i.decision,
        }))
      : [],
  }
}
