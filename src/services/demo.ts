import { randomBytes } from 'node:crypto'
import { todayIso } from '../core/fields'
import type { Role } from '../core/roles'
import type { AuthUser, RequestContext } from './context'
import type { Services } from './index'
import { moduleDemos } from '../modules/registry'

/** Two forces in two CPS areas, with their witness care units and ISVA services; 16 cases each, one per state. */
export const DEMO_SIDES = [
  {
    key: 'avon',
    force: 'avon-and-somerset',
    area: 'cps-south-west',
    wcu: 'wcu-avon-and-somerset',
    isva: 'isva-south-west',
  },
  {
    key: 'thames',
    force: 'thames-valley',
    area: 'cps-thames-and-chiltern',
    wcu: 'wcu-thames-valley',
    isva: 'isva-thames-valley',
  },
] as const

const ROLE_HOME: Record<Role, 'force' | 'area' | 'wcu' | 'isva' | 'service'> = {
  investigator: 'force',
  police_supervisor: 'force',
  police_inspector: 'force',
  prosecutor: 'area',
  cps_unit_head: 'area',
  witness_care: 'wcu',
  isva: 'isva',
  scrutiny_panel: 'area',
  analyst: 'area',
  admin: 'service',
}

export const demoEmail = (role: Role, side: string) => `${role.replace(/_/g, '-')}.${side}@casebridge.example`

export function demoUsers(): { email: string; name: string; role: Role; side: string; org: string }[] {
  return DEMO_SIDES.flatMap((side) => {
    const place = side.key === 'avon' ? 'Avon' : 'Thames'
    const users = (Object.keys(ROLE_HOME) as Role[]).map((role) => {
      const home = ROLE_HOME[role]
      const org =
        home === 'force'
          ? side.force
          : home === 'area'
            ? side.area
            : home === 'wcu'
              ? side.wcu
              : home === 'isva'
                ? side.isva
                : 'casebridge-service'
      const name = `${role.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())} (${place}) demo`
      return { email: demoEmail(role, side.key), name, role, side: side.key, org }
    })
    // A second supervisor, so one can propose an outcome and another sign it off.
    users.push({
      email: `police-supervisor-2.${side.key}@casebridge.example`,
      name: `Second police supervisor (${place}) demo`,
      role: 'police_supervisor',
      side: side.key,
      org: side.force,
    })
    return users
  })
}

function daysAgo(days: number): string {
  const date = new Date(`${todayIso()}T12:00:00Z`)
  date.setUTCDate(date.getUTCDate() - days)
  return date.toISOString().slice(0, 10)
}

/**
 * Loads the demonstration organisations, users and cases through the real services, so every case has a
 * real timeline and audit trail. Returns the password used (generated unless given).
 */
