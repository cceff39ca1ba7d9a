-- Action plans: the prosecutor's items of further work, each answered by the police.

CREATE TABLE action_plan_items (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  number integer NOT NULL,
  set_seq integer NOT NULL,
  description text NOT NULL,
  owner_role text NOT NULL CHECK (owner_role IN ('investigator', 'police_supervisor')),
  proportionality text NOT NULL,
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'not_possible', 'not_proportionate')),
  answered_seq integer,
  answered_on date,
  UNIQUE (case_id, number)
);
CREATE INDEX action_plan_items_open ON action_plan_items (status, due_on) WHERE status = 'open';
COMMENT ON TABLE action_plan_items IS 'Items of a prosecutor''s action plan, numbered per case; status and dates typed for queues and measures, the wording also on the timeline.';
