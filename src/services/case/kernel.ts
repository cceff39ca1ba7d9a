import { type Kysely } from 'kysely'
import type { Config } from '../../config'
import type { Repositories } from '../../data'
import type { CaseRow, Database } from '../../data/schema'
import { availableEvents } from '../../modules/registry'
import { resolveLadder } from '../../modules/pre-charge/escalation'
import { victimFacts } from '../../modules/victim-care/rules'
import { hearingTypeText } from '../../modules/court/hearings'
import type { TaskKindId } from '../../core/tasks'
import { DECISION_TASK_KINDS, TASK_KINDS } from '../../modules/registry'
import { moduleViews } from '../../modules/registry'
import { isUuid, todayIso } from '../../core/fields'
import { FLAGS } from '../../domain/report'
import { type CaseView, caseAccessRules } from '../../core/scope'
import { STAGE_LABELS, type Stage } from '../../core/stages'
import type { AuditTrail } from '../audit-trail'
import type { CalendarService } from '../calendar'
import type { RequestContext } from '../context'
import { AppError, notFound } from '../errors'
import { type CaseDetail, courtView, peopleInView, personView, requestsView } from './view'
import { type CaseParts, type PageReads, type ReadParts, type Settings, actorOf, factsOf, partsInclude } from './facts'

/**
 * What reading a case and changing one share: the repositories and trail, finding a case in the caller's scope (404
 * otherwise, audited), reading its parts in one round trip, and the case as its pages and the API show it.
 */