export async function loadDemo(
  services: Services,
  password?: string,
): Promise<{ password: string; generated: boolean; cases: number }> {
  const existing = await services.accounts.byEmail(demoEmail('investigator', 'avon'))
  if (existing) throw new Error('The demonstration data is already loaded')
  const generated = !password
  const demoPassword = password ?? randomBytes(12).toString('base64url')
  const ref = services.repos.reference
  for (const side of DEMO_SIDES) {
    const label = side.key === 'avon' ? 'Avon and Somerset' : 'Thames Valley'
    await ref.insertOrganisation({
      code: side.wcu,
      name: `${label} Witness Care Unit`,
      kind: 'witness_care_unit',
      urnCode: null,
      source: 'Demonstration data',
    })
    await ref.addCoverage(side.wcu, side.force)
    await ref.insertOrganisation({
      code: side.isva,
      name: `${side.key === 'avon' ? 'South West' : 'Thames Valley'} ISVA Service`,
      kind: 'isva_service',
      urnCode: null,
      source: 'Demonstration data',
    })
  }
  const users = new Map<string, AuthUser>()
  // Password hashing dominates; argon2 runs on the libuv pool, so hash in parallel.
  const added = await Promise.all(
    demoUsers().map((u) =>
      services.accounts.addUser(null, {
        email: u.email,
        name: u.name,
        orgCode: u.org,
        roles: [u.role],
        password: demoPassword,
      }),
    ),
  )
  for (const user of added) users.set(user.email, user)
  const ctx = (email: string): RequestContext => ({
    user: users.get(email)!,
    purpose: 'Loading demonstration data',
    correlationId: 'demo',
  })

  let count = 0
  for (const side of DEMO_SIDES) {
    const inv = ctx(demoEmail('investigator', side.key))
    const sup = ctx(demoEmail('police_supervisor', side.key))
    const pros = ctx(demoEmail('prosecutor', side.key))
    const prefix = side.key === 'avon' ? '52' : '43'
    const report = async (
      n: number,
      days: number,
      options: { code?: string; suspectUnknown?: boolean; restricted?: boolean; flags?: Record<string, boolean> } = {},
    ) => {
      count++
      const { detail } = await services.cases.recordReport(inv, {
        crimeReference: `${prefix}/${String(10000 + n * 37)}/${daysAgo(days).slice(2, 4)}`,
        reportedOn: daysAgo(days),
        offences: [{ code: options.code ?? '19C', committedFrom: daysAgo(days + 3) }],
        complainants: [
          {
            name: `Demo Complainant ${side.key.toUpperCase()}-${n}`,
            sex: n % 3 === 0 ? 'male' : 'female',
            ageBand: n % 4 === 0 ? '16_17' : '25_34',
          },
        ],
        suspects: options.suspectUnknown
          ? [{ unknown: true }]
          : [
              {
                name: `Demo Suspect ${side.key.toUpperCase()}-${n}`,
                sex: 'male',
                relationship: n % 2 ? 'partner_or_ex_partner' : 'acquaintance',
              },
            ],
        flags: options.flags ?? {},
        restricted: options.restricted ?? false,
      })
      return detail
    }
    // The version each case was left at by the last event applied here (a case read only when it is not known).
    const versions = new Map<string, number>()
    const apply = async (who: RequestContext, caseId: string, type: string, data: Record<string, unknown>) => {
      const expectedVersion = versions.get(caseId) ?? (await services.cases.get(who, caseId)).version
      const { detail } = await services.cases.applyEvent(who, caseId, { type, data, expectedVersion })
      versions.set(caseId, detail.version)
      return detail
    }
    const suspectOf = (c: { people: { id: string; role: string }[] }) => c.people.find((p) => p.role === 'suspect')!.id

    // 1. Just reported.
    await report(1, 1, { flags: { vulnerable: true } })
    // 2. Investigation with an arrest and bail.
    let c = await report(2, 40, { flags: { domesticAbuse: true } })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'record_arrest', { suspectId: suspectOf(c), arrestedOn: daysAgo(38) })
    await apply(inv, c.id, 'record_interview', {
      suspectId: suspectOf(c),
      interviewedOn: daysAgo(38),
      interviewType: 'under_arrest',
    })
    await apply(inv, c.id, 'record_bail', {
      suspectId: suspectOf(c),
      bailedOn: daysAgo(38),
      returnOn: daysAgo(-30),
      conditions: 'Not to contact the complainant directly or indirectly',
    })
    // 3. Investigation, suspect released under investigation.
    c = await report(3, 120, { code: '19F' })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'record_arrest', { suspectId: suspectOf(c), arrestedOn: daysAgo(110) })
    await apply(inv, c.id, 'record_released_under_investigation', { suspectId: suspectOf(c), releasedOn: daysAgo(109) })
    // 4. Outcome proposed, awaiting supervisor sign-off.
    c = await report(4, 200, { code: '20A' })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'propose_police_outcome', {
      outcomeCode: 16,
      rationale:
        'The complainant has told the officer in the case that she does not support further police action. Her decision and reasons are recorded in the contact log.',
    })
    // 5. Finalised: no suspect identified.
    c = await report(5, 300, { suspectUnknown: true, code: '19C', flags: { nonRecent: true } })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'propose_police_outcome', {
      outcomeCode: 18,
      rationale: 'All lines of enquiry completed; no suspect identified.',
    })
    await apply(sup, c.id, 'sign_off_police_outcome', { note: 'Agreed: forensic and CCTV enquiries exhausted.' })
    // 6. Finalised with evidential difficulties, then reopened on new evidence and back with the CPS.
    c = await report(6, 400, { code: '19D', flags: { childAtTime: true, vulnerable: true } })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'propose_police_outcome', {
      outcomeCode: 15,
      rationale: 'Evidential difficulties; the complainant supports action.',
    })
    await apply(sup, c.id, 'sign_off_police_outcome', {})
    await apply(pros, c.id, 'reopen', {
      toStage: 'awaiting_charging_decision',
      reason: 'New digital evidence supplied by the complainant.',
    })
    const sup2 = ctx(`police-supervisor-2.${side.key}@casebridge.example`)
    const referral = {
      category: 'green',
      linesCompleted: 'ABE interview, suspect interview, phone download of the suspect, CCTV from the venue.',
      linesNotPursued: 'House-to-house: no houses overlook the lane.',
      victimEngagement: 'The complainant supports the investigation and has an ISVA.',
    }
    const fullCode = {
      test: 'full_code',
      evidentialStage: 'met',
      evidentialReasoning:
        'The complainant’s account is consistent and supported by the CCTV and the messages sent the next morning.',
      publicInterestSeriousness: 'Rape is among the most serious offences.',
      publicInterestCulpability: 'High: planned and persistent.',
      publicInterestHarm: 'Serious psychological harm, described in the complainant’s account.',
      publicInterestAge: 'The suspect is an adult.',
      publicInterestCommunity: 'No particular community impact beyond the harm to the complainant.',
      publicInterestProportionate: 'Yes.',
      publicInterestSources: 'No sources need protecting.',
      publicInterest: 'prosecution_required',
      outcome: 'charge',
      charges: 'Rape, contrary to section 1 of the Sexual Offences Act 2003',
    }
    // 8. Early advice requested, waiting for the prosecutor.
    c = await report(8, 30, { flags: { vulnerable: true } })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'request_early_advice', {
      summary: 'Complainant reports rape by an acquaintance after a night out.',
      linesCompleted: 'ABE interview; first account; CCTV request sent.',
      linesOngoing: 'CCTV review (2 weeks); suspect interview (after CCTV).',
      questions:
        'Is a download of the complainant’s phone a reasonable line of enquiry, and if so for which dates and contacts?',
    })
    // 9. Referral prepared, waiting for supervisor sign-off.
    c = await report(9, 60)
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'prepare_charging_referral', referral)
    // 10. With the CPS for a charging decision.
    c = await report(10, 70, { code: '19F' })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'prepare_charging_referral', { ...referral, category: 'green_priority' })
    await apply(sup, c.id, 'sign_off_charging_referral', {})
    // 11. Charged after the Full Code Test.
    c = await report(11, 90)
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'request_early_advice', {
      summary: 'Rape within a relationship.',
      linesCompleted: 'ABE interview.',
      linesOngoing: 'Messages (1 week).',
      questions: 'Which messages are relevant?',
    })
    await apply(pros, c.id, 'give_early_advice', {
      advice: 'Obtain the messages for the week before and after; no full download is needed.',
    })
    await apply(inv, c.id, 'prepare_charging_referral', referral)
    await apply(sup2, c.id, 'sign_off_charging_referral', {})
    await apply(pros, c.id, 'record_charging_decision', { suspectId: suspectOf(c), ...fullCode })
    // 12. Charged under the Threshold Test, Full Code Test review due.
    c = await report(12, 10, { code: '19C', flags: { domesticAbuse: true } })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'record_arrest', { suspectId: suspectOf(c), arrestedOn: daysAgo(2) })
    await apply(inv, c.id, 'prepare_charging_referral', { ...referral, category: 'red' })
    await apply(sup, c.id, 'sign_off_charging_referral', {})
    await apply(pros, c.id, 'record_charging_decision', {
      suspectId: suspectOf(c),
      test: 'threshold',
      thresholdReasonableSuspicion: 'yes',
      thresholdFurtherEvidence: 'yes',
      thresholdSeriousness: 'yes',
      thresholdBail: 'yes',
      thresholdPublicInterest: 'yes',
      fullCodeReviewBy: daysAgo(-21),
      outcome: 'charge',
      charges: 'Rape, contrary to section 1 of the Sexual Offences Act 2003',
    })
    // 13. No further action by the CPS on evidential grounds.
    c = await report(13, 150, { code: '20A' })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'prepare_charging_referral', referral)
    await apply(sup, c.id, 'sign_off_charging_referral', {})
    await apply(pros, c.id, 'record_charging_decision', {
      suspectId: suspectOf(c),
      test: 'full_code',
      evidentialStage: 'not_met',
      evidentialReasoning: 'The identification evidence is too weak for a realistic prospect of conviction.',
      outcome: 'nfa_evidential',
    })
    // 14. An action plan from the CPS, one item answered and one open.
    c = await report(14, 45, { code: '19C' })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'prepare_charging_referral', referral)
    await apply(sup2, c.id, 'sign_off_charging_referral', {})
    await apply(pros, c.id, 'set_action_plan', {
      items: [
        {
          description: 'Obtain the CCTV from the taxi rank for 01:00 to 03:00.',
          owner: 'investigator',
          dueWorkingDays: 10,
          proportionality: 'Identification is disputed and the rank is on the route home.',
        },
        {
          description: 'Take a statement from the friend the complainant called that night.',
          owner: 'investigator',
          dueWorkingDays: 15,
          proportionality: 'First account; recent complaint evidence.',
        },
      ],
      note: 'Resubmit once both are answered.',
    })
    await apply(inv, c.id, 'answer_action_item', {
      itemNumber: 2,
      answer: 'done',
      details: 'Statement taken; consistent with the complainant’s account.',
    })
    // 15. Early advice declined, challenged by an inspector: waiting for the CPS unit head.
    const earlyAdvice = {
      summary: 'Complainant reports rape by a former partner; the suspect denies contact that night.',
      linesCompleted: 'ABE interview; first account from a friend.',
      linesOngoing: 'Cell-site analysis (4 weeks); suspect interview after the analysis.',
      questions: 'Is cell-site analysis proportionate here, and what should the interview cover?',
    }
    c = await report(15, 25, { flags: { domesticAbuse: true } })
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'request_early_advice', earlyAdvice)
    await apply(pros, c.id, 'decline_early_advice', {
      reason: 'Too early: the interview has not yet taken place, so there is nothing yet to advise on.',
    })
    await apply(ctx(demoEmail('police_inspector', side.key)), c.id, 'challenge_early_advice_decline', {
      reason: 'The CPS offers early advice in every rape case; the cell-site question decides the interview plan.',
    })
    // 16. Early advice given with an action plan in one step; the police are answering it.
    c = await report(16, 35)
    await apply(inv, c.id, 'start_investigation', {})
    await apply(inv, c.id, 'request_early_advice', earlyAdvice)
    await apply(pros, c.id, 'give_early_advice', {
      advice: 'Cell-site analysis is proportionate for the night in question only. Interview after it is back.',
      items: [
        {
          description: 'Obtain cell-site analysis of the suspect’s phone for the night in question.',
          owner: 'investigator',
          dueWorkingDays: 20,
          proportionality: 'The suspect denies being there; location evidence goes to the heart of the case.',
        },
      ],
    })
    await apply(inv, c.id, 'request_more_time', {
      itemNumber: 1,
      proposedDueOn: daysAgo(-45),
      reason: 'The network provider needs six weeks for historic cell-site data.',
    })
    // 7. Restricted: a police officer is the suspect; only the named list sees it.
    c = await report(7, 20, { code: '22A', restricted: true })
    await services.repos.db
      .insertInto('case_access')
      .values({ case_id: c.id, user_id: sup.user.id, kind: 'restricted' })
      .execute()
    // Victim care: contacts, preferences, needs, an ISVA and their notes, special measures, withdrawal of support.
    const isva = ctx(demoEmail('isva', side.key))
    const wcu = ctx(demoEmail('witness_care', side.key))
    const byRef = async (n: number) => {
      const row = await services.repos.db
        .selectFrom('cases')
        .select('id')
        .where('force_code', '=', side.force)
        .where('crime_reference', 'like', `${prefix}/${String(10000 + n * 37)}/%`)
        .executeTakeFirstOrThrow()
      return services.cases.get(inv, row.id)
    }
    const complainantOf = (x: { people: { id: string; role: string }[] }) =>
      x.people.find((p) => p.role === 'complainant')!.id
    const sendLetter = async (
      caseId: string,
      complainantId: string,
      template: 'hello' | 'nfa',
      channel: 'email' | 'post',
      edit: (body: string) => string = (body) => body,
    ) => {
      const drafts = await services.victimCare.letterDrafts(inv, caseId, complainantId)
      const draft = drafts.templates.find((t) => t.id === template)!.draft
      versions.delete(caseId)
      await services.victimCare.sendLetter(inv, caseId, {
        complainantId,
        template,
        channel,
        subject: draft.subject,
        body: edit(draft.body),
        expectedVersion: drafts.case.version,
      })
    }
    const supportWithIsva = async (x: { id: string; people: { id: string; role: string }[] }, on: number) => {
      const complainantId = complainantOf(x)
      await apply(inv, x.id, 'refer_to_support', {
        complainantId,
        service: 'isva',
        referredOn: daysAgo(on),
        consent: true,
        details: 'Prefers contact through the ISVA where possible.',
      })
      await apply(inv, x.id, 'assign_isva', { complainantId, isvaId: isva.user.id })
    }
    // 2: an arrest and bail, told the next day; preferences, needs, safe contact details, an ISVA.
    c = await byRef(2)
    let complainant = complainantOf(c)
    await supportWithIsva(c, 39)
    await apply(inv, c.id, 'set_contact_preferences', {
      complainantId: complainant,
      channels: ['phone', 'via_isva'],
      avoid: ['letter'],
      times: 'Weekdays after 6pm',
      frequency: 'fortnightly',
      interpreter: false,
      intermediary: false,
      interviewerGender: 'female',
      notes: 'Shares a flat; no letters to the home address.',
    })
    await apply(inv, c.id, 'record_needs_assessment', {
      complainantId: complainant,
      assessedOn: daysAgo(39),
      needs: ['mental_health', 'safeguarding'],
      details: 'Referred to counselling through the ISVA service; safety plan agreed with the domestic abuse team.',
    })
    await apply(inv, c.id, 'record_victim_contact', {
      complainantId: complainant,
      contactedOn: daysAgo(37),
      channel: 'phone',
      direction: 'to_victim',
      summary:
        'Told her the suspect was arrested, interviewed and bailed with a condition not to contact her, and the return date. Offered a victim personal statement; she will think about it.',
      entitlements: ['vc_suspect_update', 'vc_vps_offered'],
    })
    await services.victimCare.setSafeContact(inv, c.id, complainant, {
      phone: '01632 960 417',
      email: `safe.contact.${side.key}@example.com`,
      notes: 'Text before calling. Do not leave voicemail.',
    })
    await sendLetter(c.id, complainant, 'hello', 'email')
    await apply(isva, c.id, 'record_isva_note', {
      complainantId: complainant,
      kind: 'liaison',
      note: 'Met her today. She would like to know when the bail return date is reviewed.',
    })
    // 4: the complainant no longer supports the case; the officer has proposed an outcome.
    c = await byRef(4)
    await apply(inv, c.id, 'record_withdrawal_of_support', {
      complainantId: complainantOf(c),
      withdrawnOn: daysAgo(5),
      reasons: ['delay', 'process'],
      details: 'Said it has taken too long and she wants to move on with her life. She may come back to it later.',
      continueWithout: 'no',
    })
    // 11: charged; special measures discussed and the meeting offered; told of the charge; an ISVA's concern.
    c = await byRef(11)
    complainant = complainantOf(c)
    await supportWithIsva(c, 88)
    await apply(inv, c.id, 'record_victim_contact', {
      complainantId: complainant,
      contactedOn: todayIso(),
      channel: 'in_person',
      direction: 'to_victim',
      summary: 'Told her the suspect has been charged with rape, and what happens next.',
      entitlements: ['vc_decision'],
    })
    await apply(pros, c.id, 'record_special_measures', {
      complainantId: complainant,
      eligibility: ['s17_4'],
      optedOut: false,
      measures: ['s23', 's25', 's28'],
      notes: 'She would like the public gallery cleared while she gives evidence, and to pre-record cross-examination.',
    })
    await apply(pros, c.id, 'apply_special_measures', {
      complainantId: complainant,
      appliedOn: todayIso(),
      measures: ['s23', 's25', 's28'],
    })
    await apply(pros, c.id, 'record_special_measures_ruling', {
      complainantId: complainant,
      decidedOn: todayIso(),
      granted: ['s23', 's25', 's28'],
    })
    await apply(wcu, c.id, 'record_special_measures_meeting', {
      complainantId: complainant,
      status: 'offered',
      on: todayIso(),
    })
    // The plea hearing is listed; witness care told her the same day.
    await apply(wcu, c.id, 'list_hearing', {
      hearingType: 'ptph',
      hearingOn: daysAgo(-28),
      court: side.key === 'avon' ? 'Bristol Crown Court' : 'Reading Crown Court',
      receivedOn: todayIso(),
    })
    await apply(wcu, c.id, 'record_victim_contact', {
      complainantId: complainant,
      contactedOn: todayIso(),
      channel: 'phone',
      direction: 'to_victim',
      summary:
        'Told her the date, time and place of the plea and trial preparation hearing; she does not need to attend.',
      entitlements: ['vc_hearing_date'],
    })
    await apply(isva, c.id, 'record_isva_note', {
      complainantId: complainant,
      kind: 'concern',
      note: 'She has asked whether she can see the courtroom before the trial; nobody has replied yet.',
    })
    // 13: the CPS decided not to charge; the complainant asked for a review, now past local resolution.
    c = await byRef(13)
    complainant = complainantOf(c)
    await sendLetter(c.id, complainant, 'nfa', 'post', (body) =>
      body.replace(
        /\[[^\]]*\]/,
        'The prosecutor decided there was not enough evidence to show who did this, so a court would be unlikely to convict.',
      ),
    )
    await apply(inv, c.id, 'record_victim_contact', {
      complainantId: complainant,
      contactedOn: daysAgo(20),
      channel: 'in_person',
      direction: 'to_victim',
      summary:
        'Explained the CPS decision not to charge and her right to ask for a review: normally within 10 working days, and up to 3 months.',
      entitlements: ['vc_decision'],
    })
    await apply(wcu, c.id, 'request_vrr', {
      complainantId: complainant,
      scheme: 'cps',
      toldOn: daysAgo(20),
      receivedOn: daysAgo(14),
      details: 'She does not understand why the CCTV was not enough.',
    })
    // Local resolution by a prosecutor who took no part in the decision: the unit head.
    await apply(ctx(demoEmail('cps_unit_head', side.key)), c.id, 'record_vrr_local_resolution', {
      complainantId: complainant,
      result: 'independent_review',
      explanation: 'A prosecutor not involved explained the identification evidence; she remains dissatisfied.',
    })

    // The court stage: five cases charged under the Full Code Test, each with its charges and hearings.
    const court = side.key === 'avon' ? 'Bristol Crown Court' : 'Reading Crown Court'
    const complainantIds = new Map<string, string>()
    const toCourt = async (n: number, days: number, charges: { offenceCode: string; description: string }[]) => {
      const x = await report(n, days)
      await apply(inv, x.id, 'start_investigation', {})
      await apply(inv, x.id, 'prepare_charging_referral', referral)
      await apply(sup, x.id, 'sign_off_charging_referral', {})
      await apply(pros, x.id, 'record_charging_decision', { suspectId: suspectOf(x), ...fullCode })
      const charged = await apply(pros, x.id, 'record_charges', { suspectId: suspectOf(x), charges })
      complainantIds.set(x.id, complainantOf(x))
      return charged
    }
    let hearings = 0
    const hearing = async (
      caseId: string,
      hearingType: string,
      on: number,
      result: 'held' | 'adjourned' | 'listed' = 'held',
    ) => {
      hearings++
      await apply(wcu, caseId, 'list_hearing', {
        hearingType,
        hearingOn: daysAgo(on),
        court,
        receivedOn: daysAgo(Math.max(on, 0) + 14),
      })
      await apply(wcu, caseId, 'record_victim_contact', {
        complainantId: complainantIds.get(caseId)!,
        contactedOn: daysAgo(Math.max(on, 0) + 14),
        channel: 'phone',
        direction: 'to_victim',
        summary: 'Told her the date, time and place of the hearing, and whether she needs to attend.',
        entitlements: ['vc_hearing_date'],
      })
      if (result === 'held') await apply(wcu, caseId, 'record_hearing_outcome', { hearingNumber: hearings, result })
      if (result === 'adjourned')
        await apply(wcu, caseId, 'record_hearing_outcome', {
          hearingNumber: hearings,
          result,
          requestedBy: 'defence',
          reason: 'The defence expert report was not ready.',
        })
      return hearings
    }
    const tell = async (caseId: string, on: number, summary: string, entitlement: string, who = wcu) =>
      apply(who, caseId, 'record_victim_contact', {
        complainantId: complainantIds.get(caseId)!,
        contactedOn: daysAgo(on),
        channel: 'phone',
        direction: 'to_victim',
        summary,
        entitlements: [entitlement],
      })
    const RAPE = {
      offenceCode: '19C',
      description: 'Rape of a woman aged 16 or over, contrary to section 1(1) of the Sexual Offences Act 2003',
    }
    const ASSAULT = {
      offenceCode: '20A',
      description: 'Sexual assault of a woman, contrary to section 3 of the Sexual Offences Act 2003',
    }

    // The RASSO advocate panel of the area: one of each state the eligibility rules know.
    const head = ctx(demoEmail('cps_unit_head', side.key))
    const panel = async (
      name: string,
      kind: 'in_house' | 'external',
      chambers: string,
      membership: { admitted?: number; renew?: number },
      trainingExpires: number | null,
    ) => {
      const id = await services.advocates.add(head, {
        name,
        kind,
        chambers,
        rassoPanel: membership.admitted !== undefined,
        ...(membership.admitted !== undefined && { admittedOn: daysAgo(membership.admitted) }),
        ...(membership.renew !== undefined && { accreditationExpiresOn: daysAgo(-membership.renew) }),
      })
      if (trainingExpires !== null)
        await services.advocates.addTraining(head, id, {
          course: 'rasso_core',
          completedOn: daysAgo(400),
          expiresOn: daysAgo(-trainingExpires),
        })
      return id
    }
    const counsel = side.key === 'avon' ? 'Guildhall Chambers' : 'Harcourt Chambers'
    const hart = await panel(`Amelia Hart KC (${side.key})`, 'external', counsel, { admitted: 1500, renew: 700 }, 700)
    const okafor = await panel(
      `Daniel Okafor (${side.key})`,
      'in_house',
      'CPS RASSO unit',
      { admitted: 120, renew: 900 },
      600,
    )
    const shah = await panel(`Priya Shah (${side.key})`, 'external', counsel, { admitted: 1200, renew: 40 }, 500)
    await panel(`Tom Reeve (${side.key})`, 'external', counsel, { admitted: 2000, renew: 300 }, -10)
    await panel(`Helen Marsh (${side.key})`, 'external', counsel, {}, null)
    await services.advocates.addUnavailability(head, hart, {
      fromOn: daysAgo(-110),
      toOn: daysAgo(-130),
      reason: 'Listed for a murder trial at another court',
    })

    // 17. A guilty plea at the first hearing; the other charge left on file; sentenced.
    c = await toCourt(17, 160, [RAPE, ASSAULT])
    await apply(pros, c.id, 'instruct_advocate', { advocateId: hart })
    await apply(pros, c.id, 'instruct_advocate', {
      advocateId: okafor,
      replacementReason: 'An early guilty plea is expected; an in-house Crown Advocate can take the first hearing.',
    })
    hearings = 0
    let h = await hearing(c.id, 'first_appearance', 120)
    await apply(pros, c.id, 'record_plea', { chargeNumber: 1, plea: 'guilty', hearingNumber: h })
    await apply(pros, c.id, 'end_charge', {
      chargeNumber: 2,
      how: 'left_on_file',
      reason: 'acceptable_plea',
      reasonDetail:
        'The guilty plea to rape reflects the whole of the offending; the complainant was consulted and agreed.',
      decidedOn: daysAgo(120),
      hearingNumber: h,
    })
    await tell(
      c.id,
      119,
      'Explained that he pleaded guilty to rape and that the other charge was left on file, and why.',
      'vc_charge_dropped',
      pros,
    )
    h = await hearing(c.id, 'sentence', 90)
    await apply(pros, c.id, 'record_sentence', {
      suspectId: suspectOf(c),
      sentence: 'immediate_custody',
      custodyMonths: 102,
      details: 'Indefinite restraining order; notification requirements for life.',
      hearingNumber: h,
      receivedOn: daysAgo(90),
    })
    await tell(
      c.id,
      89,
      'Told her the sentence and explained the time he will serve and the restraining order.',
      'vc_outcome',
    )

    // 18. Not guilty pleas, directions, a hung jury on one charge, convicted on retrial; sentenced.
    c = await toCourt(18, 330, [RAPE, ASSAULT])
    await apply(pros, c.id, 'instruct_advocate', { advocateId: hart })
    hearings = 0
    await hearing(c.id, 'first_appearance', 300)
    h = await hearing(c.id, 'ptph', 270)
    await apply(pros, c.id, 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: h })
    await apply(pros, c.id, 'record_plea', { chargeNumber: 2, plea: 'not_guilty', hearingNumber: h })
    await apply(pros, c.id, 'record_directions', {
      hearingNumber: h,
      directions: [
        {
          description: 'Serve the prosecution case and initial disclosure.',
          party: 'prosecution',
          dueOn: daysAgo(240),
        },
        { description: 'Serve the defence statement.', party: 'defence', dueOn: daysAgo(212) },
      ],
    })
    await apply(pros, c.id, 'record_direction_compliance', {
      directionNumber: 1,
      outcome: 'complied',
      compliedOn: daysAgo(242),
    })
    await apply(pros, c.id, 'record_direction_compliance', {
      directionNumber: 2,
      outcome: 'not_complied',
      reason: 'The defence asked for more time; raised at the next hearing.',
    })
    h = await hearing(c.id, 'trial', 150)
    await apply(pros, c.id, 'record_verdict', {
      chargeNumber: 1,
      verdict: 'no_verdict',
      hearingNumber: h,
      receivedOn: daysAgo(146),
    })
    await apply(pros, c.id, 'record_verdict', {
      chargeNumber: 2,
      verdict: 'guilty',
      hearingNumber: h,
      receivedOn: daysAgo(146),
    })
    await tell(
      c.id,
      145,
      'Told her the jury convicted him of sexual assault and could not agree on rape; a retrial is being considered.',
      'vc_outcome',
    )
    h = await hearing(c.id, 'trial', 60)
    const retrial = h
    await apply(pros, c.id, 'record_verdict', {
      chargeNumber: 1,
      verdict: 'guilty',
      hearingNumber: h,
      receivedOn: daysAgo(57),
    })
    await tell(c.id, 57, 'Told her the jury at the retrial found him guilty of rape.', 'vc_outcome')
    h = await hearing(c.id, 'sentence', 30)
    await apply(pros, c.id, 'record_sentence', {
      suspectId: suspectOf(c),
      sentence: 'immediate_custody',
      custodyMonths: 132,
      hearingNumber: h,
      receivedOn: daysAgo(29),
    })
    await tell(c.id, 28, 'Told her the sentence and explained it.', 'vc_outcome')
    await apply(pros, c.id, 'record_counsel_report', {
      advocateId: hart,
      hearingNumber: retrial,
      preparation: 'exceeded',
      complainantCare: 'exceeded',
      section41: 'met',
      advocacy: 'exceeded',
      comments:
        'Same advocate from the plea hearing to the retrial. Ground rules agreed early; a section 41 application was opposed and refused; no myths or stereotypes went unchallenged.',
    })

    // 19. A trial ending in acquittal on every charge.
    c = await toCourt(19, 260, [RAPE])
    hearings = 0
    h = await hearing(c.id, 'ptph', 230)
    await apply(pros, c.id, 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: h })
    h = await hearing(c.id, 'trial', 40)
    await apply(pros, c.id, 'record_verdict', {
      chargeNumber: 1,
      verdict: 'not_guilty',
      hearingNumber: h,
      receivedOn: daysAgo(36),
    })
    await tell(c.id, 36, 'Told her the verdict in person with her ISVA, and explained what it means.', 'vc_outcome')

    // 20. Discontinued at the third hearing: the complainant no longer supports the prosecution.
    c = await toCourt(20, 200, [RAPE])
    hearings = 0
    await hearing(c.id, 'first_appearance', 170)
    h = await hearing(c.id, 'ptph', 140)
    await apply(pros, c.id, 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: h })
    h = await hearing(c.id, 'further', 50)
    await apply(inv, c.id, 'record_withdrawal_of_support', {
      complainantId: complainantOf(c),
      withdrawnOn: daysAgo(60),
      reasons: ['process', 'delay'],
      details: 'She no longer feels able to give evidence, even with special measures.',
      continueWithout: 'no',
    })
    await apply(pros, c.id, 'end_charge', {
      chargeNumber: 1,
      how: 'discontinued',
      reason: 'complainant_withdrew',
      reasonDetail:
        'Without her evidence there is no realistic prospect of conviction; she was consulted and her reasons recorded.',
      decidedOn: daysAgo(50),
      hearingNumber: h,
    })

    // 21. At the plea and trial preparation hearing stage: not guilty pleas, directions running, trial listed.
    c = await toCourt(21, 100, [RAPE, ASSAULT])
    await apply(pros, c.id, 'instruct_advocate', { advocateId: shah })
    await apply(pros, c.id, 'record_returned_brief', {
      reason: 'diary_clash',
      details: 'Her fraud trial at Winchester has overrun by three weeks.',
      returnedOn: daysAgo(70),
    })
    await apply(pros, c.id, 'instruct_advocate', { advocateId: okafor })
    hearings = 0
    await hearing(c.id, 'first_appearance', 60)
    h = await hearing(c.id, 'ptph', 30)
    await apply(pros, c.id, 'record_plea', { chargeNumber: 1, plea: 'not_guilty', hearingNumber: h })
    await apply(pros, c.id, 'record_plea', { chargeNumber: 2, plea: 'not_guilty', hearingNumber: h })
    await apply(pros, c.id, 'record_directions', {
      hearingNumber: h,
      directions: [
        { description: 'Serve the prosecution case and initial disclosure.', party: 'prosecution', dueOn: daysAgo(2) },
        {
          description: 'Apply for special measures, including clearing the public gallery.',
          party: 'prosecution',
          dueOn: daysAgo(-14),
        },
        { description: 'Serve the defence statement.', party: 'defence', dueOn: daysAgo(-28) },
      ],
    })
    await hearing(c.id, 'trial', -120, 'listed')
    await moduleDemos({ point: 'awaiting_trial', caseId: c.id, apply, people: { inv, sup, pros }, daysAgo })
    // 10: with the CPS for a charging decision.
    c = await byRef(10)
    await moduleDemos({ point: 'with_the_cps', caseId: c.id, apply, people: { inv, sup, pros }, daysAgo })

    // Digital evidence: targeted requests for a person's device or records, each at a different point.
    const phoneRequest = (personId: string, from: number, to: number) => ({
      personId,
      material: 'phone',
      lineOfEnquiry:
        'She says the suspect messaged her the morning after, apologising; he says the messages show she agreed.',
      alternatives: ['screenshots', 'suspect_device'],
      whyNotEnough:
        'Screenshots would not show the times or that nothing was deleted; the suspect says he lost his phone.',
      necessity: 'Only her messages with the suspect over three days are needed; nothing else on the phone is.',
      dateFrom: daysAgo(from),
      dateTo: daysAgo(to),
      categories: ['messages'],
      contacts: 'The conversation between the complainant and the suspect only.',
      searchTerms: 'sorry, last night, party',
    })
    const notice = (requestNumber: number, on: number, device = true) => ({
      requestNumber,
      givenOn: daysAgo(on),
      givenTo: 'the_person',
      told: ['what', 'why', 'handling', 'need_not_agree', 'refusal', ...(device ? ['time_without'] : [])],
    })
    const agreed = (requestNumber: number, on: number) => ({
      requestNumber,
      answer: 'agreed',
      answeredOn: daysAgo(on),
      answeredBy: 'the_person',
      inWriting: true,
    })
    const takeExtractReturn = async (caseId: string, requestNumber: number, taken: number, returned: number) => {
      await apply(inv, caseId, 'record_device_taken', {
        requestNumber,
        takenOn: daysAgo(taken),
        device: 'Black smartphone in a blue case',
        voluntary: true,
      })
      await apply(inv, caseId, 'record_extraction', {
        requestNumber,
        extractedOn: daysAgo(taken),
        method: 'kiosk',
        scopeApplied: 'as_approved',
        outsideScope: 'deleted',
        outsideScopeNote:
          'The kiosk filtered to the conversation and dates; the rest of the image was deleted the same day.',
      })
      await apply(inv, caseId, 'record_device_returned', {
        requestNumber,
        returnedOn: daysAgo(returned),
        returnedTo: 'the_person',
      })
    }
    // 2: a targeted phone request, agreed after written notice; the phone was back with her the next day.
    c = await byRef(2)
    complainant = complainantOf(c)
    await apply(inv, c.id, 'propose_material_request', phoneRequest(complainant, 42, 40))
    await apply(sup, c.id, 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve',
      reasons:
        'A reasonable line of enquiry: the messages go to the central issue; the scope is three days and one conversation.',
    })
    await apply(inv, c.id, 'give_material_notice', notice(1, 36))
    await apply(inv, c.id, 'record_material_answer', agreed(1, 36))
    await takeExtractReturn(c.id, 1, 35, 34)
    // 3: she refused; the investigation carries on and the prosecutor is to consider a fair trial.
    c = await byRef(3)
    await apply(inv, c.id, 'propose_material_request', phoneRequest(complainantOf(c), 125, 121))
    await apply(sup, c.id, 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve',
      reasons: 'Targeted to the conversation and five days.',
    })
    await apply(inv, c.id, 'give_material_notice', notice(1, 100))
    await apply(inv, c.id, 'record_material_answer', {
      requestNumber: 1,
      answer: 'refused',
      answeredOn: daysAgo(99),
      answeredBy: 'the_person',
    })
    // 8: early advice is open, so a request for her phone waits for the prosecutor's review before she is asked.
    c = await byRef(8)
    await apply(inv, c.id, 'propose_material_request', phoneRequest(complainantOf(c), 33, 31))
    await apply(sup, c.id, 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve_for_review',
      reasons: 'Proportionate as scoped; the CPS has been asked about it in the early advice request.',
    })
    // 14: counselling notes from a third party, reviewed by the prosecutor, agreed, and part received; a witness's
    // phone proposed and waiting for the supervisor.
    c = await byRef(14)
    await apply(inv, c.id, 'propose_material_request', {
      personId: complainantOf(c),
      material: 'counselling',
      holder: 'The local rape crisis counselling service',
      lineOfEnquiry:
        'She first described the night to her counsellor; the prosecutor asked whether that first account is consistent.',
      alternatives: ['other_source'],
      whyNotEnough: 'Her first account to the police was two weeks later; only the service holds the earlier one.',
      necessity: 'Only the note of the first session after the night, not the therapy since.',
      dateFrom: daysAgo(150),
      dateTo: daysAgo(140),
    })
    await apply(sup, c.id, 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve_for_review',
      reasons: 'Narrow and relevant to the action plan; the CPS is engaged, so the prosecutor reviews it first.',
    })
    await apply(pros, c.id, 'review_material_request', {
      requestNumber: 1,
      view: 'proceed',
      advice: 'Proceed with the first session only. Any therapy notes beyond it are not to be sought.',
    })
    await apply(inv, c.id, 'give_material_notice', notice(1, 20, false))
    await apply(inv, c.id, 'record_material_answer', agreed(1, 19))
    await apply(inv, c.id, 'record_material_request_sent', { requestNumber: 1, sentOn: daysAgo(18) })
    await apply(inv, c.id, 'record_holder_response', {
      requestNumber: 1,
      response: 'part',
      respondedOn: daysAgo(4),
      outsideScope: 'sealed',
      outsideScopeNote: 'The service sent two later session notes by mistake; kept sealed, unread, to be returned.',
    })
    const witness = await apply(inv, c.id, 'add_person', {
      role: 'witness',
      name: `Demo Witness ${side.key.toUpperCase()}-14`,
    })
    await apply(inv, c.id, 'propose_material_request', {
      ...phoneRequest(witness.people.find((p) => p.role === 'witness')!.id, 150, 149),
      lineOfEnquiry: 'The friend she called that night says she received messages from her about what happened.',
      contacts: 'The messages between the witness and the complainant that night.',
    })
    // 16: the first stage found messages about photos; a wider scope for one night's photos was decided afresh,
    // reviewed by the prosecutor and agreed again; the phone has not been taken for it yet.
    c = await byRef(16)
    complainant = complainantOf(c)
    await apply(inv, c.id, 'propose_material_request', phoneRequest(complainant, 40, 38))
    await apply(sup, c.id, 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve_for_review',
      reasons: 'Targeted; early advice is open, so the prosecutor reviews it.',
    })
    await apply(pros, c.id, 'review_material_request', {
      requestNumber: 1,
      view: 'proceed',
      advice: 'Proportionate as scoped.',
    })
    await apply(inv, c.id, 'give_material_notice', notice(1, 25))
    await apply(inv, c.id, 'record_material_answer', agreed(1, 25))
    await takeExtractReturn(c.id, 1, 24, 24)
    await apply(inv, c.id, 'rescope_material_request', {
      requestNumber: 1,
      whyNewScope:
        'The messages say he sent her photos of the night and asked her to delete them; those photos are the only record of the time.',
      necessity: 'Only photos exchanged with the suspect on the one night; nothing else.',
      dateFrom: daysAgo(39),
      dateTo: daysAgo(39),
      categories: ['photos'],
      contacts: 'Photos sent to or received from the suspect.',
    })
    await apply(sup2, c.id, 'decide_material_request', {
      requestNumber: 1,
      decision: 'approve_for_review',
      reasons: 'Justified by what the first stage found, and limited to one night.',
    })
    await apply(pros, c.id, 'review_material_request', {
      requestNumber: 1,
      view: 'proceed',
      advice: 'Agreed: the photos go to the timing.',
    })
    await apply(inv, c.id, 'give_material_notice', notice(1, 3))
    await apply(inv, c.id, 'record_material_answer', agreed(1, 2))
  }
  return { password: demoPassword, generated, cases: count }
}
