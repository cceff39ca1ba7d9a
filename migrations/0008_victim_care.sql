-- Victim care: an ISVA is assigned to one complainant of a case (and sees only that complainant), and each
-- complainant's safe contact details are kept apart from the timeline, readable only by the contact roles.

ALTER TABLE case_access ADD COLUMN person_id uuid REFERENCES case_people (id);
ALTER TABLE case_access DROP CONSTRAINT case_access_pkey;
CREATE UNIQUE INDEX case_access_unique ON case_access (case_id, user_id, kind, person_id) NULLS NOT DISTINCT;
COMMENT ON COLUMN case_access.person_id IS 'For an ISVA, the complainant they support on the case; null for a restricted case''s access list.';

ALTER TABLE case_people ADD COLUMN added_seq integer;
COMMENT ON COLUMN case_people.added_seq IS 'The timeline row that added the person after the report (null: on the report). A complainant''s Victims'' Code clocks start from then.';

CREATE TABLE safe_contact_details (
  person_id uuid PRIMARY KEY REFERENCES case_people (id),
  case_id uuid NOT NULL REFERENCES cases (id),
  phone text,
  email text,
  address text,
  notes text,
  updated_by uuid NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX safe_contact_details_case ON safe_contact_details (case_id);
COMMENT ON TABLE safe_contact_details IS 'How to reach a complainant safely. Restricted: shown only to investigators, their supervisors and witness care, each read audited; never on the timeline, in letters to anyone else, in logs or URLs.';
