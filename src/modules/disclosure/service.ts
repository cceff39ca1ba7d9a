import { todayIso } from '../../core/fields'
import { type ModuleKernel, serviceOf } from '../module'
import type { CasesService } from '../../services/case'
import type { RequestContext } from '../../services/context'
import type { DisclosureRows } from './reads'
import { DISCLOSURE_CLOCK_RULES } from './rules'

const CLOCK_IDS = DISCLOSURE_CLOCK_RULES.map((r) => r.id)

/** The disclosure module's use cases, over the case kernel's. */
export function disclosureService(cases: CasesService) {
  return {
    /**
     * The case team's disclosure record: each schedule's versions and items with the prosecutor's decisions, what was
     * served, the management documents in versions, and the disclosure clocks. One audit row; not for the
     * victim-support view.
     */
    async record(ctx: RequestContext, id: string) {
      const { caseDetail, events, rows, clocks } = await cases.moduleSection(ctx, id, {
        module: 'disclosure',
        action: 'view_disclosure',
        forbidden: 'Disclosure is for the case team only',
        count: (own) => own.items!.length,
      })
      const record = rows as unknown as DisclosureRows
      const chronological = [...events].sort((a, b) => a.seq - b.seq)
      const recorded = (type: string) =>
        chronological
          .filter((e) => e.type === type)
          .map((e, i) => ({
            version: i + 1,
            seq: e.seq,
            on: todayIso(e.occurred_at),
            by: e.actor_name,
            data: e.data as Record<string, unknown>,
          }))
      return {
        case: caseDetail,
        versions: record.versions,
        items: record.items,
        milestones: record.milestones,
        /** Each schedule version's own record (the items it added, the amendments it made), by its timeline row. */
        versionEvents: recorded('record_schedule_version'),
        documents: { imd: recorded('record_imd'), dmd: recorded('record_dmd') },
        clocks: clocks.filter((k) => CLOCK_IDS.includes(k.ruleId)),
      }
    },
  }
}

export type DisclosureService = ReturnType<typeof disclosureService>

/** The disclosure service over the composition root's parts (built once for them). */
export const disclosureOf = (services: ModuleKernel) =>
  serviceOf(services, 'disclosure', (k) => disclosureService(k.cases))
