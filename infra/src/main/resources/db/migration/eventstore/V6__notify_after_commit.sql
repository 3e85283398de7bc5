-- Appends are announced by the application after commit (PostgresAppendAnnouncer), no longer by a trigger in the
-- appending transaction: a NOTIFY there takes PostgreSQL's global notification lock until the commit record is
-- flushed, which serialised every send's commit and defeated group commit.
DROP TRIGGER IF EXISTS domain_event_entry_appended ON domain_event_entry;
DROP FUNCTION IF EXISTS hirechat_notify_events_appended();
