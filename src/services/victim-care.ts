import { VICTIM_EVENT_TYPES } from '../modules/victim-care'
import { availableEvents } from '../modules/registry'
import { clockRule, COMPLAINANT_CLOCK_IDS } from '../modules/registry'
import { DATA_CATEGORIES, MATERIAL } from '../modules/digital/rules'
import { z } from 'zod'
import type { Repositories } from '../data'
import type { Config } from '../config'
import type { WorkingDayCalendar } from '../core/calendar'
import { textSchema, todayIso } from '../core/fields'
import {
  checkLetter,
  longDate,
  LETTER_TEMPLATES,
  type LetterTemplate,
  type LetterTemplateId,
  type LetterValues,
} from '../modules/victim-care/letters'
import { STAGE_LABELS, type Stage } from '../core/stages'
import { CONTACT_ROLES, optionText } from '../modules/victim-care/rules'
import { complainantWalkthrough, walkthroughText } from '../modules/victim-care/walkthrough'
import { addMonths, VRR_EVENTS, VRR_OUTER_MONTHS, vrrIneligible } from '../modules/victim-care/vrr'
import type { AuditTrail } from './audit-trail'
import type { CasesService } from './cases'
import type { RequestContext } from './context'
import { AppError, invalid, notFound } from './errors'
import { fieldErrors } from '../core/fields'

const VRR_TYPES = VRR_EVENTS.map((d) => d.type)

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

/** A working-day due date, or null past the last year of known bank holidays (never a guess). */
function workingDaysAfter(calendar: WorkingDayCalendar, from: string, days: number): string | null {
  try {
    return calendar.addWorkingDays(from, days).due
  } catch {
    return null
  }
}

/**
 * The victim care module's reads: for each complainant the caller may see, their Victims' Code entitlements, contact
 * preferences, needs, support and ISVA, special measures, withdrawal of support, contact log and ISVA notes.
 * Everything comes from the case's timeline, so nothing here can disagree with it.
 */
export const letterInputSchema = z.strictObject(
  {
    complainantId: z.uuid({ error: 'Select the complainant' }),
    template: z.enum(LETTER_TEMPLATES.map((t) => t.id) as [LetterTemplateId, ...LetterTemplateId[]], {
      error: `Select a letter: ${LETTER_TEMPLATES.map((t) => t.id).join(', ')}`,
    }),
    channel: z.enum(['email', 'post'], { error: 'Select how to send it: email or post' }),
    subject: textSchema({ label: 'Subject', name: 'the subject' }, 200),
    body: textSchema({ label: 'Letter', name: 'the letter' }, 10000),
    expectedVersion: z
      .number({ error: 'Enter expectedVersion as a whole number' })
      .int({ error: 'Enter expectedVersion as a whole number' })
      .min(1, { error: 'Enter expectedVersion as a whole number' }),
    idempotencyKey: z.string().max(200, { error: 'idempotencyKey must be 200 characters or fewer' }).optional(),
  },
  { error: 'Send an object with the fields of this form' },
)

