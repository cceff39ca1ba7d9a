import type { CaseDetail } from '../../services/case/view'
import type { DemoScene } from '../../services/demo/scene'

/** Digital evidence: requests for a person's device or records, each at a different point. */
export async function digitalChapter(scene: DemoScene) {
  const { side, inv, sup, pros, apply, byRef, complainantOf, daysAgo, sup2 } = scene
  let c: CaseDetail
  let complainant: string
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
