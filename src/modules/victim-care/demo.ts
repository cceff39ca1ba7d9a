import { todayIso } from '../../core/fields'
import type { CaseDetail } from '../../services/case/view'
import type { DemoScene } from '../../services/demo/scene'
import { demoEmail } from '../../services/demo/people'
import { victimCareOf } from './service'

/** Victim care on those cases: contacts, preferences, needs, ISVAs, special measures, letters, reviews. */
export async function victimCareChapter(scene: DemoScene) {
  const {
    services,
    side,
    ctx,
    inv,
    pros,
    apply,
    isva,
    wcu,
    byRef,
    complainantOf,
    sendLetter,
    supportWithIsva,
    daysAgo,
  } = scene
  let c: CaseDetail
  // Victim care: contacts, preferences, needs, an ISVA and their notes, special measures, withdrawal of support.
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
  await victimCareOf(services).setSafeContact(inv, c.id, complainant, {
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
}
