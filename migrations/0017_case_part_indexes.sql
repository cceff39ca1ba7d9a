-- A case page reads each of its parts by case (data/read-together.ts). Three were read by scanning the whole table,
-- unnoticed while the tables were small: at national size (35,000 escalations, 82,000 device spells) the scans were
-- 5 ms of every case page. test/db/read-together.test.ts now requires every part to be read through an index.
CREATE INDEX escalations_case ON escalations (case_id);
-- The partial index (a device held: not yet returned) cannot answer "has this request ever had a spell".
CREATE INDEX device_spells_request ON device_spells (request_id);
CREATE INDEX disclosure_milestones_case ON disclosure_milestones (case_id, seq);
