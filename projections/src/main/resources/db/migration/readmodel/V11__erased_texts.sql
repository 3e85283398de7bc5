-- Texts whose keys were destroyed (docs/compliance.md#erasure): the history row keeps its place with an empty text
-- and erased = true; a contact's preview of such a message is null with last_message_erased = true.
ALTER TABLE message_history ADD COLUMN erased boolean NOT NULL DEFAULT false;
ALTER TABLE contacts ADD COLUMN last_message_erased boolean NOT NULL DEFAULT false;
