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

    PARTICIPANTS(List.of(ReadModelTable.PARTICIPANTS, ReadModelTable.MEMBERSHIP), Set.of()),
    HISTORY(List.of(ReadModelTable.HISTORY, ReadModelTable.ATTACHMENTS), Set.of()),
    CONTACTS(List.of(ReadModelTable.CONTACTS), Set.of(HISTORY)),
    DIRECTORY(List.of(ReadModelTable.CONVERSATIONS, ReadModelTable.PROFILES, ReadModelTable.JOB_LINKS), Set.of()),
    // messages before conversations: a message's conversation row reads the message's role (ReadModelWrites)
    ANALYTICS(List.of(ReadModelTable.ANALYTICS_MESSAGES, ReadModelTable.ANALYTICS_CONVERSATIONS), Set.of(DIRECTORY));

    private static final List<ReadModelTable> TABLES_IN_ORDER =
            Arrays.stream(values()).flatMap(projection -> projection.tables.stream()).toList();

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

    /** Every projection's tables, in the order of the declarations: the order queued writes are sent in. */
    static List<ReadModelTable> tablesInOrder() {
        return TABLES_IN_ORDER;
    }

    /** This projection and, transitively, every projection whose tables it reads. */
    public Set<Projection> withWhatItReads() {
        var all = EnumSet.of(this);
        reads.forEach(read -> all.addAll(read.withWhatItReads()));
        return all;
    }

    /**
     * The event handler: participants write through {@code jdbi} at once (inside the command's transaction), the
     * others through {@code writes} (one instance for all of a processor's handlers). Unqualified tables resolve
     * through the connection's {@code search_path}; the analytics tables live in {@code analyticsSchema}.
     */
    public Object handler(Jdbi jdbi, ReadModelWrites writes, String analyticsSchema) {
        return switch (this) {
            case PARTICIPANTS -> new ParticipantsProjection(jdbi);
            case HISTORY -> new HistoryProjection(writes);
            case CONTACTS -> new ContactsProjection(writes);
            case DIRECTORY -> new DirectoryProjection(writes);
            case ANALYTICS -> new AnalyticsProjection(writes, analyticsSchema);
        };
    }
}
