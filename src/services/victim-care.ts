import { z } from 'zod'
import type { Repositories } from '../data'
import { textSchema, todayIso } from '../domain/fields'
import type { Role } from '../domain/roles'
import { STAGE_LABELS, type Stage } from '../domain/stages'
import { CONTACT_ROLES } from '../domain/victim-care'
import { complainantWalkthrough } from '../domain/walkthrough'
import { VICTIM_CLOCK_RULES } from '../domain/victims-code'
import { addMonths, VRR_CLOCK_RULES, VRR_EVENTS, VRR_OUTER_MONTHS, vrrIneligible } from '../domain/vrr'
import type { AuditTrail } from './audit-trail'
import type { CasesService } from './cases'
import type { RequestContext } from './context'
import { AppError, invalid, notFound } from './errors'
import { fieldErrors } from '../domain/fields'

const VICTIM_RULE_IDS = [...VICTIM_CLOCK_RULES, ...VRR_CLOCK_RULES].map((r) => r.id)
const VRR_TYPES = VRR_EVENTS.map((d) => d.type)

/** Who may read and change a complainant's safe contact details: the people who contact them. */
export const SAFE_CONTACT_ROLES: readonly Role[] = CONTACT_ROLES

const optionalText = (name: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    textSchema({ label: name, name }, max).optional(),
  )

export const safeContactSchema = z
  .strictObject(
    {
      phone: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z
          .string({ error: 'Enter the phone number as text' })
          .trim()
          .regex(/^\+?[0-9 ()-]{7,20}$/, { error: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982' })
          .optional(),
      ),
      email: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z
          .string({ error: 'Enter the email address as text' })
          .trim()
          .max(254, { error: 'The email address must be 254 characters or fewer' })
          .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))
          .optional(),
      ),
      address: optionalText('the address', 500),
      notes: optionalText('the notes', 1000),
    },
    { error: 'Send an object with the fields of this form' },
  )
  .refine((d) => d.phone !== undefined || d.email !== undefined || d.address !== undefined, {
    error: 'Enter at least one way to reach them safely: a phone number, an email address or an address',
    path: ['phone'],
  })
export type SafeContactInput = z.infer<typeof safeContactSchema>

type Data = Record<string, unknown>

/**
 * The victim care module's reads: for each complainant the caller may see, their Victims' Code entitlements, contact
 * preferences, needs, support and ISVA, special measures, withdrawal of support, contact log and ISVA notes.
 * Everything comes from the case's timeline, so nothing here can disagree with it.
 */
