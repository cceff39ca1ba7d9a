-- The deadline engine's calendar: England and Wales bank holidays and the complete years they cover.

CREATE TABLE bank_holidays (
  date date PRIMARY KEY,
  title text NOT NULL,
  notes text NOT NULL DEFAULT '',
  CHECK (extract(isodow FROM date) < 6)
);
COMMENT ON TABLE bank_holidays IS 'England and Wales bank holidays (GOV.UK bank-holidays.json). Working-day deadlines skip these and weekends.';

CREATE TABLE calendar_coverage (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  first_year integer NOT NULL,
  last_year integer NOT NULL CHECK (last_year >= first_year),
  source text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calendar_coverage IS 'The complete years the bank holiday list covers; a deadline after the last year is an error, not a guess.';

CREATE TABLE clock_settings (
  rule_id text PRIMARY KEY,
  days integer NOT NULL CHECK (days BETWEEN 0 AND 1000),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE clock_settings IS 'Administrator overrides of the period of a configurable clock rule (domain/clocks.ts holds the defaults and their sources).';
