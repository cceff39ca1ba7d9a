-- Requests for a complainant's or witness's device or third-party records, their staged scopes and the device's
-- journey. Projected from the material request events (src/domain/digital.ts); the timeline keeps what was recorded.

CREATE TABLE material_requests (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  number integer NOT NULL,
  person_id uuid NOT NULL REFERENCES case_people (id),
  material text NOT NULL CHECK (material IN ('phone', 'tablet', 'computer', 'other_device', 'medical', 'counselling',
    'social_services', 'education', 'phone_records', 'other_records')),
  kind text NOT NULL CHECK (kind IN ('device', 'third_party')),
  holder text,
  state text NOT NULL CHECK (state IN ('awaiting_approval', 'not_approved', 'awaiting_review', 'new_scope_needed',
    'not_pursued', 'approved', 'notice_given', 'agreed', 'refused', 'withdrawn')),
  scope_stage integer NOT NULL DEFAULT 1,
  proposed_by uuid NOT NULL REFERENCES users (id),
  proposed_seq integer NOT NULL,
  agreed_on date,
  answered_by text CHECK (answered_by IN ('the_person', 'parent_guardian', 'other_adult')),
  held boolean NOT NULL DEFAULT false,
  holder_status text CHECK (holder_status IN ('sent', 'received', 'part', 'declined')),
  sent_on date,
  responded_on date,
  fair_trial_conclusion text CHECK (fair_trial_conclusion IN ('fair_trial_possible', 'defence_told', 'may_not_proceed')),
  UNIQUE (case_id, number)
);
COMMENT ON TABLE material_requests IS 'Requests for a complainant''s or witness''s device or third-party records, numbered per case; restricted to the case team (an ISVA sees only the plain-language status, from notice on).';
CREATE INDEX material_requests_kind_state_idx ON material_requests (kind, state);

CREATE TABLE material_request_scopes (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES material_requests (id),
  stage integer NOT NULL,
  date_from date NOT NULL,
  date_to date NOT NULL,
  categories text[] NOT NULL DEFAULT '{}',
  contacts text,
  search_terms text,
  recorded_by uuid NOT NULL REFERENCES users (id),
  recorded_seq integer NOT NULL,
  decision text CHECK (decision IN ('approve', 'approve_for_review', 'not_approve')),
  decided_by uuid REFERENCES users (id),
  decided_seq integer,
  review text CHECK (review IN ('proceed', 'narrow', 'do_not_pursue')),
  reviewed_by uuid REFERENCES users (id),
  notice_on date,
  answer text CHECK (answer IN ('agreed', 'refused')),
  answered_on date,
  UNIQUE (request_id, stage)
);
COMMENT ON TABLE material_request_scopes IS 'Each staged scope of a request: the first, and every wider or narrower one, each decided, reviewed, noticed and answered on its own.';

CREATE TABLE device_spells (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES material_requests (id),
  scope_stage integer NOT NULL,
  device text NOT NULL,
  taken_on date NOT NULL,
  taken_seq integer NOT NULL,
  extracted_on date,
  method text CHECK (method IN ('selective', 'kiosk', 'full_filtered', 'manual')),
  scope_applied text CHECK (scope_applied IN ('as_approved', 'narrower')),
  outside_scope text CHECK (outside_scope IN ('none', 'deleted', 'sealed', 'retained')),
  returned_on date,
  returned_seq integer
);
COMMENT ON TABLE device_spells IS 'Each time the police held a device: taken, extracted, returned. Days without the device are counted from here.';
CREATE UNIQUE INDEX device_spells_one_held ON device_spells (request_id) WHERE returned_on IS NULL;
