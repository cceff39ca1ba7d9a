-- Joint performance (issue 7): the sums every measure is read from, kept up to date in each event's transaction,
-- and the log of every release of figures.

CREATE TABLE measure_cells (
  measure_id text NOT NULL,
  breakdown text NOT NULL,
  quarter date NOT NULL,
  force_code text NOT NULL,
  area_code text NOT NULL,
  offence_group text NOT NULL,
  breakdown_value text NOT NULL,
  category text NOT NULL,
  days integer NOT NULL,
  numerator bigint NOT NULL,
  denominator bigint NOT NULL,
  PRIMARY KEY (measure_id, breakdown, quarter, force_code, area_code, offence_group, breakdown_value, category, days)
);
COMMENT ON TABLE measure_cells IS 'Sums of every case''s contributions to each measure (domain/measures.ts), per financial quarter, force, CPS area and offence group, once for all complainants (breakdown ''all'') and once per personal breakdown; each also under force and area ''*'' (the national rows). Days are bucketed (domain/measures.ts dayBucket). Changed only by the difference a case''s event makes.';

CREATE TABLE measure_case_state (
  case_id uuid PRIMARY KEY REFERENCES cases (id),
  contributions jsonb NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE measure_case_state IS 'What each case currently adds to measure_cells (its breakdown values and its contributions per measure and quarter), so the next event can take it back out. Counts only: no personal data beyond the breakdown values.';

CREATE TABLE measure_releases (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id uuid REFERENCES users (id),
  user_org text,
  measure_ids text[] NOT NULL,
  output text NOT NULL CHECK (output IN ('page', 'api', 'csv', 'ods', 'pack')),
  parameters jsonb NOT NULL,
  disclosure_control jsonb NOT NULL,
  row_count integer NOT NULL,
  suppressed_count integer NOT NULL
);
CREATE INDEX measure_releases_at ON measure_releases (at);
COMMENT ON TABLE measure_releases IS 'Every release of joint performance figures: who, when, which measures, with which parameters and disclosure control. Insert-only for the application.';
