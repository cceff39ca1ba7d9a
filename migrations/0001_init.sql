-- Casebridge foundation: reference data, people and access, the case record, its timeline and the audit log.

CREATE TABLE organisations (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('police_force', 'cps_area', 'witness_care_unit', 'isva_service', 'service')),
  urn_code text UNIQUE CHECK (urn_code ~ '^[0-9A-Z]{2}$'),
  active boolean NOT NULL DEFAULT true,
  source text NOT NULL
);
COMMENT ON TABLE organisations IS 'Police forces, CPS areas, witness care units, ISVA services and the service itself. Reference data, editable by an administrator.';
COMMENT ON COLUMN organisations.urn_code IS 'Two-character force code that starts each joint URN; police forces only.';

CREATE TABLE force_areas (
  force_code text NOT NULL REFERENCES organisations (code),
  area_code text NOT NULL REFERENCES organisations (code),
  is_default boolean NOT NULL DEFAULT false,
  PRIMARY KEY (force_code, area_code)
);
CREATE UNIQUE INDEX force_areas_one_default ON force_areas (force_code) WHERE is_default;
COMMENT ON TABLE force_areas IS 'Which CPS areas take cases from which police force (many-to-many, one default per force).';

CREATE TABLE unit_coverage (
  unit_code text NOT NULL REFERENCES organisations (code),
  force_code text NOT NULL REFERENCES organisations (code),
  PRIMARY KEY (unit_code, force_code)
);
COMMENT ON TABLE unit_coverage IS 'The police forces a witness care unit covers.';

CREATE TABLE outcome_types (
  code integer PRIMARY KEY CHECK (code BETWEEN 0 AND 99),
  name text NOT NULL,
  outcome_group text NOT NULL,
  is_outcome boolean NOT NULL,
  source text NOT NULL
);
COMMENT ON TABLE outcome_types IS 'Home Office crime outcome types (0 = not yet assigned).';

CREATE TABLE offence_codes (
  code text PRIMARY KEY,
  name text NOT NULL,
  category text NOT NULL CHECK (category IN ('rape', 'other_sexual')),
  adult_rape boolean NOT NULL,
  active boolean NOT NULL DEFAULT true,
  source text NOT NULL
);
COMMENT ON TABLE offence_codes IS 'Home Office offence classification codes for sexual offences.';

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  org_code text NOT NULL REFERENCES organisations (code),
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE users IS 'People who sign in. Each belongs to one organisation.';

CREATE TABLE user_roles (
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('investigator', 'police_supervisor', 'prosecutor', 'cps_unit_head', 'witness_care', 'isva', 'scrutiny_panel', 'analyst', 'admin')),
  PRIMARY KEY (user_id, role)
);
COMMENT ON TABLE user_roles IS 'The roles a user holds; access is the intersection of role and organisation.';

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  csrf_token text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user ON sessions (user_id);
COMMENT ON TABLE sessions IS 'Signed-in browser sessions; the cookie holds a random id, only its hash is stored.';

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
COMMENT ON TABLE api_tokens IS 'Bearer tokens for system-to-system use; only a hash is stored.';

CREATE TABLE urn_serials (
  force_code text NOT NULL,
  unit text NOT NULL,
  year2 text NOT NULL,
  last_serial integer NOT NULL,
  PRIMARY KEY (force_code, unit, year2)
);
COMMENT ON TABLE urn_serials IS 'The last serial number used for joint police-CPS URNs per force, unit and year.';

CREATE TABLE cases (
  id uuid PRIMARY KEY,
  urn text NOT NULL UNIQUE,
  crime_reference text NOT NULL,
  force_code text NOT NULL REFERENCES organisations (code),
  area_code text NOT NULL REFERENCES organisations (code),
  stage text NOT NULL CHECK (stage IN ('reported', 'investigation', 'awaiting_charging_decision', 'action_plan', 'charged', 'finalised')),
  final_outcome text,
  police_outcome_code integer REFERENCES outcome_types (code),
  proposed_outcome_code integer REFERENCES outcome_types (code),
  proposed_by uuid REFERENCES users (id),
  reported_on date NOT NULL,
  finalised_on date,
  vulnerable boolean NOT NULL DEFAULT false,
  domestic_abuse boolean NOT NULL DEFAULT false,
  non_recent boolean NOT NULL DEFAULT false,
  child_at_time boolean NOT NULL DEFAULT false,
  restricted boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_by uuid NOT NULL REFERENCES users (id),
  create_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (created_by, create_key)
);
CREATE INDEX cases_force_stage ON cases (force_code, stage, updated_at DESC);
CREATE INDEX cases_area_stage ON cases (area_code, stage);
CREATE INDEX cases_reported_on ON cases (reported_on);
CREATE INDEX cases_crime_reference ON cases (crime_reference);
COMMENT ON TABLE cases IS 'The projected state of each case. Changed only by applying an event (case_events) in the same transaction.';

CREATE TABLE case_access (
  case_id uuid NOT NULL REFERENCES cases (id),
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('restricted', 'isva')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, user_id, kind)
);
CREATE INDEX case_access_user ON case_access (user_id, kind);
COMMENT ON TABLE case_access IS 'Named access: the access list of a restricted case, and ISVAs assigned to a case.';

CREATE TABLE case_people (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  role text NOT NULL CHECK (role IN ('complainant', 'suspect', 'witness')),
  name text,
  unknown boolean NOT NULL DEFAULT false,
  date_of_birth date,
  age_band text,
  sex text,
  ethnicity text,
  disability text,
  relationship_to_complainant text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (unknown OR name IS NOT NULL)
);
CREATE INDEX case_people_case ON case_people (case_id, role);
COMMENT ON TABLE case_people IS 'Complainants, suspects and witnesses: only what the case needs. Measured attributes are typed columns.';

CREATE TABLE case_offences (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  code text NOT NULL REFERENCES offence_codes (code),
  committed_from date NOT NULL,
  committed_to date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (committed_to IS NULL OR committed_to >= committed_from)
);
CREATE INDEX case_offences_case ON case_offences (case_id);
CREATE INDEX case_offences_code ON case_offences (code);
COMMENT ON TABLE case_offences IS 'Offences on a case, coded with the Home Office classification.';

CREATE TABLE case_events (
  id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  seq integer NOT NULL,
  type text NOT NULL,
  definition_version integer NOT NULL,
  actor_id uuid NOT NULL REFERENCES users (id),
  actor_role text NOT NULL,
  actor_org text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  summary text NOT NULL,
  data jsonb NOT NULL,
  stage_before text,
  stage_after text NOT NULL,
  idempotency_key text,
  UNIQUE (case_id, seq),
  UNIQUE (case_id, idempotency_key)
);
CREATE INDEX case_events_type_time ON case_events (type, occurred_at);
COMMENT ON TABLE case_events IS 'The shared timeline: one immutable row per event applied to a case.';

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid,
  actor_org text,
  actor_role text,
  operation text NOT NULL CHECK (operation IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure')),
  action text NOT NULL,
  record_type text NOT NULL,
  record_ids text[] NOT NULL,
  justification text NOT NULL,
  correlation_id text,
  result_count integer,
  outcome text NOT NULL DEFAULT 'ok',
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_records ON audit_log USING gin (record_ids);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
COMMENT ON TABLE audit_log IS 'Append-only log of every collection, alteration, consultation, disclosure, combination and erasure (DPA 2018 s.62). Each row hashes its content and the previous row''s hash.';

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE FUNCTION timeline_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events rows are immutable';
END;
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION timeline_is_immutable();
