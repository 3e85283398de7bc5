-- Axon's JDBC event store, token store and snapshots, in snake_case (see EventStoreSchema.java).
-- The event table is the legal record of every conversation: never update or delete its rows.

CREATE TABLE domain_event_entry (
    global_index          BIGSERIAL    NOT NULL PRIMARY KEY,
    aggregate_identifier  varchar(255) NOT NULL,
    sequence_number       bigint       NOT NULL,
    type                  varchar(255),
    event_identifier      varchar(255) NOT NULL UNIQUE,
    meta_data             bytea,
    payload               bytea        NOT NULL,
    payload_revision      varchar(255),
    payload_type          varchar(255) NOT NULL,
    time_stamp            varchar(255) NOT NULL,
    -- one event per place in a conversation: the optimistic lock between concurrent writers
    UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier  varchar(255) NOT NULL,
    sequence_number       bigint       NOT NULL,
    type                  varchar(255) NOT NULL,
    event_identifier      varchar(255) NOT NULL UNIQUE,
    meta_data             bytea,
    payload               bytea        NOT NULL,
    payload_revision      varchar(255),
    payload_type          varchar(255) NOT NULL,
    time_stamp            varchar(255) NOT NULL,
    PRIMARY KEY (aggregate_identifier, sequence_number)
);

CREATE TABLE token_entry (
    processor_name  varchar(255) NOT NULL,
    segment         integer      NOT NULL,
    token           bytea,
    token_type      varchar(255),
    timestamp       varchar(255),
    owner           varchar(255),
    PRIMARY KEY (processor_name, segment)
);
