-- Pre-charge casework: early advice, the charging referral and charging decisions per suspect.

ALTER TABLE cases ADD COLUMN early_advice_status text CHECK (early_advice_status IN ('requested', 'declined', 'given'));
ALTER TABLE cases ADD COLUMN referral_status text CHECK (referral_status IN ('prepared', 'signed_off'));
ALTER TABLE cases ADD COLUMN referral_prepared_by uuid REFERENCES users (id);
ALTER TABLE cases ADD COLUMN referral_category text CHECK (referral_category IN ('red', 'green', 'green_priority'));
COMMENT ON COLUMN cases.early_advice_status IS 'Where the latest early advice request stands.';
COMMENT ON COLUMN cases.referral_status IS 'A charging referral prepared by the police, or signed off by a supervisor and with the CPS.';

CREATE TABLE charging_decisions (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  seq integer NOT NULL,
  suspect_id uuid NOT NULL REFERENCES case_people (id),
  test text NOT NULL CHECK (test IN ('full_code', 'threshold')),
  outcome text NOT NULL CHECK (outcome IN ('charge', 'nfa_evidential', 'nfa_public_interest', 'out_of_court_disposal')),
  decided_on date NOT NULL,
  full_code_review_by date,
  decided_by uuid NOT NULL REFERENCES users (id),
  UNIQUE (case_id, seq)
);
CREATE INDEX charging_decisions_case ON charging_decisions (case_id, suspect_id);
CREATE INDEX charging_decisions_outcome ON charging_decisions (outcome, decided_on);
COMMENT ON TABLE charging_decisions IS 'Each charging decision per suspect (the reasoning is on the timeline row); typed for the joint measures.';