export function victimCareService(repos: Repositories, audit: AuditTrail, cases: CasesService) {
  async function safeContactAllowed(ctx: RequestContext, id: string, personId: string, action: string) {
    const record = await cases.victimRecord(ctx, id, action)
    const person = record.people.find((p) => p.id === personId && p.role === 'complainant')
    const allowed = record.fullView && ctx.user.roles.some((r) => SAFE_CONTACT_ROLES.includes(r))
    if (!person || !allowed) {
      await audit.record(ctx, {
        operation: 'consultation',
        action,
        recordType: 'case',
        recordIds: [id],
        outcome: person ? 'forbidden' : 'not_found_or_out_of_scope',
      })
      if (!person) throw notFound()
      throw new AppError(
        403,
        'forbidden',
        'Only the officer, their supervisor and witness care see safe contact details',
      )
    }
    return { record, person }
  }

  return {
    /** The ISVAs who can be assigned (every active ISVA), and whether each is already on the case. */
    async isvaChoices(caseId: string) {
      const [all, assigned] = await Promise.all([
        repos.db
          .selectFrom('users as u')
          .innerJoin('user_roles as r', 'r.user_id', 'u.id')
          .innerJoin('organisations as o', 'o.code', 'u.org_code')
          .select(['u.id', 'u.name', 'o.name as orgName'])
          .where('r.role', '=', 'isva')
          .where('u.active', '=', true)
          .orderBy('u.name')
          .execute(),
        repos.cases.isvas(caseId),
      ])
      return all.map((u) => ({
        id: u.id,
        label: `${u.name}, ${u.orgName}`,
        assigned: assigned.some((a) => a.userId === u.id),
      }))
    },

    async overview(ctx: RequestContext, id: string) {
      const record = await cases.victimRecord(ctx, id, 'view_victim_care')
      const { row, fullView } = record
      const events = [...record.events].reverse()
      // Null past the last year of known bank holidays, never a guess.
      const workingDaysAfter = (from: string, days: number) => {
        try {
          return record.calendar.addWorkingDays(from, days).due
        } catch {
          return null
        }
      }
      const mayContact = fullView && ctx.user.roles.some((r) => SAFE_CONTACT_ROLES.includes(r))
      const safe = mayContact
        ? await repos.db.selectFrom('safe_contact_details').select('person_id').where('case_id', '=', id).execute()
        : []
      const complainants = record.people
        .filter((p) => p.role === 'complainant')
        .map((p) => {
          const about = events.filter((e) => (e.data as Data).complainantId === p.id)
          const latest = (type: string) => {
            const e = about.findLast((x) => x.type === type)
            return e ? { ...(e.data as Data), recordedOn: todayIso(e.occurred_at), by: e.actor_name } : null
          }
          const clocks = record.clocks.filter((k) => VICTIM_RULE_IDS.includes(k.ruleId) && k.key === p.id)
          return {
            id: p.id,
            name: p.name,
            // Every complainant of a sexual offence has enhanced rights (Victims' Code 2020).
            enhancedRights: true,
            entitlements: clocks.map((k) => ({
              ruleId: k.ruleId,
              name: k.name,
              source: k.source,
              startedBy: k.startedBy,
              from: k.from,
              due: k.due,
              status: k.status,
              late: k.late,
              stoppedBy: k.stoppedBy,
              explanation: k.explanation,
            })),
            preferences: latest('set_contact_preferences'),
            needs: latest('record_needs_assessment'),
            referrals: about
              .filter((e) => e.type === 'refer_to_support')
              .map((e) => ({ ...(e.data as Data), recordedOn: todayIso(e.occurred_at), by: e.actor_name })),
            isvas: record.isvas
              .filter((i) => i.complainantId === p.id || i.complainantId === null)
              .map((i) => ({ userId: i.userId, name: i.name, organisation: i.orgName })),
            specialMeasures: {
              eligibility: latest('record_special_measures'),
              application: latest('apply_special_measures'),
              ruling: latest('record_special_measures_ruling'),
              meeting: latest('record_special_measures_meeting'),
            },
            withdrawal: latest('record_withdrawal_of_support'),
            review: {
              // Which schemes the complainant may use now, and the request in progress.
              schemes: (['police', 'cps'] as const).filter((scheme) => vrrIneligible(record.facts, scheme) === null),
              inProgress: record.facts.victims.vrr.find((r) => r.complainantId === p.id) ?? null,
              history: about
                .filter((e) => VRR_TYPES.includes(e.type))
                .map((e) => {
                  const data = e.data as Data
                  const told = typeof data.toldOn === 'string' ? data.toldOn : null
                  return {
                    type: e.type,
                    summary: e.summary,
                    data,
                    recordedOn: todayIso(e.occurred_at),
                    by: e.actor_name,
                    // The window the request was made in: CPS normally 10 working days, and 3 months at most.
                    window:
                      e.type === 'request_vrr' && told
                        ? {
                            normallyBy: data.scheme === 'cps' ? workingDaysAfter(told, 10) : null,
                            latest: addMonths(told, VRR_OUTER_MONTHS),
                          }
                        : null,
                  }
                }),
            },
            contacts: about
              .filter((e) => e.type === 'record_victim_contact')
              .reverse()
              .map((e) => {
                const data = e.data as Data
                return {
                  seq: e.seq,
                  contactedOn: String(data.contactedOn),
                  channel: String(data.channel),
                  direction: String(data.direction),
                  summary: String(data.summary),
                  by: e.actor_name,
                  byRole: e.actor_role,
                  recordedOn: todayIso(e.occurred_at),
                  met: clocks
                    .filter((k) => k.stoppedBy?.seq === e.seq && k.status === 'met')
                    .map((k) => ({ ruleId: k.ruleId, name: k.name, late: k.late })),
                }
              }),
            notes: about
              .filter((e) => e.type === 'record_isva_note')
              .reverse()
              .map((e) => ({
                seq: e.seq,
                kind: String((e.data as Data).kind),
                note: String((e.data as Data).note),
                by: e.actor_name,
                on: todayIso(e.occurred_at),
              })),
            safeContactDetails: { canView: mayContact, recorded: safe.some((s) => s.person_id === p.id) },
          }
        })
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_victim_care',
        recordType: 'case',
        recordIds: [id],
        resultCount: complainants.length,
      })
      return {
        case: {
          id,
          urn: row.urn,
          stage: row.stage as Stage,
          stageLabel: STAGE_LABELS[row.stage as Stage],
          version: row.version,
          view: fullView ? ('full' as const) : ('victim_support' as const),
        },
        complainants,
      }
    },

    /** The walkthrough for one complainant, from their case's timeline: what the complainant may be told, nothing else. */
    async walkthrough(ctx: RequestContext, id: string, personId: string) {
      const record = await cases.victimRecord(ctx, id, 'view_walkthrough')
      const person = record.people.find((p) => p.id === personId && p.role === 'complainant')
      if (!person) {
        await audit.record(ctx, {
          operation: 'consultation',
          action: 'view_walkthrough',
          recordType: 'case',
          recordIds: [id],
          outcome: 'not_found_or_out_of_scope',
        })
        throw notFound()
      }
      const officer = await repos.db
        .selectFrom('users')
        .select('name')
        .where('id', '=', record.row.created_by)
        .executeTakeFirst()
      const stage = record.row.stage as Stage
      const contacts = [
        ...(officer ? [{ role: 'Officer in charge of your case', name: officer.name }] : []),
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
      })
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_walkthrough',
        recordType: 'person',
        recordIds: [id, personId],
      })
      return {
        case: { id, urn: record.row.urn, stage, version: record.row.version },
        complainant: { id: person.id, name: person.name },
        crimeReference: record.row.crime_reference,
        ...result,
      }
    },

    /** A complainant's safe contact details: only for the contact roles with the full view; every read audited. */
    async safeContact(ctx: RequestContext, id: string, personId: string) {
      const { record, person } = await safeContactAllowed(ctx, id, personId, 'view_safe_contact_details')
      const details = await repos.db
        .selectFrom('safe_contact_details as s')
        .innerJoin('users as u', 'u.id', 's.updated_by')
        .select(['s.phone', 's.email', 's.address', 's.notes', 's.updated_at', 'u.name as updatedBy'])
        .where('s.person_id', '=', personId)
        .executeTakeFirst()
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_safe_contact_details',
        recordType: 'person',
        recordIds: [id, personId],
        resultCount: details ? 1 : 0,
      })
      return {
        case: { id, urn: record.row.urn, stage: record.row.stage as Stage, version: record.row.version },
        complainant: { id: person.id, name: person.name },
        details: details
          ? {
              phone: details.phone,
              email: details.email,
              address: details.address,
              notes: details.notes,
              updatedAt: details.updated_at.toISOString(),
              updatedBy: details.updatedBy,
            }
          : null,
      }
    },

    async setSafeContact(ctx: RequestContext, id: string, personId: string, body: unknown) {
      await safeContactAllowed(ctx, id, personId, 'change_safe_contact_details')
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw invalid({ body: 'Send an object with the fields of this form' })
      const parsed = safeContactSchema.safeParse(body)
      if (!parsed.success) throw invalid(fieldErrors(parsed.error))
      const values = {
        phone: parsed.data.phone ?? null,
        email: parsed.data.email ?? null,
        address: parsed.data.address ?? null,
        notes: parsed.data.notes ?? null,
        updated_by: ctx.user.id,
        updated_at: new Date(),
      }
      await repos.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('safe_contact_details')
          .values({ person_id: personId, case_id: id, ...values })
          .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
          .execute()
        await audit.record(
          ctx,
          {
            operation: 'alteration',
            action: 'change_safe_contact_details',
            recordType: 'person',
            recordIds: [id, personId],
          },
          trx,
        )
      })
    },
  }
}

export type VictimCareService = ReturnType<typeof victimCareService>
