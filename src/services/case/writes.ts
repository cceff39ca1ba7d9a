import { randomUUID } from 'node:crypto'
import { nullify, personColumns } from '../../domain/people'
import { type CaseFacts, REPORT_EVENT } from '../../core/event-model'
import { CalendarRangeError, type WorkingDayCalendar } from '../../core/calendar'
import type { EventDefinition } from '../../core/event-model'
import { type CaseStore } from './store'
import { tableWriteFor } from '../../modules/registry'
import { fieldErrors } from '../../core/fields'
import { type ReportInput } from '../../domain/report'
import { formatUrn } from '../../core/urn'
import { AppError, invalid } from '../errors'

/**
 * The rows a report writes: the case, its people and offences, and the first row of its timeline. One definition for
 * a report recorded by a person and for synthetic data written in bulk (services/generator.ts).
 */
export function reportRows(input: {
  id: string
  report: ReportInput
  force: { code: string; areaCode: string; urnCode: string }
  unit: string
  serial: number
  actor: { id: string; orgCode: string; role: string }
  createKey: string | null
  now: Date
  at?: Date
}) {
  const { id, report, now } = input
  const year = Number(report.reportedOn.slice(0, 4))
  const caseRow = {
    id,
    urn: formatUrn({ forceUrnCode: input.force.urnCode, unit: input.unit, serial: input.serial, year }),
    crime_reference: report.crimeReference,
    force_code: input.force.code,
    area_code: input.force.areaCode,
    stage: 'reported' as const,
    final_outcome: null,
    police_outcome_code: null,
    proposed_outcome_code: null,
    proposed_by: null,
    reported_on: report.reportedOn,
    finalised_on: null,
    vulnerable: report.flags.vulnerable ?? false,
    domestic_abuse: report.flags.domesticAbuse ?? false,
    non_recent: report.flags.nonRecent ?? false,
    child_at_time: report.flags.childAtTime ?? false,
    restricted: report.restricted,
    version: 1,
    created_by: input.actor.id,
    create_key: input.createKey,
    updated_at: now,
  }
  const people = [
    ...report.complainants.map((p) => ({ role: 'complainant' as const, data: p as Record<string, unknown> })),
    ...report.suspects.map((p) => ({ role: 'suspect' as const, data: p as Record<string, unknown> })),
  ].map(({ role, data }, index) => ({
    id: randomUUID(),
    case_id: id,
    role,
    // People are listed in the order the report gave them.
    created_at: new Date(now.getTime() + index),
    unknown: data.unknown === true,
    ...nullify(personColumns(data)),
  }))
  const offences = report.offences.map((o) => ({
    id: randomUUID(),
    case_id: id,
    code: o.code,
    committed_from: o.committedFrom,
    committed_to: o.committedTo ?? null,
  }))
  const event = {
    case_id: id,
    seq: 1,
    ...(input.at && { occurred_at: input.at }),
    type: REPORT_EVENT.type,
    definition_version: REPORT_EVENT.version,
    actor_id: input.actor.id,
    actor_role: input.actor.role,
    actor_org: input.actor.orgCode,
    summary: REPORT_EVENT.summary,
    data: JSON.stringify({
      crimeReference: report.crimeReference,
      reportedOn: report.reportedOn,
      flags: report.flags,
      restricted: report.restricted,
      offenceIds: offences.map((o) => o.id),
      complainantIds: people.filter((p) => p.role === 'complainant').map((p) => p.id),
      suspectIds: people.filter((p) => p.role === 'suspect').map((p) => p.id),
    }),
    stage_before: null,
    stage_after: 'reported',
    idempotency_key: input.createKey,
  }
  return { caseRow, people, offences, event }
}

/** What an event changes in the case's own tables besides the case row, through the store (decision 0027). */
export async function applySideEffects(
  store: CaseStore,
  type: string,
  caseId: string,
  data: Record<string, unknown>,
  event: {
    seq: number
    actorId: string
    calendar: WorkingDayCalendar
    facts: CaseFacts
    areaCode: string
    advocateWarningDays: number
  },
) {
  // Each module says what its events write (a map from event type to handler); most events write nothing more.
  await tableWriteFor(type)?.(store, caseId, data, event)
}

/** Why the service applies an event itself, under which key, as of which day (and, for synthetic data, when). */
export interface SystemWhy {
  purpose: string
  correlationId: string
  idempotencyKey: string
  today: string
  at?: Date
}

/** An event's data as its definition parses it, or a 400 naming each field. */
export function parseEventData(definition: EventDefinition, data: unknown): Record<string, unknown> {
  const parsed = definition.schema.safeParse(data)
  if (!parsed.success) throw invalid(fieldErrors(parsed.error, 'data'))
  return parsed.data as Record<string, unknown>
}

/** A deadline past the last known bank holiday year is the client's to fix (a nearer date, or a newer calendar). */
export function calendarProblem(error: unknown): never {
  if (error instanceof CalendarRangeError) throw new AppError(422, 'calendar_range', error.message)
  throw error
}

/** Two identical submissions racing each other: the loser hits a unique index, tries again and finds the winner's result. */
export async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return work()
    throw error
  }
}
