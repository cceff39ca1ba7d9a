-- The audit chain keyed with a secret from the environment and anchored by signed checkpoints (decision 0029).

-- Which key signed a row's hash (a fingerprint of AUDIT_KEY, never the key). NULL on rows written before this
-- migration: their hash is a plain SHA-256 and still verifies; the keyed chain continues from the last of them.
ALTER TABLE audit_log ADD COLUMN key_id text;
COMMENT ON COLUMN audit_log.key_id IS 'Fingerprint of the audit key whose HMAC-SHA-256 is hash; NULL for rows written before migration 0018 (plain SHA-256).';

CREATE TABLE audit_checkpoints (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  row_count bigint NOT NULL CHECK (row_count >= 0),
  last_id bigint NOT NULL CHECK (last_id >= 0),
  head_hash text NOT NULL,
  written_by text NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL
);
COMMENT ON TABLE audit_checkpoints IS 'Signed statements of the audit chain''s head (row count, last id, hash), written hourly and on demand, also to the application log and optionally a file, so rows deleted from the end of audit_log, a truncation or a rewrite are caught by casebridge audit verify.';

CREATE FUNCTION audit_checkpoints_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_checkpoints is append-only';
END;
$$;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_are_append_only();

-- An existing installation's application role (sql/app-role.sql) may append checkpoints and read them, as it does the
-- audit log, without the grants having to be run again.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casebridge_app') THEN
    GRANT SELECT, INSERT ON audit_checkpoints TO casebridge_app;
    GRANT USAGE, SELECT ON SEQUENCE audit_checkpoints_id_seq TO casebridge_app;
  END IF;
END
$$;
