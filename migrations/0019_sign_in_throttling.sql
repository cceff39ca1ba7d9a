-- Sign-in throttling (decision 0031). Failed attempts are counted per client address and account identifier as
-- typed, so an unknown email is treated exactly like a known one and an attacker at one address cannot lock the owner
-- out at another. Both keys are HMACs: the table holds no email address and no IP address.
CREATE TABLE sign_in_attempts (
  address_key text NOT NULL,
  -- The account identifier's key, or '*' for the address's count across every account in the current minute.
  account_key text NOT NULL,
  attempts integer NOT NULL CHECK (attempts >= 0),
  window_started_at timestamptz NOT NULL,
  blocked_until timestamptz,
  last_attempt_at timestamptz NOT NULL,
  PRIMARY KEY (address_key, account_key)
);
CREATE INDEX sign_in_attempts_account ON sign_in_attempts (account_key);
CREATE INDEX sign_in_attempts_last ON sign_in_attempts (last_attempt_at);
COMMENT ON TABLE sign_in_attempts IS 'Sign-in attempts not (yet) followed by a success, per client address and account identifier typed (both HMAC keys), with the back-off they earned; one row per address (account_key *) counts its attempts in the current minute across all accounts. Rows are pruned a day after their last attempt.';
COMMENT ON COLUMN sign_in_attempts.attempts IS 'Attempts counted: per account, failures since the last success (an attempt is counted before its password is checked); per address, attempts in the minute from window_started_at.';
COMMENT ON COLUMN sign_in_attempts.blocked_until IS 'Further attempts from this address for this account are refused (429) until then; a correct password too.';

-- The per-account lockout these columns held let anyone lock a known officer out, and answered 423 only for real
-- accounts. They are no longer read or written (kept so a process still running the previous release keeps working);
-- locks they hold now are lifted.
UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE failed_sign_ins <> 0 OR locked_until IS NOT NULL;
COMMENT ON COLUMN users.failed_sign_ins IS 'Unused since migration 0019 (decision 0031): failures are counted in sign_in_attempts.';
COMMENT ON COLUMN users.locked_until IS 'Unused since migration 0019 (decision 0031): sign-in is throttled per address and account in sign_in_attempts.';

-- An existing installation's application role (sql/app-role.sql) keeps signing people in without the grants having to
-- be run again.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casebridge_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_attempts TO casebridge_app;
  END IF;
END
$$;