export function victimCareService(repos: Repositories, audit: AuditTrail, cases: CasesService, config: Config) {
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
    /** The templates a complainant can be sent now, each merged from the case, with its checks. */
    async letterDrafts(ctx: RequestContext, id: string, personId: unknown) {
      await cases.requireInScope(ctx, id, 'draft_letter')
      if (typeof personId !== 'string' || personId === '')
        throw new AppError(400, 'invalid_input', 'Name the complainant', { complainantId: 'Send complainantId' })
      const { record, person, values, forbidden, own } = await letterContext(ctx, id, personId, 'draft_letter')
      await audit.record(ctx, {
        operation: 'consultation',
        action: 'draft_letter',
        recordType: 'person',
        recordIds: [id, personId],
      })
      return {
        case: caseOf(record),
        complainant: { id: person.id, name: person.name },
        minimum: config.letterMinReadingEase,
        templates: LETTER_TEMPLATES.map((t) => {
          const unavailable = t.unavailable(record.facts, personId)
          const draft = draftOf(t, values)
          return {
            id: t.id,
            title: t.title,
            unavailable,
            draft,
            check: checkLetter(draft, config.letterMinReadingEase, forbidden, own),
          }
        }),
      }
    },

    /** Checks an edited letter without sending it. */
    async checkLetter(ctx: RequestContext, id: string, personId: string, letter: { subject: string; body: string }) {
      const { forbidden, own } = await letterContext(ctx, id, personId, 'draft_letter')
      return checkLetter(letter, config.letterMinReadingEase, forbidden, own)
    },

    /**
     * Sends a letter: checked (400 names the field), then recorded on the timeline exactly as sent (meeting the
     * entitlements its template tells about) and, by email, queued in the outbox for the complainant's safe address.
     */
    async sendLetter(ctx: RequestContext, id: string, body: unknown) {
      // Scope first: what the checks below find (a safe email address on file) must not answer a caller out of scope.
      await cases.requireInScope(ctx, id, 'send_letter')
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw invalid({ body: 'Send an object with the fields of this form' })
      const parsed = letterInputSchema.safeParse(body)
      const fields: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error)
      // Every problem at once: the letter's own checks run whenever there is a letter to check.
      const raw = body as Record<string, unknown>
      const complainantId = typeof raw.complainantId === 'string' ? raw.complainantId : ''
      // Who may send letters, and to whom, is checked before anything about the complainant is looked up.
      let mayWrite = false
      if (z.uuid().safeParse(complainantId).success) {
        const { forbidden, own } = await letterContext(ctx, id, complainantId, 'send_letter')
        mayWrite = true
        if (typeof raw.subject === 'string' && typeof raw.body === 'string') {
          const check = checkLetter(
            { subject: raw.subject, body: raw.body },
            config.letterMinReadingEase,
            forbidden,
            own,
          )
          for (const p of check.problems) fields[p.field] ??= p.message
        }
      }
      if (raw.channel === 'email' && mayWrite && !fields.complainantId) {
        const safe = await repos.db
          .selectFrom('safe_contact_details')
          .select('email')
          .where('person_id', '=', complainantId)
          .where('case_id', '=', id)
          .executeTakeFirst()
        if (!safe?.email) fields.channel = 'There is no safe email address for them: add one, or send it by post'
      }
      if (!parsed.success || Object.keys(fields).length > 0) throw invalid(fields)
      const input = parsed.data
      const result = await cases.applyEvent(
        ctx,
        id,
        {
          type: 'send_victim_letter',
          data: {
            complainantId: input.complainantId,
            template: input.template,
            channel: input.channel,
            subject: input.subject,
            body: input.body,
          },
          expectedVersion: input.expectedVersion,
          idempotencyKey: input.idempotencyKey,
        },
        true,
      )
      return { seq: result.seq, replayed: result.replayed, detail: result.detail }
    },

    /** A sent letter, exactly as sent, with its delivery state. */
    async letter(ctx: RequestContext, id: string, seq: number) {
      const record = await cases.victimRecord(ctx, id, 'view_letter')
      const event = record.events.find((e) => e.seq === seq && e.type === 'send_victim_letter')
      const data = (event?.data ?? {}) as Data
      if (!event || !record.people.some((p) => p.id === data.complainantId)) throw notFound()
      const outbox = await repos.db
        .selectFrom('notification_outbox')
        .select(['sent_at', 'attempts', 'last_error'])
        .where('case_id', '=', id)
        .where('event_seq', '=', seq)
        .executeTakeFirst()
      await audit.record(ctx, { operation: 'consultation', action: 'view_letter', recordType: 'case', recordIds: [id] })
      return {
        case: caseOf(record),
        seq,
        complainantId: String(data.complainantId),
        template: String(data.template),
        channel: String(data.channel),
        subject: String(data.subject),
        body: String(data.body),
        sentOn: todayIso(event.occurred_at),
        sentBy: event.actor_name,
        delivery:
          data.channel === 'post'
            ? { state: 'to_post' as const }
            : outbox?.sent_at
              ? { state: 'sent' as const, at: outbox.sent_at.toISOString() }
              : { state: 'waiting' as const, attempts: outbox?.attempts ?? 0, error: outbox?.last_error ?? null },
      }
    },

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

export type VictimCareService = ReturnType<typeof victimCareService>
