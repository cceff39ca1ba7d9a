-- The court stage, first part: hearings listed on a case and what happened at each.

CREATE TABLE hearings (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  number integer NOT NULL,
  hearing_type text NOT NULL CHECK (hearing_type IN ('first_appearance', 'ptph', 'further', 'ground_rules', 's28_recording', 'trial', 'sentence')),
  hearing_on date NOT NULL,
  court text NOT NULL,
  received_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('listed', 'held', 'adjourned', 'vacated')),
  requested_by text CHECK (requested_by IN ('prosecution', 'defence', 'court', 'witness_unavailable')),
  listed_seq integer NOT NULL,
  outcome_seq integer,
  UNIQUE (case_id, number)
);
COMMENT ON TABLE hearings IS 'Hearings listed by the court, numbered per case in the order listed (a new date after an adjournment is a new hearing); projected from list_hearing and record_hearing_outcome events.';
COMMENT ON COLUMN hearings.requested_by IS 'Who asked for an adjournment or for the hearing to be vacated.';
