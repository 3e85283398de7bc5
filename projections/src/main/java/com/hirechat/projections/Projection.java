package com.hirechat.projections;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Jdbi;

/**
 * Every projection: the tables it owns and the projections whose tables it reads while it applies events
 * (contacts count unread messages in the history; analytics looks up roles in the profiles). A rebuild builds
 * a projection together with what it reads, in event order, and switches over only the tables it owns.
 */
public enum Projection {

    PARTICIPANTS(List.of(ReadModelTable.main("conversation_participants")), Set.of()),
    HISTORY(List.of(ReadModelTable.main("message_history")), Set.of()),
    CONTACTS(List.of(ReadModelTable.main("contacts")), Set.of(HISTORY)),
    DIRECTORY(List.of(ReadModelTable.main("conversations"), ReadModelTable.main("user_profiles"),
            ReadModelTable.main("job_links")), Set.of()),
    ANALYTICS(List.of(ReadModelTable.analytics("messages"), ReadModelTable.analytics("conversations")),
            Set.of(DIRECTORY));

    private final List<ReadModelTable> tables;
    private final Set<Projection> reads;

    Projection(List<ReadModelTable> tables, Set<Projection> reads) {
        this.tables = tables;
        this.reads = reads;
    }

    /** Its name on the command line: the constant in lower case. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The projection with this command-line name, in any case. */
    public static Optional<Projection> named(String name) {
        return Arrays.stream(values()).filter(projection -> projection.cliName().equalsIgnoreCase(name)).findFirst();
    }

    /** The tables this projection writes. */
    public List<ReadModelTable> tables() {
        return tables;
    }

    /** This projection and, transitively, every projection whose tables it reads. */
    public Set<Projection> withWhatItReads() {
        var all = EnumSet.of(this);
        reads.forEach(read -> all.addAll(read.withWhatItReads()));
        return all;
    }

    /**
     * The event handler, writing through {@code jdbi}: unqualified tables resolve through the connection's
     * {@code search_path}; the analytics tables live in {@code analyticsSchema}.
     */
    public Object handler(Jdbi jdbi, String analyticsSchema) {
        return switch (this) {
            case PARTICIPANTS -> new ParticipantsProjection(jdbi);
            case HISTORY -> new HistoryProjection(jdbi);
            case CONTACTS -> new ContactsProjection(jdbi);
            case DIRECTORY -> new DirectoryProjection(jdbi);
            case ANALYTICS -> new AnalyticsProjection(jdbi, analyticsSchema);
        };
    }
}