export function caseKernel(repos: Repositories, audit: AuditTrail, config: Config, calendar: CalendarService) {
  const cases = repos.cases

  /**
   * The parts of a case its rules look at, read in one round trip (with its offences and open tasks for a page).
   * Inside a transaction pass its handle and the settings read before it: the embedded engine has one connection, so
   * nothing else may query while the transaction holds it.
   */
  async function partsOf(
    row: CaseRow,
    settings: Settings,
    handle?: Kysely<Database>,
    forPage: PageReads = { offences: false, tasks: false },
  ): Promise<CaseParts & Pick<ReadParts, 'offences' | 'tasks'>> {
    return completeParts(row, settings, await cases.parts(row.id, partsInclude(row, forPage), handle))
  }

  /** The parts as the rules read them: the rows, with the escalation ladder and the configured periods. */
  function completeParts(
    row: CaseRow,
    settings: Settings,
    read: ReadParts,
  ): CaseParts & Pick<ReadParts, 'offences' | 'tasks'> {
    const escalatedSteps = new Map<string, Set<string>>()
    for (const e of read.escalations)
      escalatedSteps.set(e.item_id, (escalatedSteps.get(e.item_id) ?? new Set()).add(e.step))
    return {
      people: read.people,
      decisions: read.decisions,
      actionItems: read.actionItems,
      escalatedSteps,
      ladder: resolveLadder(settings.ladders, row.force_code, row.area_code).steps,
      adminFinalisationMonths: config.adminFinalisationMonths,
      isvas: read.isvas,
      victims: victimFacts(read.careEvents),
      hearings: read.hearings,
      court: read.court,
      materialRequests: read.materialRequests,
      materialAgreementAge: config.materialAgreementAge,
      modules: read.modules,
      offences: read.offences,
      tasks: read.tasks,
    }
  }

  /**
   * A section of a case for the case team only (digital evidence, disclosure): 404 outside scope, 403 for the
   * victim-support view, and one audit row with how many records were read.
   */
  async function caseTeamSection<T>(
    ctx: RequestContext,
    id: string,
    action: string,
    forbidden: string,
    read: () => Promise<T>,
    count: (detail: CaseDetail, record: T) => number,
    reads: PageReads,
  ) {
    const found = await visibleCase(ctx, id, action)
    const audited = { operation: 'consultation' as const, action, recordType: 'case', recordIds: [id] }
    if (!found.fullView) {
      await audit.record(ctx, { ...audited, outcome: 'forbidden' })
      throw new AppError(403, 'forbidden', forbidden)
    }
    const current = await calendar.current()
    const [caseDetail, events, record] = await Promise.all([
      detail(ctx, found.row, true, undefined, reads),
      cases.events(id),
      read(),
    ])
    await audit.record(ctx, { ...audited, resultCount: count(caseDetail, record) })
    return { found, current, caseDetail, events, record }
  }

  async function visibleCase(ctx: RequestContext, id: string, action: string) {
    const found = isUuid(id) ? await cases.findVisible(caseAccessRules(ctx.user), ctx.user.id, id) : undefined
    if (!found) {
      // Out of scope answers exactly as if the case did not exist; the attempt is still on the record.
      await audit.record(ctx, {
        operation: 'consultation',
        action,
        recordType: 'case',
        recordIds: [id.slice(0, 100)],
        outcome: 'not_found_or_out_of_scope',
      })
      throw notFound()
    }
    return found
  }

  async function detail(
    ctx: RequestContext,
    row: CaseRow,
    fullView: boolean,
    handle?: Kysely<Database>,
    reads?: PageReads,
  ): Promise<CaseDetail> {
    return (await detailAndParts(ctx, row, fullView, handle, reads)).detail
  }

  /** The case as its pages and the API show it, with the parts it was worked out from (read once). */
  async function detailAndParts(
    ctx: RequestContext,
    row: CaseRow,
    fullView: boolean,
    handle?: Kysely<Database>,
    reads: PageReads = { offences: fullView, tasks: fullView },
  ): Promise<{ detail: CaseDetail; parts: CaseParts }> {
    const parts = await partsOf(row, await calendar.current(), handle, reads)
    const { offences, tasks } = parts
    const people = peopleInView(ctx, fullView, parts)
    const view: CaseView = fullView ? 'full' : 'victim_support'
    const facts = factsOf(row, parts)
    const caseDetail: CaseDetail = {
      id: row.id,
      urn: row.urn,
      crimeReference: row.crime_reference,
      forceCode: row.force_code,
      areaCode: row.area_code,
      stage: row.stage as Stage,
      stageLabel: STAGE_LABELS[row.stage as Stage],
      version: row.version,
      reportedOn: row.reported_on,
      finalisedOn: row.finalised_on,
      finalOutcome: row.final_outcome,
      policeOutcomeCode: row.police_outcome_code,
      proposedOutcomeCode: fullView ? row.proposed_outcome_code : null,
      proposedBy: fullView ? row.proposed_by : null,
      flags: Object.fromEntries(FLAGS.map((f) => [f.key, row[f.column]])),
      restricted: row.restricted,
      view,
      people: people.map(personView),
      offences: offences.map((o) => ({
        id: o.id,
        code: o.code,
        name: o.name,
        committedFrom: o.committed_from,
        committedTo: o.committed_to,
      })),
      availableEvents: availableEvents(facts, actorOf(ctx))
        .filter((d) => fullView || d.isvaMayRecord)
        .map((d) => ({ type: d.type, title: d.title })),
      waitingFor: tasks.map((t) => ({
        kind: t.kind,
        label: TASK_KINDS[t.kind as TaskKindId]?.label ?? t.title,
        role: t.role,
        dueOn: t.due_on,
        overdue: t.due_on !== null && t.due_on < todayIso(),
        decision: DECISION_TASK_KINDS.includes(t.kind as TaskKindId),
      })),
      hearings: parts.hearings.map((h) => ({
        number: h.number,
        type: h.hearing_type,
        typeText: hearingTypeText(h.hearing_type),
        on: h.hearing_on,
        court: h.court,
        status: h.status,
        requestedBy: h.requested_by,
      })),
      ...courtView(parts.court, parts.hearings, fullView),
      ...requestsView(parts.materialRequests, people, fullView),
      ...(moduleViews(parts.modules, fullView) as Pick<CaseDetail, 'disclosureItems'>),
      actionPlan: fullView
        ? parts.actionItems.map((i) => ({
            number: i.number,
            description: i.description,
            owner: i.owner_role,
            dueOn: i.due_on,
            proportionality: i.proportionality,
            status: i.status,
            answeredOn: i.answered_on,
            proposedDueOn: i.proposed_due_on,
          }))
        : [],
    }
    return { detail: caseDetail, parts }
  }

  return {
    repos,
    audit,
    config,
    calendar,
    cases,
    partsOf,
    completeParts,
    caseTeamSection,
    visibleCase,
    detail,
    detailAndParts,
  }
}

export type CaseKernel = ReturnType<typeof caseKernel>
