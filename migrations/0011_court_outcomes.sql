-- The court stage, second part: the charges each defendant faces, pleas, results and sentences; the judge's directions.

CREATE TABLE charges (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  number integer NOT NULL,
  suspect_id uuid NOT NULL REFERENCES case_people (id),
  offence_code text NOT NULL REFERENCES offence_codes (code),
  description text NOT NULL,
  added_seq integer NOT NULL,
  plea text CHECK (plea IN ('guilty', 'not_guilty')),
  plea_hearing integer,
  plea_at_first_hearing boolean,
  result text CHECK (result IN ('convicted_plea', 'convicted_trial', 'acquitted', 'discontinued', 'no_evidence_offered', 'left_on_file')),
  result_on date,
  result_seq integer,
  dropped_reason text,
  dropped_at_hearing integer,
  UNIQUE (case_id, number)
);
COMMENT ON TABLE charges IS 'Each charge (count) a defendant faces at court, numbered per case; projected from record_charges, amend_charge, record_plea, record_verdict and end_charge events.';
COMMENT ON COLUMN charges.plea_at_first_hearing IS 'A guilty plea entered at the first hearing of the case that was not vacated (a success measure of the RASSO strategy).';
COMMENT ON COLUMN charges.dropped_at_hearing IS 'For a charge discontinued, with no evidence offered or left on file: how many hearings the case had reached (the strategy measures cases dropped at the third or a later hearing).';
CREATE INDEX charges_result_idx ON charges (result);

CREATE TABLE sentences (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  suspect_id uuid NOT NULL REFERENCES case_people (id),
  sentence text NOT NULL CHECK (sentence IN ('immediate_custody', 'suspended', 'community', 'hospital', 'discharge', 'other')),
  custody_months integer CHECK (custody_months BETWEEN 1 AND 1200),
  hearing_number integer NOT NULL,
  sentenced_on date NOT NULL,
  seq integer NOT NULL,
  UNIQUE (case_id, suspect_id)
);
COMMENT ON TABLE sentences IS 'The sentence passed on each convicted defendant; projected from record_sentence events.';

CREATE TABLE court_directions (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  number integer NOT NULL,
  hearing_number integer NOT NULL,
  party text NOT NULL CHECK (party IN ('prosecution', 'defence', 'both', 'other')),
  description text NOT NULL,
  due_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'complied', 'not_complied')),
  complied_on date,
  set_seq integer NOT NULL,
  UNIQUE (case_id, number)
);
COMMENT ON TABLE court_directions IS 'Directions a judge made at a hearing, numbered per case in the order made; projected from record_directions and record_direction_compliance events. Their clocks are derived from the timeline.';
