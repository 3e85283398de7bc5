-- The compliance console's search (docs/compliance.md#console): PostgreSQL's own text search over the history's texts.
-- A generated column rather than a table of its own: the history already holds exactly what may be found (the
-- current text after edits, '' once removed or erased, by the same handlers and on rebuild), so the search can
-- never show what the history blanked. The 'simple' configuration lower-cases words and does not stem: the texts
-- are in any language, and an investigator searching "offer" should not silently also get "offering".
ALTER TABLE message_history
    ADD COLUMN search_text tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED;
CREATE INDEX message_history_search ON message_history USING gin (search_text);

-- The access log becomes browsable by actor and time; a read that is not of one conversation (a search, an export of
-- a selection) says in `detail` what it asked for.
ALTER TABLE compliance_access_log ADD COLUMN detail text;
CREATE INDEX compliance_access_log_by_actor ON compliance_access_log (accessed_by, accessed_at);
CREATE INDEX compliance_access_log_by_conversation ON compliance_access_log (conversation_id, accessed_at);
