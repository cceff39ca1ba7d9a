import { clockRule } from '../registry'
import { DATA_CATEGORIES, MATERIAL } from '../digital/rules'
import type { Repositories } from '../../data'
import type { Config } from '../../config'
import { todayIso } from '../../core/fields'
import { longDate, type LetterTemplate, type LetterValues } from './letters'
import { STAGE_LABELS, type Stage } from '../../core/stages'
import { CONTACT_ROLES, optionText } from './rules'
import { complainantWalkthrough, walkthroughText } from './walkthrough'
import { addMonths, VRR_OUTER_MONTHS, vrrIneligible } from './vrr'
import type { AuditTrail } from '../../services/audit-trail'
import type { CasesService } from '../../services/case'
import type { RequestContext } from '../../services/context'
import { AppError, notFound } from '../../services/errors'
import { type Data, workingDaysAfter } from './inputs'

/** What the victim care use cases share: finding a complainant in scope, a letter's context, the walkthrough. */
export function victimCareKernel(repos: Repositories, audit: AuditTrail, cases: CasesService, config: Config) {
  /**
   * A complainant on a case in the caller's scope, or 404 (audited). With `onlyContactRoles`, only the roles that
   * contact complainants with the full view get through; anyone else is refused with that message (403, audited).
   */
  async function complainantOnCase(
    ctx: RequestContext,
    id: string,
    personId: string,
    action: string,
    onlyContactRoles?: string,
  ) {
    const record = await cases.victimRecord(ctx, id, action)
    const person = record.people.find((p) => p.id === personId && p.role === 'complainant')
    const allowed = !onlyContactRoles || (record.fullView && ctx.user.roles.some((r) => CONTACT_ROLES.includes(r)))
    if (!person || !allowed) {
      await audit.record(ctx, {
        operation: 'consultation',
        action,
        recordType: 'case',
        recordIds: [id],
        outcome: person ? 'forbidden' : 'not_found_or_out_of_scope',
      })
      if (!person) throw notFound()
      throw new AppError(403, 'forbidden', onlyContactRoles!)
    }
    return { record, person }
  }

  /** A letter's merge values and the details it must never contain, for one complainant on a case in scope. */
  async function letterContext(ctx: RequestContext, id: string, personId: string, action: string) {
    const { record, person } = await complainantOnCase(
      ctx,
      id,
      personId,
      action,
      'Letters are sent by the officer, their supervisor or witness care',
    )
    const officer = await officerOf(record)
    const walkthrough = walkthroughOf(record, personId, officer)
    const events = [...record.events].reverse()
    const decision = events.findLast(
      (e) =>
        (e.type === 'record_charging_decision' && (e.data as Data).outcome !== undefined) ||
        e.type === 'sign_off_police_outcome',
    )
    const schemes = (['police', 'cps'] as const).filter((scheme) => vrrIneligible(record.facts, scheme) === null)
    const decisionOn = decision ? todayIso(decision.occurred_at) : null
    const normallyBy = schemes.includes('cps') && decisionOn ? workingDaysAfter(record.calendar, decisionOn, 10) : null
    const isva = record.isvas.find((i) => i.complainantId === personId || i.complainantId === null)
    const values: LetterValues = {
      name: person.name ?? 'Sir or Madam',
      crimeReference: record.row.crime_reference,
      officer: officer ?? 'The officer in charge of your case',
      today: longDate(todayIso()),
      decisionDate: decisionOn ? longDate(decisionOn) : null,
      decidedBy: !decision
        ? null
        : decision.type === 'sign_off_police_outcome'
          ? 'the police'
          : 'the Crown Prosecution Service (CPS)',
      isva: isva ? `${isva.name} (${isva.orgName})` : null,
      review:
        schemes.length && decisionOn
          ? {
              by: longDate(addMonths(decisionOn, VRR_OUTER_MONTHS)),
              normallyBy: normallyBy ? longDate(normallyBy) : null,
            }
          : null,
      walkthroughUrl: `${config.publicUrl}/walkthrough`,
      walkthrough: walkthrough.text,
      request: await requestToNotify(record, id, personId),
    }
    // Nothing about anyone else on the case: other complainants' and witnesses' names, the suspect's date of birth.
    const all = await repos.cases.people(id)
    const forbidden = all
      .filter((p) => p.id !== personId)
      .flatMap((p) =>
        p.role === 'suspect'
          ? p.date_of_birth
            ? [p.date_of_birth, longDate(p.date_of_birth)]
            : []
          : p.name
            ? [p.name]
            : [],
      )
    return { record, person, values, forbidden, own: person.name ? [person.name] : [] }
  }

  /** Their latest request approved and waiting for written notice, in the letter's plain words. */
  async function requestToNotify(record: VictimRecord, id: string, personId: string): Promise<LetterValues['request']> {
    const request = record.facts.materialRequests.findLast((r) => r.personId === personId && r.state === 'approved')
    if (!request) return null
    const [rows, { scopes }] = await Promise.all([repos.cases.materialRequests(id), repos.cases.materialRecord(id)])
    const row = rows.find((r) => r.number === request.number)!
    const scope = scopes.findLast((s) => s.request_number === request.number)!
    const rule = clockRule('device_return')!
    const days = record.clockOverrides.device_return ?? ('days' in rule.due ? rule.due.days : 1)
    return {
      what: optionText(MATERIAL, row.material).replace(/^./, (c) => `Your ${c.toLowerCase()}`),
      from: longDate(scope.date_from),
      to: longDate(scope.date_to),
      kinds: scope.categories.length
        ? scope.categories.map((c) => optionText(DATA_CATEGORIES, c).toLowerCase()).join(', ')
        : null,
      contacts: scope.contacts,
      holder: row.holder,
      device: request.kind === 'device',
      daysWithout: days,
    }
  }

  function draftOf(template: LetterTemplate, values: LetterValues) {
    return { subject: template.subject(values), body: template.body(values) }
  }
  type VictimRecord = Awaited<ReturnType<CasesService['victimRecord']>>

  /** The officer in the case: the officer who recorded the report. */
  async function officerOf(record: VictimRecord) {
    const officer = await repos.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', record.row.created_by)
      .executeTakeFirst()
    return officer?.name ?? null
  }

  /** What every victim care page shows of the case itself: its header, and whose view it is. */
  const caseOf = (record: VictimRecord) => ({
    id: record.row.id,
    urn: record.row.urn,
    stage: record.row.stage as Stage,
    stageLabel: STAGE_LABELS[record.row.stage as Stage],
    version: record.row.version,
    view: record.fullView ? ('full' as const) : ('victim_support' as const),
  })

  /** A complainant's walkthrough of their own case, and the same as plain text for a letter. */
  function walkthroughOf(record: VictimRecord, personId: string, officer: string | null) {
    const stage = record.row.stage as Stage
    const contacts = [
      ...(officer ? [{ role: 'Officer in charge of your case', name: officer }] : []),
      ...record.isvas
        .filter((i) => i.complainantId === personId || i.complainantId === null)
        .map((i) => ({ role: 'Your ISVA', name: `${i.name}, ${i.orgName}` })),
      ...(stage === 'charged' ? [{ role: 'About court', name: 'The Witness Care Unit' }] : []),
    ]
    const result = complainantWalkthrough({
      stage,
      complainantId: personId,
      events: [...record.events].reverse().map((e) => ({
        seq: e.seq,
        type: e.type,
        occurredOn: todayIso(e.occurred_at),
        data: e.data as Data,
      })),
      clocks: record.clocks,
      reviewSchemes: (['police', 'cps'] as const).filter((scheme) => vrrIneligible(record.facts, scheme) === null),
      contacts,
      requests: record.facts.materialRequests.map((r) => ({ number: r.number, personId: r.personId })),
    })
    return { result, text: walkthroughText(result) }
  }

  const safeContactAllowed = (ctx: RequestContext, id: string, personId: string, action: string) =>
    complainantOnCase(
      ctx,
      id,
      personId,
      action,
      'Only the officer, their supervisor and witness care see safe contact details',
    )

  return {
    repos,
    audit,
    cases,
    config,
    complainantOnCase,
    letterContext,
    requestToNotify,
    draftOf,
    officerOf,
    caseOf,
    walkthroughOf,
    safeContactAllowed,
  }
}

export type VictimCareKernel = ReturnType<typeof victimCareKernel>
