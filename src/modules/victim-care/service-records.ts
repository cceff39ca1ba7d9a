import { VICTIM_EVENT_TYPES } from './'
import { availableEvents } from '../registry'
import { COMPLAINANT_CLOCK_IDS } from '../registry'
import { todayIso } from '../../core/fields'
import { LETTER_TEMPLATES } from './letters'
import { CONTACT_ROLES } from './rules'
import { addMonths, VRR_OUTER_MONTHS, vrrIneligible } from './vrr'
import type { RequestContext } from '../../services/context'
import { invalid } from '../../services/errors'
import { fieldErrors } from '../../core/fields'
import { VRR_TYPES, safeContactSchema, type Data, workingDaysAfter } from './inputs'
import type { VictimCareKernel } from './service-kernel'

/** A case's victim care: the record, ISVA choices, a complainant's walkthrough and safe contact details. */
export function victimRecords(kernel: VictimCareKernel) {
  const { repos, audit, cases, complainantOnCase, officerOf, caseOf, walkthroughOf, safeContactAllowed } = kernel

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
      const { fullView } = record
      const events = [...record.events].reverse()
      const mayContact = fullView && ctx.user.roles.some((r) => CONTACT_ROLES.includes(r))
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
          const clocks = record.clocks.filter((k) => COMPLAINANT_CLOCK_IDS.includes(k.ruleId) && k.key === p.id)
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
            requestsTold: record.requestsTold.filter((r) => r.personId === p.id),
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
                            normallyBy: data.scheme === 'cps' ? workingDaysAfter(record.calendar, told, 10) : null,
                            latest: addMonths(told, VRR_OUTER_MONTHS),
                          }
                        : null,
                  }
                }),
            },
            // Every contact, newest first: those recorded, and letters sent (a letter's summary is its subject).
            contacts: about
              .filter((e) => e.type === 'record_victim_contact' || e.type === 'send_victim_letter')
              .reverse()
              .map((e) => {
                const data = e.data as Data
                const letter = e.type === 'send_victim_letter'
                return {
                  seq: e.seq,
                  contactedOn: letter ? todayIso(e.occurred_at) : String(data.contactedOn),
                  channel: letter ? (data.channel === 'email' ? 'letter_email' : 'letter_post') : String(data.channel),
                  direction: letter ? 'to_victim' : String(data.direction),
                  summary: letter ? `Letter: ${String(data.subject)}` : String(data.summary),
                  by: e.actor_name,
                  byRole: e.actor_role,
                  recordedOn: todayIso(e.occurred_at),
                  met: clocks
                    .filter((k) => k.stoppedBy?.seq === e.seq && k.status === 'met')
                    .map((k) => ({ ruleId: k.ruleId, name: k.name, late: k.late })),
                }
              }),
            letters: about
              .filter((e) => e.type === 'send_victim_letter')
              .reverse()
              .map((e) => ({
                seq: e.seq,
                template: String((e.data as Data).template),
                title: e.summary.replace(/^Letter sent: /, ''),
                channel: String((e.data as Data).channel),
                sentOn: todayIso(e.occurred_at),
                by: e.actor_name,
              })),
            canWrite: mayContact,
            letterTemplates: mayContact
              ? LETTER_TEMPLATES.filter((t) => t.unavailable(record.facts, p.id) === null).map((t) => ({
                  id: t.id,
                  title: t.title,
                }))
              : [],
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
      // What the caller may record here: the victim care events open to them now (letters have their own page).
      const actor = { id: ctx.user.id, roles: ctx.user.roles, orgCode: ctx.user.orgCode }
      const actions = availableEvents(record.facts, actor)
        .filter((d) => VICTIM_EVENT_TYPES.has(d.type) && !d.serviceOnly && (fullView || d.isvaMayRecord))
        .map((d) => ({ type: d.type, title: d.title, aboutComplainant: 'complainantId' in d.fields }))
      return { case: caseOf(record), actions, complainants }
    },

    /** The walkthrough for one complainant, from their case's timeline: what the complainant may be told, nothing else. */
    async walkthrough(ctx: RequestContext, id: string, personId: string) {
      const { record, person } = await complainantOnCase(ctx, id, personId, 'view_walkthrough')
      const { result } = walkthroughOf(record, personId, await officerOf(record))
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'view_walkthrough',
        recordType: 'person',
        recordIds: [id, personId],
      })
      return {
        case: caseOf(record),
        complainant: { id: person.id, name: person.name },
        crimeReference: record.row.crime_reference,
        canSend: record.fullView && ctx.user.roles.some((r) => CONTACT_ROLES.includes(r)),
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
        case: caseOf(record),
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
