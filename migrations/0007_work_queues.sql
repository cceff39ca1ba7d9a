-- Police inspectors; challenges to declined early advice; tasks opened and closed by events (work queues);
-- escalation ladders per force and area; delivery state of email notifications.

ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (role IN ('investigator', 'police_supervisor', 'police_inspector', 'prosecutor', 'cps_unit_head', 'witness_care', 'isva', 'scrutiny_panel', 'analyst', 'admin'));

ALTER TABLE cases DROP CONSTRAINT cases_early_advice_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_early_advice_status_check CHECK (early_advice_status IN ('requested', 'declined', 'challenged', 'decline_upheld', 'given'));

ALTER TABLE tasks ADD COLUMN opened_seq integer;
ALTER TABLE tasks ADD COLUMN closed_seq integer;
CREATE INDEX tasks_case_kind_open ON tasks (case_id, kind) WHERE done_at IS NULL;
COMMENT ON COLUMN tasks.opened_seq IS 'The timeline row that opened the task (null for a scheduler escalation, which has its own row).';
COMMENT ON COLUMN tasks.closed_seq IS 'The timeline row that closed the task, when an event closed it.';

CREATE TABLE escalation_ladders (
  id uuid PRIMARY KEY,
  force_code text REFERENCES organisations (code),
  area_code text REFERENCES organisations (code),
  steps jsonb NOT NULL,
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX escalation_ladders_scope ON escalation_ladders (coalesce(force_code, ''), coalesce(area_code, ''));
COMMENT ON TABLE escalation_ladders IS 'Escalation ladders an administrator set for a force, a CPS area, both together, or everywhere (both null); domain/escalation.ts holds the default.';

ALTER TABLE notification_outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE notification_outbox ADD COLUMN last_error text;
ALTER TABLE notification_outbox ADD COLUMN delivered_to integer;
CREATE INDEX notification_outbox_unsent ON notification_outbox (created_at) WHERE sent_at IS NULL AND channel = 'email';
COMMENT ON COLUMN notification_outbox.last_error IS 'Why the last attempt to send failed (status and error code only; never an address).';
COMMENT ON COLUMN notification_outbox.delivered_to IS 'How many people the email was sent to.';

ALTER TABLE tasks ALTER COLUMN due_on DROP NOT NULL;
ALTER TABLE notification_outbox ADD COLUMN last_attempt_at timestamptz;

-- A referral names the suspects it is for (null: every identified suspect); a prosecutor may accept a request for
-- early advice before giving it.
ALTER TABLE cases ADD COLUMN referral_suspect_ids uuid[];
COMMENT ON COLUMN cases.referral_suspect_ids IS 'The suspects the current charging referral is for; null means every identified suspect.';
ALTER TABLE cases DROP CONSTRAINT cases_early_advice_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_early_advice_status_check CHECK (early_advice_status IN ('requested', 'accepted', 'declined', 'challenged', 'decline_upheld', 'given'));
