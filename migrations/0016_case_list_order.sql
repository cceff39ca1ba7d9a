-- The case list, newest change first, for an officer's own force: read in index order and stopped at the page size
-- instead of sorting every case of the force; the count of the list reads the index alone (restricted is included).
CREATE INDEX cases_force_updated ON cases (force_code, updated_at DESC, id) INCLUDE (restricted);
