-- Every compliance read of the record (replay, export) is itself recorded: who, what, when and why.
-- Written directly, not from events: it is the audit of reading the event store, not part of it.
CREATE TABLE compliance_access_log (
    id              bigserial     PRIMARY KEY,
    accessed_by     varchar(64)   NOT NULL,
    action          varchar(32)   NOT NULL,
    conversation_id uuid,
    reason          text          NOT NULL,
    accessed_at     timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX compliance_access_log_by_time ON compliance_access_log (accessed_at);
