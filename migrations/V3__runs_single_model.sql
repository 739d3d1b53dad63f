-- Runs are persisted through one model (plain SQL in the run module); the optimistic-locking
-- column of the former JPA mapping was never read or written.
alter table runs drop column version;
