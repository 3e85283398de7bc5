package com.hirechat.infra;

import java.time.Instant;
import java.util.List;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ComplianceSearch;
import com.hirechat.projections.feed.ConversationEventFeed;

/** The database, the event store and the access log for command-line work, without starting the server. */
final class OfflineRecord implements AutoCloseable {

    /** Who the access log names for command-line reads. */
    static final UserId COMMAND_LINE = UserId.of("command-line");

    private final Database database;
    private final AxonWiring axon;
    private final ConversationEventFeed feed;
    private final ComplianceAccessLog accessLog;
    private final Jdbi jdbi;

    private OfflineRecord(Database database, AxonWiring axon) {
        this.database = database;
        this.axon = axon;
        this.feed = axon.feed();
        this.jdbi = Jdbi.create(database.dataSource());
        this.accessLog = new ComplianceAccessLog(jdbi);
    }

    static OfflineRecord open(AppConfig config) {
        var database = Database.open(config);
        try {
            return new OfflineRecord(database, AxonWiring.configureOnly(database.dataSource(), config.eventStore(),
                    MasterKeyFile.resolve(config)));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    Database database() {
        return database;
    }

    AxonWiring axon() {
        return axon;
    }

    ConversationEventFeed feed() {
        return feed;
    }

    ComplianceAccessLog accessLog() {
        return accessLog;
    }

    /** The compliance search over the read models (and the conversations of a user). */
    ComplianceSearch search() {
        return new ComplianceSearch(jdbi);
    }

    /** Every conversation with an event in [from, to), from the event store itself. */
    List<ConversationId> conversationsActiveBetween(Instant from, Instant to) {
        // time_stamp is ISO-8601 UTC text, which orders like time; only conversation streams have no ':' (user:…, hold:…, retention:…)
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT aggregate_identifier FROM domain_event_entry
                         WHERE time_stamp >= :from AND time_stamp < :to AND aggregate_identifier NOT LIKE '%:%'
                         ORDER BY aggregate_identifier""")
                .bind("from", from.toString()).bind("to", to.toString())
                .mapTo(String.class).map(ConversationId::of).list());
    }

    @Override
    public void close() {
        axon.close();
        database.close();
    }
}
