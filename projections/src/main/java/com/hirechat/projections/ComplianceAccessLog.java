package com.hirechat.projections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/** Records each compliance read of the event store before it happens, in {@code compliance_access_log}, and lists them. */
public final class ComplianceAccessLog {

    /** One recorded read: who, what, which conversation (none for a search), why, when, and what a search asked. */
    public record Entry(long id, String accessedBy, String action, String conversationId, String reason, String detail,
                        Instant accessedAt) {
    }

    /** Which entries to list; every part is optional. */
    public record Filter(Optional<UserId> actor, Optional<ConversationId> conversation, Optional<Instant> from,
                         Optional<Instant> to) {
    }

    /** One page of entries, newest first, and how many match in all. */
    public record Page(int page, int pageSize, long total, List<Entry> entries) {
    }

    private final Jdbi jdbi;

    public ComplianceAccessLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void record(UserId who, String action, ConversationId conversation, String reason) {
        record(who, action, conversation, reason, null);
    }

    /** Records a read; {@code conversation} is null for one that is not of a single conversation (a search). */
    public void record(UserId who, String action, ConversationId conversation, String reason, String detail) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO compliance_access_log (accessed_by, action, conversation_id, reason, detail)
                        VALUES (:who, :action, CAST(:conversation AS uuid), :reason, :detail)""")
                .bind("who", who.value())
                .bind("action", action)
                .bind("conversation", conversation == null ? null : conversation.value())
                .bind("reason", reason)
                .bind("detail", detail)
                .execute());
    }

    /** One page ({@code page} from 1) of the entries the filter matches, newest first. */
    public Page list(Filter filter, int page, int pageSize) {
        return jdbi.withHandle(handle -> {
            var total = bind(handle.createQuery("SELECT count(*) FROM compliance_access_log WHERE " + where(filter)),
                    filter).mapTo(Long.class).one();
            var entries = bind(handle.createQuery(SELECT + where(filter) + " ORDER BY accessed_at DESC, id DESC"
                    + " LIMIT :limit OFFSET :offset"), filter)
                    .bind("limit", pageSize).bind("offset", (long) (page - 1) * pageSize)
                    .map((row, context) -> entry(row)).list();
            return new Page(page, pageSize, total, entries);
        });
    }

    /** Every entry the filter matches, oldest first, streamed: the access log's export. */
    public void forEach(Filter filter, Consumer<Entry> consumer) {
        jdbi.useHandle(handle -> {
            // a cursor needs a transaction in PostgreSQL; without one the driver reads every row at once
            handle.useTransaction(transaction -> bind(transaction.createQuery(SELECT + where(filter)
                    + " ORDER BY accessed_at, id"), filter).setFetchSize(500)
                    .map((row, context) -> entry(row)).useStream(stream -> stream.forEach(consumer)));
        });
    }

    private static final String SELECT = """
            SELECT id, accessed_by, action, conversation_id::text AS conversation_id, reason, detail, accessed_at
              FROM compliance_access_log WHERE\s""";

    private static Entry entry(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Entry(row.getLong("id"), row.getString("accessed_by"), row.getString("action"),
                row.getString("conversation_id"), row.getString("reason"), row.getString("detail"),
                row.getTimestamp("accessed_at").toInstant());
    }

    private static String where(Filter filter) {
        var conditions = new ArrayList<String>();
        conditions.add("true");
        filter.actor().ifPresent(actor -> conditions.add("accessed_by = :actor"));
        filter.conversation().ifPresent(conversation -> conditions.add("conversation_id = :conversation"));
        filter.from().ifPresent(from -> conditions.add("accessed_at >= :from"));
        filter.to().ifPresent(to -> conditions.add("accessed_at < :to"));
        return String.join(" AND ", conditions);
    }

    private static Query bind(Query query, Filter filter) {
        filter.actor().ifPresent(actor -> query.bind("actor", actor.value()));
        filter.conversation().ifPresent(conversation -> query.bind("conversation",
                UUID.fromString(conversation.value())));
        filter.from().ifPresent(from -> query.bind("from", java.sql.Timestamp.from(from)));
        filter.to().ifPresent(to -> query.bind("to", java.sql.Timestamp.from(to)));
        return query;
    }
}
