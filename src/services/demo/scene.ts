import type { RequestContext } from '../context'
import type { Services } from '../index'
import { DEMO_SIDES, daysAgo, demoEmail } from './people'
import { victimCareOf } from '../../modules/victim-care/service'

/**
 * What every chapter of the demo's story works with, for one force and its CPS area: the people, and helpers that
 * record a report, apply an event (tracking each case's version), find a demo case again by its number, and so on.
 */
export function demoScene(
  services: Services,
  side: (typeof DEMO_SIDES)[number],
  ctx: (email: string) => RequestContext,
  counted: () => void,
) {
  const inv = ctx(demoEmail('investigator', side.key))
  const sup = ctx(demoEmail('police_supervisor', side.key))
  const pros = ctx(demoEmail('prosecutor', side.key))
  const prefix = side.key === 'avon' ? '52' : '43'
  const report = async (
    n: number,
    days: number,
    options: { code?: string; suspectUnknown?: boolean; restricted?: boolean; flags?: Record<string, boolean> } = {},
  ) => {
    counted()
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
    const drafts = await victimCareOf(services).letterDrafts(inv, caseId, complainantId)
    const draft = drafts.templates.find((t) => t.id === template)!.draft
    versions.delete(caseId)
    await victimCareOf(services).sendLetter(inv, caseId, {
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
  // Shared by the chapters: a second police supervisor, a referral's answers and a Full Code Test decision.
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

  return {
    sup2,
    referral,
    fullCode,
    services,
    side,
    ctx,
    inv,
    sup,
    pros,
    prefix,
    report,
    versions,
    apply,
    suspectOf,
    isva,
    wcu,
    byRef,
    complainantOf,
    sendLetter,
    supportWithIsva,
    daysAgo,
  }
}

export type DemoScene = ReturnType<typeof demoScene>
