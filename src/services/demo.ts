import { randomBytes } from 'node:crypto'
import { todayIso } from '../domain/fields'
import type { Role } from '../domain/roles'
import type { AuthUser, RequestContext } from './context'
import type { Services } from './index'

/** Two forces in two CPS areas, with their witness care units and ISVA services. */
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
    const apply = async (who: RequestContext, caseId: string, type: string, data: Record<string, unknown>) => {
      const current = await services.cases.get(who, caseId)
      return (await services.cases.applyEvent(who, caseId, { type, data, expectedVersion: current.version })).detail
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
    // 7. Restricted: a police officer is the suspect; only the named list sees it.
    c = await report(7, 20, { code: '22A', restricted: true })
    await services.repos.db
      .insertInto('case_access')
      .values({ case_id: c.id, user_id: sup.user.id, kind: 'restricted' })
      .execute()
    // ISVA assigned to cases 1 and 2 of each side.
    const isva = users.get(demoEmail('isva', side.key))!
    const firstTwo = await services.repos.db
      .selectFrom('cases')
      .select('id')
      .where('force_code', '=', side.force)
      .where('restricted', '=', false)
      .orderBy('created_at')
      .limit(2)
      .execute()
    await services.repos.db
      .insertInto('case_access')
      .values(firstTwo.map((row) => ({ case_id: row.id, user_id: isva.id, kind: 'isva' as const })))
      .execute()
  }
  return { password: demoPassword, generated, cases: count }
}
