-- The application's own database role on PostgreSQL (see docs/operations.md). Run as the schema owner after
-- `casebridge migrate`. It may read and write case data, but may only INSERT into (and read) the audit log, its
-- checkpoints and the timeline: no UPDATE, DELETE or TRUNCATE there, so history cannot be rewritten through the
-- application.
DO $$
BEGIN
  CREATE ROLE casebridge_app NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
GRANT USAGE ON SCHEMA public TO casebridge_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  organisations, force_areas, unit_coverage, outcome_types, offence_codes, users, user_roles, sessions, api_tokens,
  urn_serials, cases, case_access, case_people, case_offences, bank_holidays, calendar_coverage, clock_settings,
  charging_decisions, action_plan_items, escalations, tasks, notification_outbox, escalation_ladders,
  safe_contact_details, hearings, charges, sentences, court_directions, advocates, advocate_training,
  advocate_unavailability, advocate_conflicts, case_advocates, material_requests, material_request_scopes,
  device_spells, disclosure_versions, disclosure_items, disclosure_milestones, measure_cells, measure_case_state,
  sign_in_attempts
  TO casebridge_app;
GRANT SELECT ON schema_migrations TO casebridge_app;
GRANT SELECT, INSERT ON audit_log, audit_checkpoints, case_events, measure_releases TO casebridge_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_checkpoints, case_events, measure_releases FROM casebridge_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO casebridge_app;
