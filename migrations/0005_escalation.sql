-- Escalation of overdue action plan items: the steps taken, the tasks they create and the notifications they send.

ALTER TABLE action_plan_items ADD COLUMN set_on date;
UPDATE action_plan_items i SET set_on = (SELECT (e.occurred_at AT TIME ZONE 'Europe/London')::date FROM case_events e WHERE e.case_id = i.case_id AND e.seq = i.set_seq);
ALTER TABLE action_plan_items ALTER COLUMN set_on SET NOT NULL;

CREATE TABLE escalations (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  item_id uuid NOT NULL REFERENCES action_plan_items (id),
  step text NOT NULL,
  step_index integer NOT NULL,
  due_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_id, step)
);
COMMENT ON TABLE escalations IS 'Each step of the escalation ladder reached by an overdue action plan item; the unique key makes the scheduler idempotent.';

CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id),
  escalation_id uuid REFERENCES escalations (id),
  kind text NOT NULL,
  role text NOT NULL,
  org_code text NOT NULL REFERENCES organisations (code),
  title text NOT NULL,
  due_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX tasks_open ON tasks (org_code, role, due_on) WHERE done_at IS NULL;
COMMENT ON TABLE tasks IS 'Work for a role in an organisation (a work queue row); titles hold no personal data.';

CREATE TABLE notification_outbox (
  id uuid PRIMARY KEY,
  task_id uuid REFERENCES tasks (id),
  recipient_role text NOT NULL,
  org_code text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'in_app')),
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
COMMENT ON TABLE notification_outbox IS 'Notifications waiting to be sent (GOV.UK Notify when configured; otherwise they stay here and an administrator page shows them). No personal data: URNs and links only.';
