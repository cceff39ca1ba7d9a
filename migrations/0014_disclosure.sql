-- Disclosure: the schedules of unused material and the disclosure officer's report, in versions with sign-off; their
-- items with the prosecutor's decision and when each was served; initial and continuing disclosure and the defence
-- statement. Projected from the disclosure events (src/domain/disclosure.ts); the timeline keeps every version's text.

CREATE TABLE disclosure_versions (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  schedule text NOT NULL CHECK (schedule IN ('mg6c', 'mg6d', 'mg6e')),
  version integer NOT NULL,
  nil boolean NOT NULL DEFAULT false,
  added integer NOT NULL DEFAULT 0,
  amended integer NOT NULL DEFAULT 0,
  prepared_by uuid NOT NULL REFERENCES users (id),
  prepared_seq integer NOT NULL,
  prepared_on date NOT NULL,
  signed_off_by uuid REFERENCES users (id),
  signed_off_seq integer,
  signed_off_on date,
  UNIQUE (case_id, schedule, version)
);
COMMENT ON TABLE disclosure_versions IS 'Each version of a disclosure schedule (MG6C non-sensitive, MG6D sensitive, MG6E disclosure officer''s report) and its sign-off.';

CREATE TABLE disclosure_items (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  schedule text NOT NULL CHECK (schedule IN ('mg6c', 'mg6d', 'mg6e')),
  number integer NOT NULL,
  description text NOT NULL,
  reason text,
  added_version integer NOT NULL,
  amended_version integer,
  decision text CHECK (decision IN ('disclose', 'not_disclosable', 'withhold_pii', 'more_information')),
  decision_reason text,
  decided_by uuid REFERENCES users (id),
  decided_seq integer,
  served_on date,
  served_seq integer,
  UNIQUE (case_id, schedule, number)
);
COMMENT ON TABLE disclosure_items IS 'Items of unused material, numbered consecutively per schedule, with the prosecutor''s latest decision and when the item was served on the defence.';
CREATE INDEX disclosure_items_decision_idx ON disclosure_items (decision);

CREATE TABLE disclosure_milestones (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  kind text NOT NULL CHECK (kind IN ('initial', 'continuing', 'defence_statement')),
  on_date date NOT NULL,
  seq integer NOT NULL
);
COMMENT ON TABLE disclosure_milestones IS 'Initial and continuing disclosure served, and the defence statement received; their clocks are derived from the timeline.';
CREATE UNIQUE INDEX disclosure_one_initial ON disclosure_milestones (case_id, kind) WHERE kind IN ('initial', 'defence_statement');
