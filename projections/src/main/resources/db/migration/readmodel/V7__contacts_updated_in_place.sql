-- Every message updates the contacts rows of its conversation (last message, activity, unread counts).
-- 1. They are found by conversation_id alone, and the primary key leads with user_id: without an index of
--    their own, each message scanned the whole table.
-- 2. An index on last_activity (the sidebar's order) meant no update could be a HOT update: each one added a
--    row version to every index, and with busy conversations the table and that index grew by megabytes while
--    holding a few rows, each update slower than the last (0.75 ms measured after 50,000 messages). Without
--    it, and with room left on each page, an update rewrites its row in place on the same page. The sidebar
--    reads one user's contacts by the primary key and sorts them, which costs per contact of that user.
CREATE INDEX contacts_by_conversation ON contacts (conversation_id);
DROP INDEX contacts_by_activity;
ALTER TABLE contacts SET (fillfactor = 50);
