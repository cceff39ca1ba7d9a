import type { ColumnType, Generated, RawBuilder, Selectable } from 'kysely'
import type { ChargeResult } from '../core/event-model'
import type { RequestState } from '../modules/digital/rules'
import type { Schedule } from '../modules/disclosure/rules'

/** Dates are ISO strings (YYYY-MM-DD) in and out: the pg type parser for `date` is switched off in database.ts. */
type DateColumn = ColumnType<string, string, string>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json = ColumnType<unknown, string, string>

export interface OrganisationsTable {
  code: string
  name: string
  kind: 'police_force' | 'cps_area' | 'witness_care_unit' | 'isva_service' | 'service'
  urn_code: string | null
  active: Generated<boolean>
  source: string
}
export interface ForceAreasTable {
  force_code: string
  area_code: string
  is_default: Generated<boolean>
}
export interface UnitCoverageTable {
  unit_code: string
  force_code: string
}
export interface OutcomeTypesTable {
  code: number
  name: string
  outcome_group: string
  is_outcome: boolean
  source: string
}
export interface OffenceCodesTable {
  code: string
  name: string
  category: 'rape' | 'other_sexual'
  adult_rape: boolean
  active: Generated<boolean>
  source: string
}
export interface UsersTable {
  id: string
  email: string
  name: string
  org_code: string
  password_hash: string
  active: Generated<boolean>
  failed_sign_ins: Generated<number>
  locked_until: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export interface UserRolesTable {
  user_id: string
  role: string
}
export interface SessionsTable {
  id_hash: string
  user_id: string
  csrf_token: string
  data: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: Generated<Date>
  last_seen_at: Timestamp
}
export interface ApiTokensTable {
  id: string
  user_id: string
  token_hash: string
  label: string
  created_at: Generated<Date>
  last_used_at: Date | null
  revoked_at: Date | null
}
export interface UrnSerialsTable {
  force_code: string
  unit: string
  year2: string
  last_serial: number
}
export interface CasesTable {
  id: string
  urn: string
  crime_reference: string
  force_code: string
  area_code: string
  stage: string
  final_outcome: string | null
  police_outcome_code: number | null
  proposed_outcome_code: number | null
  proposed_by: string | null
  reported_on: DateColumn
  finalised_on: DateColumn | null
  vulnerable: boolean
  domestic_abuse: boolean
  non_recent: boolean
  child_at_time: boolean
  restricted: boolean
  early_advice_status: ColumnType<string | null, string | null | undefined, string | null>
  referral_status: ColumnType<string | null, string | null | undefined, string | null>
  referral_prepared_by: ColumnType<string | null, string | null | undefined, string | null>
  referral_category: ColumnType<string | null, string | null | undefined, string | null>
  referral_suspect_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>
  version: number
  created_by: string
  create_key: string | null
  created_at: Generated<Date>
  updated_at: Timestamp
}
export interface CaseAccessTable {
  case_id: string
  user_id: string
  kind: 'restricted' | 'isva'
  person_id: string | null
  granted_at: Generated<Date>
}
export interface SafeContactDetailsTable {
  person_id: string
  case_id: string
  phone: string | null
  email: string | null
  address: string | null
  notes: string | null
  updated_by: string
  updated_at: Timestamp
}
export interface CasePeopleTable {
  id: string
  case_id: string
  added_seq: number | null
  role: 'complainant' | 'suspect' | 'witness'
  name: string | null
  unknown: boolean
  date_of_birth: DateColumn | null
  age_band: string | null
  sex: string | null
  ethnicity: string | null
  disability: string | null
  relationship_to_complainant: string | null
  created_at: Generated<Date>
}
export interface CaseOffencesTable {
  id: string
  case_id: string
  code: string
  committed_from: DateColumn
  committed_to: DateColumn | null
  created_at: Generated<Date>
}
export interface CaseEventsTable {
  id: Generated<string>
  case_id: string
  seq: number
  type: string
  definition_version: number
  actor_id: string
  actor_role: string
  actor_org: string
  occurred_at: Generated<Date>
  summary: string
  data: Json
  stage_before: string | null
  stage_after: string
  idempotency_key: string | null
}
export interface AuditLogTable {
  id: Generated<string>
  at: ColumnType<Date, string, never>
  actor_id: string | null
  actor_org: string | null
  actor_role: string | null
  operation: string
  action: string
  record_type: string
  record_ids: string[]
  justification: string
  correlation_id: string | null
  result_count: number | null
  outcome: string
  prev_hash: string
  hash: string
  /** Fingerprint of the key whose HMAC is `hash`; null on rows written before migration 0018 (plain SHA-256). */
  key_id: string | null
}
export interface AuditCheckpointsTable {
  id: Generated<string>
  at: ColumnType<Date, string, never>
  row_count: ColumnType<string, number, never>
  last_id: ColumnType<string, number, never>
  head_hash: string
  written_by: string
  key_id: string
  signature: string
}
export interface BankHolidaysTable {
  date: DateColumn
  title: string
  notes: string
}
export interface CalendarCoverageTable {
  id: Generated<number>
  first_year: number
  last_year: number
  source: string
  updated_at: Timestamp
}
export interface ClockSettingsTable {
  rule_id: string
  days: number
  updated_by: string | null
  updated_at: Timestamp
}
export interface ChargingDecisionsTable {
  id: string
  case_id: string
  seq: number
  suspect_id: string
  test: 'full_code' | 'threshold'
  outcome: 'charge' | 'nfa_evidential' | 'nfa_public_interest' | 'out_of_court_disposal'
  decided_on: DateColumn
  full_code_review_by: DateColumn | null
  decided_by: string
}
export interface ActionPlanItemsTable {
  id: string
  case_id: string
  number: number
  set_seq: number
  description: string
  owner_role: 'investigator' | 'police_supervisor'
  proportionality: string
  due_on: DateColumn
  status: 'open' | 'done' | 'not_possible' | 'not_proportionate'
  answered_seq: number | null
  answered_on: DateColumn | null
  set_on: DateColumn
  proposed_due_on: ColumnType<string | null, string | null | undefined, string | null>
}
export interface HearingsTable {
  id: string
  case_id: string
  number: number
  hearing_type: string
  hearing_on: DateColumn
  court: string
  received_on: DateColumn
  status: 'listed' | 'held' | 'adjourned' | 'vacated'
  requested_by: string | null
  listed_seq: number
  outcome_seq: number | null
  advocate_id: ColumnType<string | null, string | null | undefined, string | null>
}
export interface ChargesTable {
  id: string
  case_id: string
  number: number
  suspect_id: string
  offence_code: string
  description: string
  added_seq: number
  plea: 'guilty' | 'not_guilty' | null
  plea_hearing: number | null
  plea_at_first_hearing: boolean | null
  result: ChargeResult | null
  result_on: DateColumn | null
  result_seq: number | null
  dropped_reason: string | null
  dropped_at_hearing: number | null
}
export interface SentencesTable {
  id: string
  case_id: string
  suspect_id: string
  sentence: string
  custody_months: number | null
  hearing_number: number
  sentenced_on: DateColumn
  seq: number
}
export interface MaterialRequestsTable {
  id: string
  case_id: string
  number: number
  person_id: string
  material: string
  kind: 'device' | 'third_party'
  holder: string | null
  state: RequestState
  scope_stage: number
  proposed_by: string
  proposed_seq: number
  agreed_on: DateColumn | null
  answered_by: string | null
  held: boolean
  holder_status: 'sent' | 'received' | 'part' | 'declined' | null
  sent_on: DateColumn | null
  responded_on: DateColumn | null
  fair_trial_conclusion: string | null
}
export interface MaterialRequestScopesTable {
  id: string
  request_id: string
  stage: number
  date_from: DateColumn
  date_to: DateColumn
  categories: string[]
  contacts: string | null
  search_terms: string | null
  recorded_by: string
  recorded_seq: number
  decision: string | null
  decided_by: string | null
  decided_seq: number | null
  review: string | null
  reviewed_by: string | null
  notice_on: DateColumn | null
  answer: string | null
  answered_on: DateColumn | null
}
export interface DeviceSpellsTable {
  id: string
  request_id: string
  scope_stage: number
  device: string
  taken_on: DateColumn
  taken_seq: number
  extracted_on: DateColumn | null
  method: string | null
  scope_applied: string | null
  outside_scope: string | null
  returned_on: DateColumn | null
  returned_seq: number | null
}
export interface DisclosureVersionsTable {
  id: string
  case_id: string
  schedule: Schedule
  version: number
  nil: boolean
  added: number
  amended: number
  prepared_by: string
  prepared_seq: number
  prepared_on: DateColumn
  signed_off_by: string | null
  signed_off_seq: number | null
  signed_off_on: DateColumn | null
}
export interface DisclosureItemsTable {
  id: string
  case_id: string
  schedule: Schedule
  number: number
  description: string
  reason: string | null
  added_version: number
  amended_version: number | null
  decision: string | null
  decision_reason: string | null
  decided_by: string | null
  decided_seq: number | null
  served_on: DateColumn | null
  served_seq: number | null
}
export interface DisclosureMilestonesTable {
  id: string
  case_id: string
  kind: 'initial' | 'continuing' | 'defence_statement'
  on_date: DateColumn
  seq: number
}
export interface MeasureCellsTable {
  measure_id: string
  breakdown: string
  quarter: DateColumn
  force_code: string
  area_code: string
  offence_group: string
  breakdown_value: string
  category: string
  days: number
  numerator: ColumnType<string, number, number>
  denominator: ColumnType<string, number, number>
}
export interface MeasureCaseStateTable {
  case_id: string
  contributions: unknown
  refreshed_at: Generated<Date>
}
export interface MeasureReleasesTable {
  id: Generated<string>
  at: Generated<Date>
  user_id: string | null
  user_org: string | null
  measure_ids: string[]
  output: 'page' | 'api' | 'csv' | 'ods' | 'pack'
  parameters: unknown
  disclosure_control: unknown
  row_count: number
  suppressed_count: number
}
export interface CourtDirectionsTable {
  id: string
  case_id: string
  number: number
  hearing_number: number
  party: string
  description: string
  due_on: DateColumn
  status: 'open' | 'complied' | 'not_complied'
  complied_on: DateColumn | null
  set_seq: number
}
export interface AdvocatesTable {
  id: string
  name: string
  kind: 'in_house' | 'external'
  chambers: string
  area_code: string
  rasso_panel: boolean
  admitted_on: DateColumn | null
  accreditation_expires_on: DateColumn | null
  active: ColumnType<boolean, boolean | undefined, boolean>
  version: ColumnType<number, number | undefined, number | RawBuilder<number>>
  created_at: ColumnType<Date, Date | undefined, Date>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
export interface AdvocateTrainingTable {
  id: string
  advocate_id: string
  course: string
  completed_on: DateColumn
  expires_on: DateColumn | null
}
export interface AdvocateUnavailabilityTable {
  id: string
  advocate_id: string
  from_on: DateColumn
  to_on: DateColumn
  reason: string
}
export interface AdvocateConflictsTable {
  id: string
  advocate_id: string
  case_id: string
  reason: string
}
export interface CaseAdvocatesTable {
  id: string
  case_id: string
  advocate_id: string
  instructed_on: DateColumn
  instructed_seq: number
  ended_on: DateColumn | null
  ended_seq: number | null
  end_reason: 'replaced' | 'returned' | null
  returned_reason: string | null
}
export interface EscalationsTable {
  id: string
  case_id: string
  item_id: string
  step: string
  step_index: number
  due_on: DateColumn
  created_at: Generated<Date>
}
export interface TasksTable {
  id: string
  case_id: string
  escalation_id: string | null
  kind: string
  role: string
  org_code: string
  title: string
  due_on: ColumnType<string | null, string | null, string | null>
  created_at: Generated<Date>
  done_at: Date | null
  opened_seq: number | null
  closed_seq: number | null
}
export interface EscalationLaddersTable {
  id: string
  force_code: string | null
  area_code: string | null
  steps: ColumnType<unknown, string, string>
  updated_by: string | null
  updated_at: Generated<Date>
}
export interface NotificationOutboxTable {
  id: string
  task_id: string | null
  recipient_role: string
  org_code: string
  channel: 'email' | 'in_app' | 'victim_email'
  case_id: string | null
  person_id: string | null
  event_seq: number | null
  subject: string
  body: string
  created_at: Generated<Date>
  sent_at: Date | null
  attempts: Generated<number>
  last_error: string | null
  delivered_to: number | null
  last_attempt_at: Date | null
}
export interface SignInAttemptsTable {
  address_key: string
  account_key: string
  attempts: number
  window_started_at: Date
  blocked_until: Date | null
  last_attempt_at: Date
}
export interface SchemaMigrationsTable {
  version: string
  applied_at: Generated<Date>
}

export interface Database {
  organisations: OrganisationsTable
  force_areas: ForceAreasTable
  unit_coverage: UnitCoverageTable
  outcome_types: OutcomeTypesTable
  offence_codes: OffenceCodesTable
  users: UsersTable
  user_roles: UserRolesTable
  sessions: SessionsTable
  sign_in_attempts: SignInAttemptsTable
  api_tokens: ApiTokensTable
  urn_serials: UrnSerialsTable
  cases: CasesTable
  case_access: CaseAccessTable
  safe_contact_details: SafeContactDetailsTable
  case_people: CasePeopleTable
  case_offences: CaseOffencesTable
  case_events: CaseEventsTable
  audit_log: AuditLogTable
  audit_checkpoints: AuditCheckpointsTable
  schema_migrations: SchemaMigrationsTable
  bank_holidays: BankHolidaysTable
  calendar_coverage: CalendarCoverageTable
  clock_settings: ClockSettingsTable
  charging_decisions: ChargingDecisionsTable
  action_plan_items: ActionPlanItemsTable
  hearings: HearingsTable
  charges: ChargesTable
  sentences: SentencesTable
  court_directions: CourtDirectionsTable
  material_requests: MaterialRequestsTable
  material_request_scopes: MaterialRequestScopesTable
  device_spells: DeviceSpellsTable
  disclosure_versions: DisclosureVersionsTable
  disclosure_items: DisclosureItemsTable
  disclosure_milestones: DisclosureMilestonesTable
  measure_cells: MeasureCellsTable
  measure_case_state: MeasureCaseStateTable
  measure_releases: MeasureReleasesTable
  advocates: AdvocatesTable
  advocate_training: AdvocateTrainingTable
  advocate_unavailability: AdvocateUnavailabilityTable
  advocate_conflicts: AdvocateConflictsTable
  case_advocates: CaseAdvocatesTable
  escalations: EscalationsTable
  tasks: TasksTable
  notification_outbox: NotificationOutboxTable
  escalation_ladders: EscalationLaddersTable
}

export type CaseRow = Selectable<CasesTable>
export type PersonRow = Selectable<CasePeopleTable>
export type OffenceRow = Selectable<CaseOffencesTable>
export type EventRow = Selectable<CaseEventsTable>
export type AuditRow = Selectable<AuditLogTable>
