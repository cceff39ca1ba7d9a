import type { DemoStory } from '../module'

/**
 * The disclosure demo: on the case awaiting trial, the schedules in versions, signed off, decided item by item,
 * initial disclosure served, the management documents, and a second version of the non-sensitive schedule waiting for
 * sign-off; on the case with the CPS, the non-sensitive schedule that went with the file, waiting for sign-off.
 */
export async function disclosureDemo({ point, caseId, apply, people, daysAgo }: DemoStory) {
  const { inv, sup, pros } = people
  if (point === 'awaiting_trial') {
    // Disclosure: the schedules in versions, signed off, decided item by item; initial disclosure served; the
    // management documents; a second version of the non-sensitive schedule waiting for sign-off.
    const strategy = {
      linesOfEnquiry:
        'CCTV from the bar and the taxi rank; the complainant’s messages with the suspect (three days); cell-site of the suspect’s phone. Not pursued: her full phone download (not a reasonable line of enquiry).',
      digitalStrategy:
        'Targeted kiosk extraction of one conversation over three days, with her agreement after written notice; material outside the scope deleted the same day.',
      thirdParty: 'None sought: no line of enquiry pointed to her medical or counselling records.',
    }
    await apply(inv, caseId, 'record_imd', strategy)
    await apply(inv, caseId, 'record_schedule_version', {
      schedule: 'mg6c',
      items: [
        { description: 'Notes of the complainant’s first account to the call handler' },
        { description: 'CCTV from the bar, 22:00 to 02:00' },
        { description: 'Taxi company booking log for the night' },
      ],
    })
    await apply(inv, caseId, 'record_schedule_version', {
      schedule: 'mg6d',
      items: [
        {
          description: 'Referral form to the sexual assault referral centre',
          reason: 'Contains her address and health information',
        },
      ],
    })
    await apply(inv, caseId, 'record_schedule_version', {
      schedule: 'mg6e',
      items: [
        {
          description: 'Notes of the first account',
          reason: 'Gives the time she left the bar as midnight, not 1am as in her video interview',
        },
      ],
    })
    for (const schedule of ['mg6c', 'mg6d', 'mg6e']) await apply(sup, caseId, 'sign_off_schedule', { schedule })
    await apply(pros, caseId, 'review_disclosure_items', {
      decisions: [
        {
          itemRef: 'C1',
          decision: 'disclose',
          reason: 'The time given differs from her interview: might assist the defence.',
        },
        { itemRef: 'C2', decision: 'not_disclosable', reason: 'Shows nothing either way.' },
        { itemRef: 'C3', decision: 'disclose', reason: 'Supports the defence account of when they left.' },
        { itemRef: 'D1', decision: 'not_disclosable', reason: 'Nothing in it bears on the issues.' },
        { itemRef: 'E1', decision: 'disclose', reason: 'As item C1.' },
      ],
    })
    await apply(pros, caseId, 'record_dmd', { ...strategy, changes: 'First version, served with initial disclosure.' })
    await apply(pros, caseId, 'record_disclosure_served', { stage: 'initial', servedOn: daysAgo(1) })
    await apply(inv, caseId, 'record_schedule_version', {
      schedule: 'mg6c',
      items: [{ description: 'Statement of the door supervisor, who did not see them leave' }],
      amendments: [
        {
          itemRef: 'C2',
          description: 'CCTV from the bar, 22:00 to 02:00: the camera at the door was not working',
          why: 'The first description did not say the door camera was not working',
        },
      ],
    })
  } else if (point === 'with_the_cps') {
    await apply(inv, caseId, 'record_schedule_version', {
      schedule: 'mg6c',
      items: [
        { description: 'Notes of the first account' },
        { description: 'House-to-house enquiries, 14 addresses: nobody saw anything' },
      ],
    })
  }
}
