-- Letters to complainants sent by email go through the outbox like staff emails. The row holds no personal data:
-- the letter is read from its timeline row (case_id, event_seq) and the address from the complainant's safe contact
-- details (person_id) when it is sent.

ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_channel_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_channel_check CHECK (channel IN ('email', 'in_app', 'victim_email'));
ALTER TABLE notification_outbox ADD COLUMN case_id uuid REFERENCES cases (id);
ALTER TABLE notification_outbox ADD COLUMN person_id uuid REFERENCES case_people (id);
ALTER TABLE notification_outbox ADD COLUMN event_seq integer;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_victim_letter CHECK (channel <> 'victim_email' OR (case_id IS NOT NULL AND person_id IS NOT NULL AND event_seq IS NOT NULL));
COMMENT ON COLUMN notification_outbox.event_seq IS 'For a letter to a complainant: the timeline row that holds the letter as sent.';
