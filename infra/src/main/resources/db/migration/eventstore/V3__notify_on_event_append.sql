-- Every transaction that appends events wakes up every node: each LISTENs on this channel and
-- then reads the new events from domain_event_entry (its live pushes and its event processors).
-- PostgreSQL delivers a notification only when the transaction commits, and folds identical ones.
CREATE FUNCTION hirechat_notify_events_appended() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('hirechat_events', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER domain_event_entry_appended
    AFTER INSERT ON domain_event_entry
    FOR EACH STATEMENT
    EXECUTE FUNCTION hirechat_notify_events_appended();
