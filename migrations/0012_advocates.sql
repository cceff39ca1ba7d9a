-- The RASSO advocate panel: advocates, their training, times they are not available, conflicts with cases, and their
-- instructions on cases. Continuity of counsel is measured from the advocate who appeared at each hearing held.

CREATE TABLE advocates (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('in_house', 'external')),
  chambers text NOT NULL,
  area_code text NOT NULL REFERENCES organisations (code),
  rasso_panel boolean NOT NULL,
  admitted_on date,
  accreditation_expires_on date,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE advocates IS 'In-house Crown Advocates and external counsel on a CPS area''s panel. admitted_on is the date they joined the RASSO list (their 12 months of probation run from it); accreditation_expires_on is when their RASSO list membership must be renewed.';
CREATE INDEX advocates_area_idx ON advocates (area_code);

CREATE TABLE advocate_training (
  id uuid PRIMARY KEY,
  advocate_id uuid NOT NULL REFERENCES advocates (id),
  course text NOT NULL CHECK (course IN ('rasso_core', 'disclosure', 'section_28')),
  completed_on date NOT NULL,
  expires_on date,
  CHECK (expires_on IS NULL OR expires_on > completed_on)
);
CREATE INDEX advocate_training_idx ON advocate_training (advocate_id);

CREATE TABLE advocate_unavailability (
  id uuid PRIMARY KEY,
  advocate_id uuid NOT NULL REFERENCES advocates (id),
  from_on date NOT NULL,
  to_on date NOT NULL,
  reason text NOT NULL,
  CHECK (from_on <= to_on)
);
CREATE INDEX advocate_unavailability_idx ON advocate_unavailability (advocate_id);

CREATE TABLE advocate_conflicts (
  id uuid PRIMARY KEY,
  advocate_id uuid NOT NULL REFERENCES advocates (id),
  case_id uuid NOT NULL REFERENCES cases (id),
  reason text NOT NULL,
  UNIQUE (advocate_id, case_id)
);

CREATE TABLE case_advocates (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  advocate_id uuid NOT NULL REFERENCES advocates (id),
  instructed_on date NOT NULL,
  instructed_seq integer NOT NULL,
  ended_on date,
  ended_seq integer,
  end_reason text CHECK (end_reason IN ('replaced', 'returned')),
  returned_reason text
);
COMMENT ON TABLE case_advocates IS 'Each instruction of an advocate on a case, projected from instruct_advocate and record_returned_brief events; the one without ended_seq is instructed now.';
CREATE INDEX case_advocates_case_idx ON case_advocates (case_id);
CREATE INDEX case_advocates_advocate_idx ON case_advocates (advocate_id);

ALTER TABLE hearings ADD COLUMN advocate_id uuid REFERENCES advocates (id);
COMMENT ON COLUMN hearings.advocate_id IS 'The advocate instructed when the hearing''s outcome was recorded as held: continuity of counsel from the plea and trial preparation hearing to trial compares these.';
