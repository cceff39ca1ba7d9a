-- Police may ask for more time on an action plan item; the prosecutor accepts (the item is re-dated) or rejects.
ALTER TABLE action_plan_items ADD COLUMN proposed_due_on date;
COMMENT ON COLUMN action_plan_items.proposed_due_on IS 'A new due date the police asked for, waiting for the prosecutor''s decision.';
