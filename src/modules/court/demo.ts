import { moduleDemos } from '../registry'
import type { CaseDetail } from '../../services/case/view'
import type { DemoScene } from '../../services/demo/scene'
import { demoEmail } from '../../services/demo/people'
import { advocatesOf } from '../advocates/service'

/** The court stage and the advocate panel: cases charged, hearings, directions, outcomes, advocates, disclosure. */
export async function courtChapter(scene: DemoScene) {
  const {
    services,
    side,
    ctx,
    inv,
    sup,
    pros,
    report,
    apply,
    suspectOf,
    wcu,
    byRef,
    complainantOf,
    daysAgo,
    referral,
    fullCode,
  } = scene
  let c: CaseDetail
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
    const id = await advocatesOf(services).add(head, {
      name,
      kind,
      chambers,
      rassoPanel: membership.admitted !== undefined,
      ...(membership.admitted !== undefined && { admittedOn: daysAgo(membership.admitted) }),
      ...(membership.renew !== undefined && { accreditationExpiresOn: daysAgo(-membership.renew) }),
    })
    if (trainingExpires !== null)
      await advocatesOf(services).addTraining(head, id, {
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
  await advocatesOf(services).addUnavailability(head, hart, {
    fromOn: daysAgo(-110),
    toOn: daysAgo(-130),
    reason: 'Listed for a murder trial at another court',
  })

  // 17. Sent to the Crown Court at the first appearance (no plea to rape there); a guilty plea at the first Crown
  // Court hearing, the plea and trial preparation hearing; the other charge left on file; sentenced.
  c = await toCourt(17, 160, [RAPE, ASSAULT])
  await apply(pros, c.id, 'instruct_advocate', { advocateId: hart })
  await apply(pros, c.id, 'instruct_advocate', {
    advocateId: okafor,
    replacementReason: 'An early guilty plea is expected; an in-house Crown Advocate can take the first hearing.',
  })
  hearings = 0
  await hearing(c.id, 'first_appearance', 135)
  let h = await hearing(c.id, 'ptph', 120)
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
}
