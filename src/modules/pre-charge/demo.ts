import type { DemoScene } from '../../services/demo/scene'
import { demoEmail } from '../../services/demo/people'

/** Cases 1 to 16: from a report just made to early advice, referrals, charging decisions and action plans. */
export async function preChargeChapter(scene: DemoScene) {
  const { services, side, ctx, inv, sup, pros, report, apply, suspectOf, daysAgo, sup2, referral, fullCode } = scene
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
}
