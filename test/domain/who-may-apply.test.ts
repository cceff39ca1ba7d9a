import { describe, expect, it } from 'vitest'
import { EVENT_DEFINITIONS } from '../../src/modules/registry'
import { refusal } from '../../src/core/event-model'
import { ROLES, type Role } from '../../src/core/roles'
import { caseFacts as facts } from '../helpers/facts'

/**
 * Who may apply each event, written out by hand so it is not read from the code it tests: a change to who may record
 * what is a change to this table, made on purpose and reviewed (issue 19 moves every event into a module folder, and
 * this table must come through unchanged). An assigned ISVA may also record a liaison note from the victim-support view.
 */
const WHO_MAY_APPLY: Record<string, readonly Role[]> = {
  start_investigation: ['investigator', 'police_supervisor'],
  record_arrest: ['investigator', 'police_supervisor'],
  record_interview: ['investigator', 'police_supervisor'],
  record_bail: ['investigator', 'police_supervisor'],
  record_released_under_investigation: ['investigator', 'police_supervisor'],
  add_person: ['cps_unit_head', 'investigator', 'police_supervisor', 'prosecutor'],
  correct_person: ['cps_unit_head', 'investigator', 'police_supervisor', 'prosecutor'],
  add_offence: ['cps_unit_head', 'investigator', 'police_supervisor', 'prosecutor'],
  propose_police_outcome: ['investigator', 'police_supervisor'],
  return_police_outcome: ['police_supervisor'],
  sign_off_police_outcome: ['police_supervisor'],
  reopen: ['police_supervisor', 'prosecutor'],
  administratively_finalise: ['cps_unit_head'],
  set_action_plan: ['prosecutor'],
  answer_action_item: ['investigator', 'police_supervisor'],
  request_more_time: ['investigator', 'police_supervisor'],
  decide_more_time: ['prosecutor'],
  request_early_advice: ['investigator', 'police_supervisor'],
  accept_early_advice: ['prosecutor'],
  decline_early_advice: ['prosecutor'],
  challenge_early_advice_decline: ['police_inspector'],
  decide_early_advice_challenge: ['cps_unit_head'],
  give_early_advice: ['prosecutor'],
  prepare_charging_referral: ['investigator', 'police_supervisor'],
  return_charging_referral: ['police_supervisor'],
  sign_off_charging_referral: ['police_supervisor'],
  record_charging_decision: ['prosecutor'],
  record_victim_contact: ['investigator', 'police_supervisor', 'prosecutor', 'witness_care'],
  set_contact_preferences: ['investigator', 'police_supervisor', 'witness_care'],
  record_needs_assessment: ['investigator', 'police_supervisor', 'witness_care'],
  refer_to_support: ['investigator', 'police_supervisor', 'witness_care'],
  assign_isva: ['investigator', 'police_supervisor', 'witness_care'],
  end_isva_assignment: ['investigator', 'police_supervisor', 'witness_care'],
  record_isva_note: ['isva'], // and an assigned ISVA
  record_special_measures: ['cps_unit_head', 'investigator', 'police_supervisor', 'prosecutor', 'witness_care'],
  apply_special_measures: ['prosecutor'],
  record_special_measures_ruling: ['prosecutor', 'witness_care'],
  record_special_measures_meeting: ['prosecutor', 'witness_care'],
  send_victim_letter: ['investigator', 'police_supervisor', 'witness_care'],
  record_withdrawal_of_support: ['investigator', 'police_supervisor', 'witness_care'],
  request_vrr: ['cps_unit_head', 'investigator', 'police_supervisor', 'prosecutor', 'witness_care'],
  acknowledge_vrr: ['police_inspector', 'police_supervisor'],
  record_vrr_local_resolution: ['cps_unit_head', 'prosecutor'],
  decide_vrr: ['cps_unit_head', 'police_inspector', 'police_supervisor', 'prosecutor'],
  list_hearing: ['prosecutor', 'witness_care'],
  record_hearing_outcome: ['prosecutor', 'witness_care'],
  record_directions: ['prosecutor'],
  record_direction_compliance: ['prosecutor'],
  record_charges: ['prosecutor'],
  amend_charge: ['prosecutor'],
  record_plea: ['prosecutor'],
  record_verdict: ['prosecutor', 'witness_care'],
  record_sentence: ['prosecutor', 'witness_care'],
  end_charge: ['prosecutor'],
  instruct_advocate: ['cps_unit_head', 'prosecutor'],
  record_returned_brief: ['cps_unit_head', 'prosecutor'],
  record_counsel_report: ['cps_unit_head', 'prosecutor'],
  propose_material_request: ['investigator', 'police_supervisor'],
  decide_material_request: ['police_supervisor'],
  review_material_request: ['prosecutor'],
  rescope_material_request: ['investigator', 'police_supervisor'],
  give_material_notice: ['investigator', 'police_supervisor'],
  record_material_answer: ['investigator', 'police_supervisor'],
  withdraw_material_agreement: ['investigator', 'police_supervisor'],
  record_fair_trial_consideration: ['prosecutor'],
  record_device_taken: ['investigator', 'police_supervisor'],
  record_extraction: ['investigator', 'police_supervisor'],
  record_device_returned: ['investigator', 'police_supervisor'],
  record_material_request_sent: ['investigator', 'police_supervisor'],
  record_holder_response: ['investigator', 'police_supervisor'],
  record_schedule_version: ['investigator', 'police_supervisor'],
  sign_off_schedule: ['police_supervisor'],
  review_disclosure_items: ['prosecutor'],
  record_imd: ['investigator', 'police_supervisor'],
  record_dmd: ['prosecutor'],
  record_disclosure_served: ['prosecutor'],
  record_defence_statement: ['prosecutor'],
}

describe('who may apply each event', () => {
  it('the table names every event, and no other', () => {
    expect(Object.keys(WHO_MAY_APPLY).sort()).toEqual(EVENT_DEFINITIONS.map((d) => d.type).sort())
  })

  for (const definition of EVENT_DEFINITIONS) {
    it(`${definition.type}: the roles in the table, and no other role`, () => {
      const allowed = WHO_MAY_APPLY[definition.type]!
      for (const role of ROLES) {
        const result = refusal(definition, facts({ stage: definition.from[0]! }), {
          id: 'actor-1',
          roles: [role],
          orgCode: 'avon-and-somerset',
        })
        if (allowed.includes(role)) expect(result, role).toBeNull()
        else expect(result, role).toMatchObject({ status: 403, code: 'role_not_allowed' })
      }
    })
  }
})
